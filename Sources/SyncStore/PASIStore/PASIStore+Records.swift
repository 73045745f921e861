public import PASIModel
internal import PostgresNIO

// Upserts and reads by key of the records other than students, one pair per entity.

extension PASIStore {
    // MARK: - Schools

    /// Stores a school unless a newer version is held.
    /// - Parameter school: The school as PASI sent it.
    /// - Returns: Whether it was stored or refused as older than the copy held.
    /// - Throws: Database errors (e.g. a refused CHECK, named by PostgreSQL).
    public func upsert(_ school: School) async throws -> UpsertOutcome { try await upsert([school]).single }

    /// Stores many schools in one transaction, each unless a newer version is held.
    /// - Parameter schools: The schools; a code given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ schools: [School]) async throws -> UpsertResult { try await upsertAll(schools.map(SchoolRow.init)) }

    /// The school with a code, if held.
    /// - Parameter code: The four-digit school code.
    /// - Throws: ``SyncStoreError`` for a row that no longer makes a valid school; database errors.
    public func school(code: OrganizationNumber) async throws -> School? {
        try await readRows(SchoolRow.self, ids: [code.description]).first?.model()
    }

    // MARK: - Courses

    /// Stores a course unless a newer version is held.
    /// - Parameter course: The course as PASI sent it.
    /// - Returns: Whether it was stored or refused.
    /// - Throws: Database errors.
    public func upsert(_ course: Course) async throws -> UpsertOutcome { try await upsert([course]).single }

    /// Stores many courses in one transaction.
    /// - Parameter courses: The courses; a code given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ courses: [Course]) async throws -> UpsertResult { try await upsertAll(courses.map(CourseRow.init)) }

    /// The course with a code, if held.
    /// - Parameter code: The course code, e.g. `MAT1791`.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func course(code: String) async throws -> Course? {
        try await readRows(CourseRow.self, ids: [code]).first?.model()
    }

    // MARK: - School enrolments

    /// Stores a school enrolment unless a newer version is held.
    /// - Parameter enrolment: The enrolment as PASI sent it.
    /// - Returns: Whether it was stored or refused.
    /// - Throws: Database errors.
    public func upsert(_ enrolment: SchoolEnrolment) async throws -> UpsertOutcome { try await upsert([enrolment]).single }

    /// Stores many school enrolments in one transaction.
    /// - Parameter enrolments: The enrolments; a RefId given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ enrolments: [SchoolEnrolment]) async throws -> UpsertResult {
        try await upsertAll(enrolments.map(SchoolEnrolmentRow.init))
    }

    /// The school enrolment with a RefId, if held.
    /// - Parameter refId: The enrolment's RefId.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func schoolEnrolment(refId: RefId) async throws -> SchoolEnrolment? {
        try await readRows(SchoolEnrolmentRow.self, ids: [refId.value]).first?.model()
    }

    /// The school enrolments held of many RefIds; RefIds not held are left out.
    /// - Parameter refIds: The enrolments' RefIds.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func schoolEnrolments(refIds: [RefId]) async throws -> [SchoolEnrolment] {
        guard !refIds.isEmpty else { return [] }
        return try await readRows(SchoolEnrolmentRow.self, ids: refIds.map(\.value)).map { try $0.model() }
    }

    /// A student's school enrolments, in RefId order.
    /// - Parameter asn: The student's ASN.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func schoolEnrolments(asn: ASN) async throws -> [SchoolEnrolment] {
        try await readRows(SchoolEnrolmentRow.self, where: "asn = \(asn.digits)").map { try $0.model() }
    }

    /// The school enrolments of many students, in RefId order.
    /// - Parameter asns: The students' ASNs.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func schoolEnrolments(asns: [ASN]) async throws -> [SchoolEnrolment] {
        guard !asns.isEmpty else { return [] }
        return try await readRowsBinary(SchoolEnrolmentRow.self, where: "asn = ANY(CAST(\(asns.map(\.digits)) AS char(9)[]))").map { try $0.model() }
    }

    // MARK: - Sections

    /// Stores a section unless a newer version is held.
    /// - Parameter section: The section as PASI sent it.
    /// - Returns: Whether it was stored or refused.
    /// - Throws: Database errors.
    public func upsert(_ section: Section) async throws -> UpsertOutcome { try await upsert([section]).single }

    /// Stores many sections in one transaction.
    /// - Parameter sections: The sections; a RefId given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ sections: [Section]) async throws -> UpsertResult { try await upsertAll(sections.map(SectionRow.init)) }

    /// The section with a RefId, if held.
    /// - Parameter refId: The section's RefId.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func section(refId: RefId) async throws -> Section? {
        try await readRows(SectionRow.self, ids: [refId.value]).first?.model()
    }

    // MARK: - Course enrolments

    /// Stores a course enrolment unless a newer version is held.
    /// - Parameter enrolment: The course enrolment as PASI sent it.
    /// - Returns: Whether it was stored or refused.
    /// - Throws: Database errors.
    public func upsert(_ enrolment: CourseEnrolment) async throws -> UpsertOutcome { try await upsert([enrolment]).single }

    /// Stores many course enrolments in one transaction.
    /// - Parameter enrolments: The course enrolments; a RefId given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ enrolments: [CourseEnrolment]) async throws -> UpsertResult {
        try await upsertAll(enrolments.map(CourseEnrolmentRow.init))
    }

    /// The course enrolment with a RefId, if held.
    /// - Parameter refId: The course enrolment's RefId.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func courseEnrolment(refId: RefId) async throws -> CourseEnrolment? {
        try await readRows(CourseEnrolmentRow.self, ids: [refId.value]).first?.model()
    }

    // MARK: - Evaluated marks

    /// Stores an evaluated mark unless a newer version is held.
    /// - Parameter mark: The mark as PASI sent it.
    /// - Returns: Whether it was stored or refused.
    /// - Throws: Database errors.
    public func upsert(_ mark: EvaluatedMark) async throws -> UpsertOutcome { try await upsert([mark]).single }

    /// Stores many evaluated marks in one transaction.
    /// - Parameter marks: The marks; a RefId given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ marks: [EvaluatedMark]) async throws -> UpsertResult { try await upsertAll(marks.map(EvaluatedMarkRow.init)) }

    /// The evaluated mark with a RefId, if held.
    /// - Parameter refId: The mark's RefId.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func evaluatedMark(refId: RefId) async throws -> EvaluatedMark? {
        try await readRows(EvaluatedMarkRow.self, ids: [refId.value]).first?.model()
    }

    // MARK: - Classroom accommodations

    /// Stores many classroom accommodations in one transaction.
    /// - Parameter accommodations: The accommodations; a RefId given twice keeps its highest version.
    /// - Returns: How many were stored, and which were refused.
    /// - Throws: Database errors; nothing is stored then.
    public func upsert(_ accommodations: [ClassroomAccommodation]) async throws -> UpsertResult {
        try await upsertAll(accommodations.map(ClassroomAccommodationRow.init))
    }

    /// The classroom accommodations held of these RefIds (RefIds not held are left out).
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func classroomAccommodations(refIds: [RefId]) async throws -> [ClassroomAccommodation] {
        guard !refIds.isEmpty else { return [] }
        return try await readRows(ClassroomAccommodationRow.self, ids: refIds.map(\.value)).map { try $0.model() }
    }

    // MARK: -

    private func upsertAll<Row: PASIRow>(_ rows: [Row]) async throws -> UpsertResult {
        guard !rows.isEmpty else { return UpsertResult(stored: 0, refused: []) }
        let (stored, refused) = try await client.inTransaction(logger: logger) { connection in
            try await upsertRows(rows, on: connection)
        }
        return UpsertResult(stored: stored.count, refused: refused)
    }
}

/// The school course marks records held of many RefIds (RefIds not held are left out), for
/// regular synchronization's rounds.
extension PASIStore {
    /// The sections held of these RefIds.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func sections(refIds: [RefId]) async throws -> [Section] {
        guard !refIds.isEmpty else { return [] }
        return try await readRows(SectionRow.self, ids: refIds.map(\.value)).map { try $0.model() }
    }

    /// The course enrolments held of these RefIds.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func courseEnrolments(refIds: [RefId]) async throws -> [CourseEnrolment] {
        guard !refIds.isEmpty else { return [] }
        return try await readRows(CourseEnrolmentRow.self, ids: refIds.map(\.value)).map { try $0.model() }
    }

    /// The evaluated marks held of these RefIds.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func evaluatedMarks(refIds: [RefId]) async throws -> [EvaluatedMark] {
        guard !refIds.isEmpty else { return [] }
        return try await readRows(EvaluatedMarkRow.self, ids: refIds.map(\.value)).map { try $0.model() }
    }
}
