public import Logging
public import PASIModel
public import PostgresNIO

/// The SIS side (`sis.*`) as synchronization sees it: students with their school enrolments, read
/// by id or in batches, and the fields a synchronization writes back when PASI's copy wins.
///
/// Writes go through the event-monitoring triggers like any other change: with monitoring on,
/// each write that changes something leaves a data event, and one that changes nothing leaves none.
public struct SISStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: - Reads

    /// A student with their enrolments, if the SIS has one with that id.
    /// - Parameter id: The SIS id (`sis.students.id`).
    /// - Throws: ``SyncStoreError`` for a row that no longer makes valid values; database errors.
    public func student(id: Int) async throws -> SISStudent? {
        try await students(ids: [id]).first
    }

    /// The students of a batch of ids, each with their enrolments (by school year, then entry
    /// date), in id order; ids the SIS does not have are left out.
    /// - Parameter ids: SIS ids.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func students(ids: [Int]) async throws -> [SISStudent] {
        try await students(ids: ids, enrolmentsOf: ids)
    }

    /// The students of a batch of ids, as ``students(ids:)``, but with the enrolments of only
    /// those in `enrolmentsOf`; the others come with none. Regular Sync reads a student whose
    /// phone changed without the enrolments it does not send: reading them was a third of the
    /// database's work in a round of such changes.
    public func students(ids: [Int], enrolmentsOf: [Int]) async throws -> [SISStudent] {
        guard !ids.isEmpty else { return [] }
        let students = try await client.binaryRows(SISStudentRow.self, """
            SELECT \(unescaped: SISStudentRow.columns) FROM sis.students WHERE id = ANY(\(ids)) ORDER BY id
            """, table: "sis.students", logger: logger)
        var enrolments: [SISEnrolmentRow] = []
        if !enrolmentsOf.isEmpty {
            enrolments = try await client.binaryRows(SISEnrolmentRow.self, """
                SELECT \(unescaped: SISEnrolmentRow.columns)
                FROM sis.enrolments AS e JOIN sis.schools AS sc ON sc.id = e.school_id
                WHERE e.student_id = ANY(\(enrolmentsOf))
                ORDER BY e.student_id, e.school_year, e.entry_date, e.id
                """, table: "sis.enrolments", logger: logger)
        }
        let byStudent = Dictionary(grouping: enrolments, by: \.studentID)
        return try students.map { row in try row.model(enrolments: (byStudent[row.id] ?? []).map { try $0.model() }) }
    }

    /// The id of the SIS student holding an ASN, if any.
    /// - Parameter asn: The ASN.
    /// - Throws: Database errors.
    public func studentID(asn: ASN) async throws -> Int? {
        let rows = try await client.query("SELECT id FROM sis.students WHERE asn = \(asn.digits)", logger: logger)
        for try await id in rows.decode(Int.self) { return id }
        return nil
    }

    // MARK: - Writes

    /// Writes a student's demographic fields, all of them (an empty field empties the column).
    /// - Parameters:
    ///   - studentID: The SIS id.
    ///   - demographics: The values to hold.
    /// - Throws: ``SyncStoreError`` with code `notFound` when no student has the id; database errors
    ///   (a CHECK names the rule a value breaks).
    public func updateDemographics(studentID: Int, to demographics: SISDemographics) async throws {
        let d = demographics
        let rows = try await client.query("""
            UPDATE sis.students SET
                legal_last_name = \(d.legalLastName), legal_first_name = \(d.legalFirstName),
                legal_middle_name = \(d.legalMiddleName), gender = \(d.gender?.sisCode),
                dob = \(d.birthDate?.description)::date, mailing_street = \(d.mailingStreet),
                mailing_city = \(d.mailingCity), mailing_state = \(d.mailingProvince), mailing_zip = \(d.mailingPostalCode),
                home_phone = \(d.homePhone), citizenship = \(d.citizenship), section23_eligibility = \(d.section23Eligibility),
                legal_gender = \(d.legalGender?.sisCode), suffix = \(d.legalSuffix), is_exact = \(d.isLegalNameExact),
                aka_surname = \(d.aliasLastName), aka_given_name = \(d.aliasFirstName), aka_middle_name = \(d.aliasMiddleName),
                aka_suffix = \(d.aliasSuffix), aka_is_exact = \(d.isAliasNameExact),
                preferred_name_ind = \(d.preferredName?.rawValue), doc_number = \(d.documentNumber), doc_type = \(d.documentType),
                doc_issue_dt = \(d.documentIssueDate?.description)::date,
                mailing_effective_dt = \(d.mailingEffectiveDate?.description)::date,
                mailing_expiry_dt = \(d.mailingExpiryDate?.description)::date, permanent_street = \(d.permanentStreet),
                permanent_city = \(d.permanentCity), permanent_province = \(d.permanentProvince),
                permanent_postal_code = \(d.permanentPostalCode), permanent_country = \(d.permanentCountry),
                permanent_effective_dt = \(d.permanentEffectiveDate?.description)::date,
                permanent_expiry_dt = \(d.permanentExpiryDate?.description)::date, phone_ext = \(d.phoneExtension),
                phone_type = \(d.phoneType), is_listable = \(d.isPhoneListable),
                phone_effective_dt = \(d.phoneEffectiveDate?.description)::date,
                phone_expiry_dt = \(d.phoneExpiryDate?.description)::date, protected_status = \(d.protectedStatus),
                protected_under = \(d.protectedUnder), protection_restrictions = \(d.protectionRestrictions),
                protection_effective_dt = \(d.protectionEffectiveDate?.description)::date,
                protection_expiry_dt = \(d.protectionExpiryDate?.description)::date,
                stu_auth_exp_dt = \(d.studyAuthorizationExpiryDate?.description)::date, deceased_status = \(d.isDeceased),
                deceased_dt = \(d.deceasedDate?.description)::date
            WHERE id = \(studentID)
            RETURNING id
            """, logger: logger)
        try await expectRow(rows, "sis.students has no student \(studentID)")
    }

    /// Sets or clears a student's ASN (`State_StudentNumber`).
    /// - Parameters:
    ///   - studentID: The SIS id.
    ///   - asn: The ASN, or `nil` to clear it.
    /// - Throws: ``SyncStoreError`` with code `notFound`; database errors (another student holding
    ///   the ASN breaks `students_asn_key`).
    public func setASN(studentID: Int, to asn: ASN?) async throws {
        let rows = try await client.query(
            "UPDATE sis.students SET asn = \(asn?.digits) WHERE id = \(studentID) RETURNING id", logger: logger)
        try await expectRow(rows, "sis.students has no student \(studentID)")
    }

    /// Sets or clears a school enrolment's exit date.
    /// - Parameters:
    ///   - enrolmentID: The SIS id (`sis.enrolments.id`).
    ///   - exitDate: The exit date, or `nil` while enrolled.
    /// - Throws: ``SyncStoreError`` with code `notFound`; database errors (an exit date before the
    ///   entry date breaks `exit_date_not_before_entry_date`).
    public func setExitDate(enrolmentID: Int, to exitDate: PASIDate?) async throws {
        let rows = try await client.query("""
            UPDATE sis.enrolments SET exit_date = \(exitDate?.description)::date WHERE id = \(enrolmentID) RETURNING id
            """, logger: logger)
        try await expectRow(rows, "sis.enrolments has no enrolment \(enrolmentID)")
    }

    // MARK: -

    private func expectRow(_ rows: PostgresRowSequence, _ message: String) async throws {
        for try await _ in rows.decode(Int.self) { return }
        throw SyncStoreError(.notFound, message)
    }
}
