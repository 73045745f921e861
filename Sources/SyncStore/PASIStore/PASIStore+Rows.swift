internal import Foundation
internal import Logging
internal import PostgresNIO
internal import PASIModel

/// The statements every entity table shares: upsert with the version guard, read by keys.
extension PASIStore {
    /// Upserts `rows` on `connection`, a batch per statement, keeping a stored copy whose version
    /// is newer. A key given twice keeps its highest version.
    /// - Returns: The keys stored, and the refused records with the version the store holds.
    func upsertRows<Row: PASIRow>(_ rows: [Row], on connection: PostgresConnection) async throws -> (stored: [String], refused: [FeedItem]) {
        let (stored, refused, _) = try await upsertRowsNotingNew(rows, on: connection)
        return (stored, refused)
    }

    /// ``upsertRows(_:on:)``, also naming the keys that were new to the table (inserted, not replaced).
    func upsertRowsNotingNew<Row: PASIRow>(
        _ rows: [Row], on connection: PostgresConnection
    ) async throws -> (stored: [String], refused: [FeedItem], new: Set<String>) {
        var latest: [String: Row] = [:]
        for row in rows where (latest[row.refId]?.pasiCoreVersion ?? .min) <= row.pasiCoreVersion { latest[row.refId] = row }
        let unique = Array(latest.values)
        var stored: [String] = []
        var refused: [FeedItem] = []
        var new: Set<String> = []
        for start in stride(from: 0, to: unique.count, by: Self.batchSize) {
            let batch = Array(unique[start..<min(start + Self.batchSize, unique.count)])
            let written = try await upsertBatch(batch, on: connection)
            stored += written.map(\.id)
            new.formUnion(written.filter(\.inserted).map(\.id))
            let writtenSet = Set(written.map(\.id))
            let missing = batch.map(\.refId).filter { !writtenSet.contains($0) }
            if !missing.isEmpty { refused += try await versions(of: Row.table, ids: missing, on: connection) }
        }
        return (stored, refused.sorted { ($0.id, $0.version) < ($1.id, $1.version) }, new)
    }

    /// - Returns: The keys written, each with whether it was inserted (`xmax = 0`: no row was replaced).
    private func upsertBatch<Row: PASIRow>(_ batch: [Row], on connection: PostgresConnection) async throws -> [(id: String, inserted: Bool)] {
        let table = Row.table
        let names = table.columns.map(\.name)
        let list = names.joined(separator: ", ")
        let types = table.columns.map { "\($0.name) \($0.type)" }.joined(separator: ", ")
        let updates = (names.dropFirst().map { "\($0) = EXCLUDED.\($0)" } + ["fetched_at = now()"]).joined(separator: ", ")
        let json = try String(decoding: JSONEncoder().encode(batch), as: UTF8.self)
        let rows = try await connection.query("""
            INSERT INTO \(unescaped: table.name) AS t (\(unescaped: list))
            SELECT \(unescaped: list) FROM jsonb_to_recordset(\(json)::jsonb) AS r (\(unescaped: types))
            ON CONFLICT (ref_id) DO UPDATE SET \(unescaped: updates)
            WHERE t.pasi_core_version <= EXCLUDED.pasi_core_version
            RETURNING ref_id::text, xmax = 0
            """, logger: logger)
        var stored: [(id: String, inserted: Bool)] = []
        for try await (id, inserted) in rows.decode((String, Bool).self) { stored.append((id, inserted)) }
        return stored
    }

    /// The versions held of `ids` in `table`, by key.
    func versions(of table: PASITable, ids: [String], on connection: PostgresConnection) async throws -> [FeedItem] {
        let rows = try await connection.query("""
            SELECT ref_id::text, pasi_core_version FROM \(unescaped: table.name)
            WHERE ref_id = ANY(CAST(\(ids) AS \(unescaped: table.keyType)[])) ORDER BY ref_id
            """, logger: logger)
        var versions: [FeedItem] = []
        for try await (id, version) in rows.decode((String, Int64).self) { versions.append(FeedItem(id: id, version: version)) }
        return versions
    }

    /// The rows of `Row`'s table with the given keys, in key order; keys not held are left out.
    func readRows<Row: PASIRow>(_ type: Row.Type, ids: [String]) async throws -> [Row] {
        try await readRows(type, where: "ref_id = ANY(CAST(\(ids) AS \(unescaped: Row.table.keyType)[]))")
    }

    /// The rows of `Row`'s table that match `condition` (a fragment after WHERE, with its binds), in key order.
    func readRows<Row: PASIRow>(_ type: Row.Type, where condition: PostgresQuery) async throws -> [Row] {
        var query: PostgresQuery = "SELECT (to_jsonb(t) - 'fetched_at')::text FROM \(unescaped: Row.table.name) AS t WHERE "
        query.sql += condition.sql
        query.binds = condition.binds
        query.sql += " ORDER BY ref_id"
        return try await client.jsonRows(Row.self, query, table: Row.table.name, logger: logger)
    }

    /// As `readRows(_:where:)`, decoded from the binary cells (`binaryRows`) instead of `to_jsonb`
    /// text: for the wide rows Initial Synchronization reads by the thousand. The columns are the
    /// table's own, so a row type whose fields are text for a timestamp column cannot use it.
    func readRowsBinary<Row: PASIRow>(_ type: Row.Type, where condition: PostgresQuery) async throws -> [Row] {
        let columns = Row.table.columns.map { "t.\($0.name)" }.joined(separator: ", ")
        var query: PostgresQuery = "SELECT \(unescaped: columns) FROM \(unescaped: Row.table.name) AS t WHERE "
        query.sql += condition.sql
        query.binds = condition.binds
        query.sql += " ORDER BY ref_id"
        return try await client.binaryRows(Row.self, query, table: Row.table.name, logger: logger)
    }
}
