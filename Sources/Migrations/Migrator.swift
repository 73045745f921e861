import Crypto
import Foundation
public import Logging
public import PostgresNIO

/// One numbered SQL file of `migrations/`: tables and data, applied once.
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

/// One re-applied file of `migrations/`: a function with the triggers that run it
/// (`functions/SCHEMA.NAME.sql`) or a view (`views/SCHEMA.NAME.sql`), written as it is now with
/// `CREATE OR REPLACE`, so each object is defined in exactly one file.
public struct RepeatableMigration: Sendable, Hashable {
    /// The path below `migrations/`, e.g. `functions/queue.before_insert_job.sql`.
    public let name: String
    public let sql: String

    public init(name: String, sql: String) {
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
    /// Re-applied files that are new or changed since they were last applied.
    public let repeatablePending: [String]
    public let drift: MigrationDrift?
}

/// Applies the numbered migrations in order, then the re-applied files (functions, then views),
/// all in one transaction under an advisory lock, and records each with a checksum of its text.
///
/// A numbered migration runs once; an edit of it afterwards is drift. The re-applied files are
/// applied again, all of them in their fixed order, whenever one of them is new or changed or a
/// numbered migration ran (which may have dropped an object they define): re-applying them all
/// is cheap, and no file has to know which others depend on it.
///
/// Two processes migrating at once are safe: the second waits for the lock, then finds
/// everything applied.
public struct Migrator: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    public let migrations: [Migration]
    public let repeatable: [RepeatableMigration]
    /// Texts a numbered migration had before it was rewritten without changing what it makes
    /// (`migrations/earlier-checksums.txt`): a database that applied one of them is not drifted.
    public let earlierChecksums: [Int: Set<String>]

    public init(
        client: PostgresClient,
        logger: Logger,
        migrations: [Migration] = Migration.embedded,
        repeatable: [RepeatableMigration] = RepeatableMigration.embedded,
        earlierChecksums: [(version: Int, checksum: String)] = Migration.embeddedEarlierChecksums
    ) {
        self.client = client
        self.logger = logger
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.repeatable = repeatable
        self.earlierChecksums = Dictionary(grouping: earlierChecksums, by: \.version).mapValues { Set($0.map(\.checksum)) }
    }

    /// Applies every pending migration, then the re-applied files when any is due.
    /// - Returns: the names of the numbered migrations applied now.
    /// - Throws: ``MigrationDrift`` when a recorded migration changed or vanished (nothing is applied).
    @discardableResult
    public func migrate() async throws -> [String] {
        try await inTransaction { connection in
            let status = try await status(on: connection)
            if let drift = status.drift { throw drift }
            try await recordRewrittenTexts(on: connection)
            // A migration file holds many statements; the extended protocol that PostgresNIO
            // speaks takes one per query, so the file is run by PL/pgSQL's EXECUTE, which takes many.
            try await connection.query("""
                CREATE OR REPLACE FUNCTION pg_temp.pasisync_run_migration(sql text) RETURNS void
                LANGUAGE plpgsql AS $$ BEGIN EXECUTE sql; END $$
                """, logger: logger)
            let pending = migrations.filter { status.pending.contains($0.name) }
            for migration in pending {
                logger.info("applying migration \(migration.name)")
                try await run(migration.sql, named: migration.name, on: connection)
                try await connection.query("""
                    INSERT INTO public.pasisync_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(checksum(migration.sql)))
                    """, logger: logger)
            }
            if !pending.isEmpty || !status.repeatablePending.isEmpty {
                try await applyRepeatable(on: connection)
            }
            return pending.map(\.name)
        }
    }

    /// Reports applied and pending migrations, and any drift, without changing anything.
    public func status() async throws -> MigrationStatus {
        try await inTransaction { try await status(on: $0) }
    }

    private func status(on connection: PostgresConnection) async throws -> MigrationStatus {
        try await createRecordTables(on: connection)
        let rows = try await connection.query("""
            SELECT version, name, checksum FROM public.pasisync_migrations ORDER BY version
            """, logger: logger)
        let current = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, checksum($0.sql)) })
        var applied: [String] = []
        var changed: [String] = []
        var vanished: [String] = []
        for try await (version, name, recorded) in rows.decode((Int, String, String).self) {
            applied.append(name)
            guard let now = current[version] else { vanished.append(name); continue }
            if recorded != now && !(earlierChecksums[version]?.contains(recorded) ?? false) { changed.append(name) }
        }
        let pending = migrations.map(\.name).filter { !applied.contains($0) }
        let drift = changed.isEmpty && vanished.isEmpty ? nil : MigrationDrift(changed: changed, vanished: vanished)
        return MigrationStatus(applied: applied, pending: pending,
                               repeatablePending: try await repeatableDue(on: connection), drift: drift)
    }

    /// The re-applied files that are new or changed since they were last applied.
    private func repeatableDue(on connection: PostgresConnection) async throws -> [String] {
        let rows = try await connection.query(
            "SELECT name, checksum FROM public.pasisync_repeatable_migrations", logger: logger)
        var recorded: [String: String] = [:]
        for try await (name, sum) in rows.decode((String, String).self) { recorded[name] = sum }
        return repeatable.filter { recorded[$0.name] != checksum($0.sql) }.map(\.name)
    }

    /// Applies every re-applied file in order and records what was applied; records of files
    /// this binary no longer has are dropped (their objects stay until a migration drops them).
    private func applyRepeatable(on connection: PostgresConnection) async throws {
        // As pg_dump does: a SQL function may name a function of a file applied after it.
        try await connection.query("SET LOCAL check_function_bodies = off", logger: logger)
        for file in repeatable {
            logger.debug("applying \(file.name)")
            try await run(file.sql, named: file.name, on: connection)
        }
        try await connection.query("SET LOCAL check_function_bodies = on", logger: logger)
        try await connection.query("""
            DELETE FROM public.pasisync_repeatable_migrations WHERE NOT (name = ANY (\(repeatable.map(\.name))::text[]))
            """, logger: logger)
        try await connection.query("""
            INSERT INTO public.pasisync_repeatable_migrations AS r (name, checksum)
            SELECT * FROM unnest(\(repeatable.map(\.name))::text[], \(repeatable.map { checksum($0.sql) })::text[])
            ON CONFLICT (name) DO UPDATE SET checksum = EXCLUDED.checksum, applied_at = now()
            WHERE r.checksum IS DISTINCT FROM EXCLUDED.checksum
            """, logger: logger)
        logger.info("applied \(repeatable.count) function and view files")
    }

    /// A database that applied an earlier text of a rewritten migration records the current one.
    private func recordRewrittenTexts(on connection: PostgresConnection) async throws {
        for migration in migrations {
            guard let earlier = earlierChecksums[migration.version], !earlier.isEmpty else { continue }
            try await connection.query("""
                UPDATE public.pasisync_migrations SET checksum = \(checksum(migration.sql))
                WHERE version = \(migration.version) AND checksum = ANY (\(Array(earlier))::text[])
                """, logger: logger)
        }
    }

    private func run(_ sql: String, named name: String, on connection: PostgresConnection) async throws {
        // A file of comments alone (a migration whose objects moved to their own files) runs nothing.
        guard sql.split(separator: "\n").contains(where: { line in
            let text = line.drop(while: \.isWhitespace)
            return !text.isEmpty && !text.hasPrefix("--")
        }) else { return }
        do {
            // The error of a failing file arrives with the rows, not with the query's
            // start: read them, or the next statement reports only "transaction aborted".
            let rows = try await connection.query("SELECT pg_temp.pasisync_run_migration(\(sql))", logger: logger)
            for try await _ in rows {}
        } catch let error as PSQLError {
            throw MigrationFailed(name: name, error: error)
        }
    }

    private func createRecordTables(on connection: PostgresConnection) async throws {
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS public.pasisync_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
        try await connection.query("""
            CREATE TABLE IF NOT EXISTS public.pasisync_repeatable_migrations (
                name       text PRIMARY KEY,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now())
            """, logger: logger)
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

/// The checksum recorded for a migration's text: SHA-256 in hex, as earlier builds computed it
/// in SQL (`encode(sha256(convert_to(sql, 'UTF8')), 'hex')`).
func checksum(_ sql: String) -> String {
    SHA256.hash(data: Array(sql.utf8)).map { String(format: "%02x", $0) }.joined()
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
