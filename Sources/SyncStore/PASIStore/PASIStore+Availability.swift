public import PASIModel
public import PostgresNIO

// Records PASI answers No Access or Unknown to (`pasi.record_availability`): kept, marked, not
// synchronized, until PASI answers Normal again.

/// A record (or status) PASI no longer shows this client.
public struct UnavailableRecord: Sendable, Hashable {
    /// `Student`, `StudentSchoolEnrolment`, `StudentStatus`, …
    public var recordType: String
    public var id: String
    /// `NoAccess` or `Unknown`, as the Get's Availability Status spells it.
    public var availability: String

    public init(recordType: String, id: String, availability: String) {
        self.recordType = recordType
        self.id = id
        self.availability = availability
    }
}

extension PASIStore {
    /// Marks records PASI answered No Access or Unknown to, on `connection`. A record already marked
    /// keeps its `since` unless the availability changed.
    /// - Returns: How many rows were written.
    @discardableResult
    public func markUnavailable(_ records: [UnavailableRecord], jobID: Int64?, on connection: PostgresConnection) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        let rows = try await connection.query("""
            WITH marked AS (
                INSERT INTO pasi.record_availability AS a (record_type, ref_id, availability, job_id)
                SELECT u.record_type, u.ref_id, u.availability, \(jobID)::int8
                FROM unnest(\(records.map(\.recordType))::text[], \(records.map(\.id))::text[], \(records.map(\.availability))::text[])
                     AS u (record_type, ref_id, availability)
                ON CONFLICT (record_type, ref_id) DO UPDATE
                    SET availability = EXCLUDED.availability, last_seen_at = now(),
                        since = CASE WHEN a.availability = EXCLUDED.availability THEN a.since ELSE now() END,
                        job_id = CASE WHEN a.availability = EXCLUDED.availability THEN a.job_id ELSE EXCLUDED.job_id END
                RETURNING 1)
            SELECT count(*) FROM marked
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Takes the mark off records PASI answered Normal to again (or deleted), on `connection`.
    /// - Returns: How many marks went.
    @discardableResult
    public func clearUnavailable(recordType: String, ids: [String], on connection: PostgresConnection) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let rows = try await connection.query("""
            WITH cleared AS (DELETE FROM pasi.record_availability WHERE record_type = \(recordType) AND ref_id = ANY(\(ids)) RETURNING 1)
            SELECT count(*) FROM cleared
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// The marked records of a type, by id, with their availability: what Hash Synchronization
    /// leaves out of the local hash (PASI's list leaves them out too) and Regular Synchronization
    /// does not send.
    public func unavailable(recordType: String, ids: [String]? = nil) async throws -> [String: String] {
        let rows = try await client.query("""
            SELECT ref_id, availability FROM pasi.record_availability
            WHERE record_type = \(recordType) AND (\(ids)::text[] IS NULL OR ref_id = ANY(\(ids)::text[]))
            """, logger: logger)
        var marks: [String: String] = [:]
        for try await (id, availability) in rows.decode((String, String).self) { marks[id] = availability }
        return marks
    }

    /// The versions held of `ids` of a type, by id (ids not held are absent): the `KnownSourceVersion`
    /// of a status Get.
    public func versions(of type: RecordType, ids: [String]) async throws -> [String: Int64] {
        guard !ids.isEmpty else { return [:] }
        let table = type.table
        let rows = try await client.query("""
            SELECT ref_id::text, pasi_core_version FROM \(unescaped: table.name)
            WHERE ref_id = ANY(CAST(\(ids) AS \(unescaped: table.keyType)[]))
            """, logger: logger)
        var versions: [String: Int64] = [:]
        for try await (id, version) in rows.decode((String, Int64).self) { versions[id] = version }
        return versions
    }
}
