public import PASIModel

// Reading the whole store back, type by type: what a PASI Core simulator serving "the province
// this district downloaded" loads.

extension PASIStore {
    /// Every record held of `type`, in key order, handed over `batchSize` at a time so a
    /// district of any size is read with bounded memory on this side.
    /// - Parameters:
    ///   - type: The kind of record.
    ///   - body: Called with each batch.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors; what `body` throws.
    public func forEachBatch(of type: PASIEntityType, _ body: ([any PASIRecord]) async throws -> Void) async throws {
        let ids = try await versions(of: type).map(\.id)
        for start in stride(from: 0, to: ids.count, by: Self.batchSize) {
            try await body(try await records(of: type, ids: Array(ids[start..<min(start + Self.batchSize, ids.count)])))
        }
    }

    private func records(of type: PASIEntityType, ids: [String]) async throws -> [any PASIRecord] {
        switch type {
        case .student: try await students(asns: ids.map { try ASN($0, checkDigit: .ignored) })
        case .schoolEnrolment: try await readRows(SchoolEnrolmentRow.self, ids: ids).map { try $0.model() }
        case .school: try await readRows(SchoolRow.self, ids: ids).map { try $0.model() }
        case .schoolAuthority: try await readRows(SchoolAuthorityRow.self, ids: ids).map { try $0.model() }
        case .course: try await readRows(CourseRow.self, ids: ids).map { try $0.model() }
        case .section: try await readRows(SectionRow.self, ids: ids).map { try $0.model() }
        case .courseEnrolment: try await readRows(CourseEnrolmentRow.self, ids: ids).map { try $0.model() }
        case .evaluatedMark: try await readRows(EvaluatedMarkRow.self, ids: ids).map { try $0.model() }
        case .diplomaExam: try await readRows(DiplomaExamRow.self, ids: ids).map { try $0.model() }
        case .diplomaExamSitting: try await readRows(DiplomaExamSittingRow.self, ids: ids).map { try $0.model() }
        case .diplomaExamMark: try await readRows(DiplomaExamMarkRow.self, ids: ids).map { try $0.model() }
        case .classroomAccommodation: try await readRows(ClassroomAccommodationRow.self, ids: ids).map { try $0.model() }
        case .studentTranscriptDetail: try await readRows(StudentTranscriptDetailRow.self, ids: ids).map { try $0.model() }
        }
    }
}
