public import PASIModel
public import PostgresNIO
internal import Foundation

// What the download processes (Load Local Copy, Hash Synchronization) write: records of any type
// in the caller's transaction, and the validation statuses PASI keeps per record.

/// A record's validation status as PASI sent it (StudentStatus, StudentSchoolEnrolmentStatus, …).
public struct ValidationStatusRecord: Sendable, Hashable {
    /// The status's notification type (a `…Status` name, with its year when year-scoped).
    public var type: NotificationType
    /// The record's id as the feed writes it.
    public var id: String
    /// The status's source version.
    public var version: Int64
    /// The core alerts, as a JSON array's text.
    public var alertsJSON: String

    public init(type: NotificationType, id: String, version: Int64, alertsJSON: String) {
        self.type = type
        self.id = id
        self.version = version
        self.alertsJSON = alertsJSON
    }
}

extension PASIStore {
    /// Stores records of any of the store's types on `connection` (the caller's transaction),
    /// each unless a newer version is held.
    /// - Throws: Database errors (every record type has its table).
    public func store(_ records: [any PASIRecord], on connection: PostgresConnection) async throws -> UpsertResult {
        var stored = 0
        var refused: [FeedItem] = []
        for (type, group) in Dictionary(grouping: records, by: { type(of: $0).recordType }) {
            let (written, kept) = try await storeGroup(type, group, on: connection)
            stored += written.count
            refused += kept
        }
        return UpsertResult(stored: stored, refused: refused.sorted { $0.id < $1.id })
    }

    private func storeGroup(_ type: RecordType, _ records: [any PASIRecord], on connection: PostgresConnection) async throws -> (stored: [String], refused: [FeedItem]) {
        try await type.rows.upsert(self, records, connection)
    }

    /// Deletes records by key on `connection` (a student with their names, addresses and phones).
    /// - Returns: How many were deleted.
    @discardableResult
    public func delete(_ type: RecordType, ids: [String], on connection: PostgresConnection) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let table = type.table
        let rows = try await connection.query("""
            WITH deleted AS (
                DELETE FROM \(unescaped: table.name) WHERE ref_id = ANY(CAST(\(ids) AS \(unescaped: table.keyType)[])) RETURNING 1
            )
            SELECT count(*) FROM deleted
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    // MARK: - Validation statuses

    /// Stores validation statuses on `connection`, each unless a newer source version is held.
    /// - Returns: How many were stored.
    @discardableResult
    public func storeStatuses(_ statuses: [ValidationStatusRecord], on connection: PostgresConnection) async throws -> Int {
        guard !statuses.isEmpty else { return 0 }
        struct Row: Encodable {
            let notification_name: String, ref_id: String, school_year: Int?, pasi_core_version: Int64, alerts: String
        }
        let rows = statuses.map {
            Row(notification_name: $0.type.name.rawValue, ref_id: $0.id, school_year: $0.type.year?.endYear,
                pasi_core_version: $0.version, alerts: $0.alertsJSON)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let result = try await connection.query("""
            WITH stored AS (
                INSERT INTO pasi.validation_statuses AS t (notification_name, ref_id, school_year, pasi_core_version, alerts)
                SELECT r.notification_name, r.ref_id, r.school_year, r.pasi_core_version, r.alerts::jsonb
                FROM jsonb_to_recordset(\(json)::jsonb) AS r (notification_name text, ref_id text, school_year integer,
                                                              pasi_core_version bigint, alerts text)
                ON CONFLICT (notification_name, ref_id) DO UPDATE
                    SET school_year = EXCLUDED.school_year, pasi_core_version = EXCLUDED.pasi_core_version,
                        alerts = EXCLUDED.alerts, fetched_at = now()
                WHERE t.pasi_core_version <= EXCLUDED.pasi_core_version
                RETURNING 1)
            SELECT count(*) FROM stored
            """, logger: logger)
        for try await count in result.decode(Int.self) { return count }
        return 0
    }

    /// Every `(id, version)` held of a status type, in id order: what a hash check compares.
    public func statusVersions(of type: NotificationType) async throws -> [FeedItem] {
        let rows = try await client.query("""
            SELECT ref_id, pasi_core_version FROM pasi.validation_statuses
            WHERE notification_name = \(type.name.rawValue) AND school_year IS NOT DISTINCT FROM \(type.year?.endYear)
            ORDER BY ref_id
            """, logger: logger)
        var items: [FeedItem] = []
        for try await (id, version) in rows.decode((String, Int64).self) { items.append(FeedItem(id: id, version: version)) }
        return items
    }

    /// Deletes statuses of a type by id on `connection`.
    @discardableResult
    public func deleteStatuses(of type: NotificationType, ids: [String], on connection: PostgresConnection) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let rows = try await connection.query("""
            WITH deleted AS (DELETE FROM pasi.validation_statuses
                             WHERE notification_name = \(type.name.rawValue) AND ref_id = ANY(\(ids)) RETURNING 1)
            SELECT count(*) FROM deleted
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
