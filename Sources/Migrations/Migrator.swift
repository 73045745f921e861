public import Logging
public import PostgresNIO

/// One numbered SQL file of `migrations/`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    /// The file name, e.g. `0001_queue.sql`.
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// A recorded migration that no longer matches the binary's migrations.
public struct MigrationDrift: Error, CustomStringConvertible, Sendable {
    /// Recorded migrations whose file has changed since they were applied.
    public let changed: [String]
    /// Recorded migrations this binary does not have.
    public let vanished: [String]

    public var description: String {
        var lines = ["the database's migrations differ from this binary's; nothing was applied:"]
        lines += changed.map { "  \($0): changed since it was applied" }
        lines += vanished.map { "  \($0): applied, but no longer among the migrations" }
        lines.append("restore the original files, or rebuild the database from scratch")
        return lines.joined(separator: "\n")
    }
}

/// Where a database stands.
public struct MigrationStatus: Sendable {
    public let applied: [String]
    public let pending: [String]
    public let drift: MigrationDrift?
}

/// Applies migrations in order, all in one transaction under an advisory lock, and records each
/// with a checksum of its text so that later edits are noticed.
///
/// Two processes migrating at once are safe: the second waits for the lock, then finds
/// everything applied.
public struct Migrator: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public let migrations: [Migration]

    public init(client: PostgresClient, logger: Logger, migrations: [Migration] = Migration.embedded) {
        self.client = client
        self.logger = logger
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// Applies every pending migration.
    /// - Returns: the names of the migrations applied now.
    /// - Throws: ``MigrationDrift`` when a recorded migration changed or vanished (nothing is applied).
    @discardableResult
    public func migrate() async throws -> [String] {
        try await inTransaction { connection in
            let status = try await status(on: connection)
            if let drift = status.drift { throw drift }
            let pending = migrations.filter { status.pending.contains($0.name) }
            // A migration file holds many statements; the extended protocol that PostgresNIO
            // speaks takes one per query, so the file is run by PL/pgSQL's EXECUTE, which takes many.
            try await connection.query("""
                CREATE OR REPLACE FUNCTION pg_temp.pasisync_run_migration(sql text) RETURNS void
                LANGUAGE plpgsql AS $$ BEGIN EXECUTE sql; END $$
                """, logger: logger)
            for migration in pending {
                logger.info("applying migration \(migration.name)")
                do {
                    // The error of a failing file arrives with the rows, not with the query's
                    // start: read them, or the next statement reports only "transaction aborted".
                    let rows = try await connection.query(
                        "SELECT pg_temp.pasisync_run_migration(\(migration.sql))", logger: logger)
                    for try await _ in rows {}
                } catch let error as PSQLError {
                    throw MigrationFailed(name: migration.name, error: error)
                }
                try await connection.query("""
                    INSERT INTO public.pasisync_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), encode(sha256(convert_to(\(migration.sql), 'UTF8')), 'hex'))
                    """, logger: logger)
            }
            return pending.map(\.name)
        }
    }

    /// Reports applied and pending migrations, and any drift, without changing anything.
    public func status() async throws -> MigrationStatus {
        try await inTransaction { try await status(on: $0) }
    }

    private func status(on connection: PostgresConnection) async throws -> MigrationStatus {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS public.pasisync_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        let rows = try await connection.query("""
            SELECT r.name, r.checksum, encode(sha256(convert_to(f.sql, 'UTF8')), 'hex')
            FROM public.pasisync_migrations r
            LEFT JOIN unnest(\(migrations.map(\.version))::int[], \(migrations.map(\.sql))::text[]) AS f(version, sql)
                   ON f.version = r.version
            ORDER BY r.version
            """, logger: logger)
        var applied: [String] = []
        var changed: [String] = []
        var vanished: [String] = []
        for try await (name, recorded, current) in rows.decode((String, String, String?).self) {
            applied.append(name)
            if current == nil { vanished.append(name) } else if current != recorded { changed.append(name) }
        }
        let pending = migrations.map(\.name).filter { !applied.contains($0) }
        let drift = changed.isEmpty && vanished.isEmpty ? nil : MigrationDrift(changed: changed, vanished: vanished)
        return MigrationStatus(applied: applied, pending: pending, drift: drift)
    }

    /// Runs `body` in one transaction holding the migration lock.
    /// The body's own error (``MigrationFailed``, ``MigrationDrift``) comes out as it is, not
    /// wrapped in PostgresNIO's transaction error.
    private func inTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(hashtext('pasisync.migrate'))", logger: logger)
                return try await body(connection)
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }
}

/// A migration's SQL failed; the transaction was rolled back, so nothing of it remains.
public struct MigrationFailed: Error, CustomStringConvertible {
    public let name: String
    public let error: PSQLError

    public var description: String {
        let message = error.serverInfo?[.message] ?? "\(error.code)"
        let position = error.serverInfo?[.internalPosition].map { " at character \($0)" } ?? ""
        return "migration \(name) failed\(position): \(message); nothing was applied"
    }
}
