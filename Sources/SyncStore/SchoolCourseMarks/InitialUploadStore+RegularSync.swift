public import PASIModel
public import PostgresNIO

/// What regular synchronization reads of the Initial Upload's side: the RefIds it chose
/// (`sync.initial_upload_records`), so that an edit of an uploaded row updates the same PASI
/// record, and which stored grades are final marks.
extension InitialUploadStore {
    /// The RefIds already chosen for these rows of `type` (none is chosen here): for a deleted SIS
    /// row, whose school is gone with it.
    public func existingRecords(_ type: RecordType, ids: [Int]) async throws -> [Int: UploadRecordState] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await client.query("""
            SELECT sis_id, ref_id::text, pasi_version FROM sync.initial_upload_records
            WHERE record_type = \(type.rawValue) AND sis_id = ANY(\(ids)::int[])
            """, logger: logger)
        var out: [Int: UploadRecordState] = [:]
        for try await (id, ref, version) in rows.decode((Int, String, Int64?).self) {
            let refId = try RowReader(table: "sync.initial_upload_records", key: String(id)).read { () throws(PASIModelError) in try RefId(ref) }
            out[id] = UploadRecordState(refId: refId, pasiVersion: version)
        }
        return out
    }

    /// Of these stored grades, those that are evaluated marks: under their section's term's Final
    /// Mark Store Code, or without a section (the rows an Evaluated Marks upload sends).
    public func finalMarkIDs(_ ids: [Int]) async throws -> Set<Int> {
        guard !ids.isEmpty else { return [] }
        let rows = try await client.query("""
            SELECT g.id FROM sis.stored_grades g
            LEFT JOIN sis.sections s ON s.id = g.section_id LEFT JOIN sis.terms t ON t.id = s.term_id
            WHERE g.id = ANY(\(ids)::int[]) AND (g.section_id IS NULL OR g.store_code = t.final_mark_store_code)
            """, logger: logger)
        var out: Set<Int> = []
        for try await id in rows.decode(Int.self) { out.insert(id) }
        return out
    }

    /// Keeps PASI's version of records regular synchronization got accepted, in the caller's
    /// transaction: a later Initial Upload of the school finds them accepted and does not create
    /// them again.
    public func noteAccepted(refIds: [String], versions: [Int64], on connection: PostgresConnection) async throws {
        guard !refIds.isEmpty else { return }
        try await connection.query("""
            UPDATE sync.initial_upload_records r SET pasi_version = a.version, rejection = NULL, updated_at = now()
            FROM unnest(\(refIds)::uuid[], \(versions)::bigint[]) AS a (ref_id, version)
            WHERE r.ref_id = a.ref_id
            """, logger: logger)
    }

    /// Which of the seed's Upload Types ("Sections", …) completed for the school.
    public func completedTypes(schoolCode: String) async throws -> Set<String> {
        let rows = try await client.query("""
            SELECT DISTINCT upload_type FROM sync.initial_uploads WHERE school_code = \(schoolCode)
            """, logger: logger)
        var out: Set<String> = []
        for try await type in rows.decode(String.self) { out.insert(type) }
        return out
    }
}
