public import Foundation
public import Logging
public import PostgresNIO

/// A reconcile run from the console, as its page lists it.
public struct ReconciliationResult: Sendable, Hashable {
    public let id: Int64
    /// When it ran, `YYYY-MM-DD HH:MM` in the cluster's time zone.
    public let createdLocal: String
    /// CM, EM or SE.
    public let exportType: String
    public let beforeName: String
    public let afterName: String
    public let resultName: String
    /// Records per Match Status.
    public let counts: [String: Int]
    public let bytes: Int
}

/// The results of the Reconciliation Process run from the console (`console.reconciliations`,
/// migration 0043): kept a day, for the user who ran it only.
public struct ReconciliationResultsStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// How long a result is kept and handed out.
    public static let keptFor: Duration = .seconds(86_400)

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Keeps a result, and deletes every result older than ``keptFor``. - Returns: its id.
    public func save(user: String, exportType: String, beforeName: String, afterName: String, resultName: String,
                     counts: [String: Int], content: Data) async throws -> Int64 {
        let seconds = Double(Self.keptFor.components.seconds)
        try await client.query("""
            DELETE FROM console.reconciliations WHERE created_at < now() - make_interval(secs => \(seconds))
            """, logger: logger)
        let json = String(decoding: try JSONEncoder().encode(counts), as: UTF8.self)
        let rows = try await client.query("""
            INSERT INTO console.reconciliations (user_name, export_type, before_name, after_name, result_name, counts, content)
            VALUES (\(user), \(exportType), \(beforeName), \(afterName), \(resultName), \(json)::jsonb, \(ByteBuffer(bytes: content)))
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw SyncStoreError(.unreadableRow, "console.reconciliations returned no id")
    }

    /// The user's results still kept, newest first.
    public func list(user: String) async throws -> [ReconciliationResult] {
        let seconds = Double(Self.keptFor.components.seconds)
        let rows = try await client.query("""
            SELECT r.id, to_char(r.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI'), r.export_type, r.before_name, r.after_name,
                   r.result_name, r.counts::text, octet_length(r.content)::int8
            FROM console.reconciliations AS r CROSS JOIN \(unescaped: AlertsStore.clusterZone) AS z
            WHERE r.user_name = \(user) AND r.created_at >= now() - make_interval(secs => \(seconds))
            ORDER BY r.id DESC LIMIT 20
            """, logger: logger)
        var results: [ReconciliationResult] = []
        for try await row in rows.decode((Int64, String, String, String, String, String, String, Int64).self) {
            let counts = (try? JSONDecoder().decode([String: Int].self, from: Data(row.6.utf8))) ?? [:]
            results.append(ReconciliationResult(id: row.0, createdLocal: row.1, exportType: row.2, beforeName: row.3, afterName: row.4,
                                                resultName: row.5, counts: counts, bytes: Int(row.7)))
        }
        return results
    }

    /// The result file of `id`, if `user` made it and it is still kept.
    public func content(id: Int64, user: String) async throws -> (name: String, content: Data)? {
        let seconds = Double(Self.keptFor.components.seconds)
        let rows = try await client.query("""
            SELECT result_name, content FROM console.reconciliations
            WHERE id = \(id) AND user_name = \(user) AND created_at >= now() - make_interval(secs => \(seconds))
            """, logger: logger)
        for try await (name, buffer) in rows.decode((String, ByteBuffer).self) { return (name, Data(buffer.readableBytesView)) }
        return nil
    }
}
