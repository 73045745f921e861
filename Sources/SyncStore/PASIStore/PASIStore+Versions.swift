public import PASIModel
internal import PostgresNIO

// What a hash synchronization compares, and deletes.

extension PASIStore {
    /// Every `(id, version)` pair held for a type, in key order: the list a hash synchronization
    /// compares with PASI's.
    /// - Parameters:
    ///   - type: The kind of record.
    ///   - schoolYear: For a year-scoped type (`Type.YYYY`), only that school year; ignored otherwise.
    /// - Throws: Database errors.
    public func versions(of type: RecordType, schoolYear: SchoolYear? = nil) async throws -> [FeedItem] {
        let table = type.table
        var query: PostgresQuery = "SELECT ref_id::text, pasi_core_version FROM \(unescaped: table.name)"
        if let column = table.yearColumn, let year = schoolYear?.endYear {
            query = "SELECT ref_id::text, pasi_core_version FROM \(unescaped: table.name) WHERE \(unescaped: column) = \(year)"
        }
        query.sql += " ORDER BY ref_id"
        let rows = try await client.query(query, logger: logger)
        var versions: [FeedItem] = []
        for try await (id, version) in rows.decode((String, Int64).self) { versions.append(FeedItem(id: id, version: version)) }
        return versions
    }

    /// Deletes a record (and, for a student, their names, addresses and phones).
    /// - Parameters:
    ///   - type: The kind of record.
    ///   - id: Its key as text, as ``PASIModel/FeedItem/id`` gives it.
    /// - Returns: Whether a record was deleted.
    /// - Throws: Database errors (e.g. an id that is not a GUID for a GUID-keyed type).
    @discardableResult
    public func delete(_ type: RecordType, id: String) async throws -> Bool {
        try await delete(type, ids: [id]) == 1
    }

    /// Deletes records by key.
    /// - Parameters:
    ///   - type: The kind of record.
    ///   - ids: Their keys as text.
    /// - Returns: How many records were deleted.
    /// - Throws: Database errors.
    @discardableResult
    public func delete(_ type: RecordType, ids: [String]) async throws -> Int {
        let table = type.table
        let rows = try await client.query("""
            WITH deleted AS (
                DELETE FROM \(unescaped: table.name) WHERE ref_id = ANY(CAST(\(ids) AS \(unescaped: table.keyType)[])) RETURNING 1
            )
            SELECT count(*) FROM deleted
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
