/// The four tab-delimited extract files the Initial Synchronization writes when the
/// Synchronization Extract Files setting is on, as rows of text (no I/O).
///
/// Rules (docs/records-matching.md):
/// - the header is the seed's list, in its order and spelling, without the remark
///   "(blank if student is unmatched)";
/// - the identity columns the seed marks with that remark hold the matched SIS student's
///   (and, in the enrolment files, SIS enrolment's) identity, and are blank for a student
///   matched to nobody: an unmatched SIS student, or a PASI student the SIS lacks;
/// - every other column holds the values of the side holding the record: the SIS row for
///   a SIS record, PASI's values for a PASI-only record; a diff row is the SIS record, with
///   its SIS values;
/// - dates are `YYYY-MM-DD`, as the SIS stores them; school years are the SIS's start year
///   (2025 for 2025/2026); gender is the SIS's one-letter code, for PASI's values too;
///   flags are `1` or `0`, blank when not collected;
/// - a tab or line break inside a value becomes a space, so a value never breaks the format.
public enum InitialSyncExtract {
    /// One of the four files.
    public enum File: String, Sendable, Hashable, CaseIterable {
        /// SIS students matched to nobody, and PASI students the SIS lacks.
        case unmatchedStudents = "pasi-init-unmatched-students.tab"
        /// Matched SIS students with at least one student conflict.
        case diffStudents = "pasi-init-diff-students.tab"
        /// SIS enrolments PASI lacks (those of unmatched students too) and PASI enrolments at
        /// the authority that the SIS lacks.
        case unmatchedEnrolments = "pasi-init-unmatched-enrolments.tab"
        /// Matched SIS enrolments with at least one conflict.
        case diffEnrolments = "pasi-init-diff-enrolments.tab"

        /// The file's name.
        public var fileName: String { rawValue }

        /// The file's columns.
        public var header: [String] {
            switch self {
            case .unmatchedStudents, .diffStudents: InitialSyncExtract.studentHeader
            case .unmatchedEnrolments, .diffEnrolments: InitialSyncExtract.enrolmentHeader
            }
        }

        /// The header as one tab-delimited line (no line break).
        public var headerLine: String { header.joined(separator: "\t") }
    }

    /// The columns of `pasi-init-diff-students.tab` and `pasi-init-unmatched-students.tab`.
    public static let studentHeader = [
        "last_name", "first_name", "middle_name", "ID", "Student_Number", "State_StudentNumber",
        "S_AB_STU_X.AKASurname", "S_AB_STU_X.AKAGivenName", "S_AB_STU_X.AKAMiddleName", "S_AB_STU_X.AKASuffix",
        "S_AB_STU_X.AKAIsExact", "studentcorefields.PSCORE_Legal_Last_Name", "studentcorefields.PSCORE_Legal_First_Name",
        "studentcorefields.PSCORE_Legal_Middle_Name", "S_AB_STU_X.Suffix", "S_AB_STU_X.IsExact",
        "S_AB_STU_X.PreferredNameInd", "Gender", "studentcorefields.PSCORE_Legal_Gender", "DOB", "S_AB_STU_X.DocNumber",
        "S_AB_STU_X.DocType", "S_AB_STU_X.DocIssueDt", "Mailing_Street", "Mailing_City", "Mailing_State", "Mailing_Zip",
        "S_AB_STU_X.MailingEffectiveDt", "S_AB_STU_X.MailingExpiryDt", "S_AB_STU_X.PermanentStreet",
        "S_AB_STU_X.PermanentCity", "S_AB_STU_X.PermanentProvince", "S_AB_STU_X.PermanentPostalCode",
        "S_AB_STU_X.PermanentCountry", "S_AB_STU_X.PermanentEffectiveDt", "S_AB_STU_X.PermanentExpiryDt", "Home_Phone",
        "S_AB_STU_X.PhoneExt", "S_AB_STU_X.PhoneType", "S_AB_STU_X.IsListable", "S_AB_STU_X.PhoneEffectiveDt",
        "S_AB_STU_X.PhoneExpiryDt", "S_AB_STU_X.RegistrationType", "S_AB_STU_X.ProtectedStatus",
        "S_AB_STU_X.ProtectedUnder", "S_AB_STU_X.ProtectionEffectiveDt", "S_AB_STU_X.ProtectionExpiryDt",
        "S_AB_STU_X.ProtectionRestrictions", "S_AB_STU_X.Section23Eligibility", "S_AB_STU_X.Citizenship",
        "S_AB_STU_X.StuAuthExpDt", "S_AB_STU_X.DeceasedStatus", "S_AB_STU_X.DeceasedDt",
    ]

    /// The columns of `pasi-init-diff-enrolments.tab` and `pasi-init-unmatched-enrolments.tab`.
    public static let enrolmentHeader = [
        "last_name", "first_name", "middle_name", "ID", "Student_Number", "EnrollmentID", "State_StudentNumber",
        "SchoolID", "School_Year", "Grade_Level", "EntryDate", "ExitDate", "Enroll_Status", "S_AB_STU_X.RegistrationType",
        "StudentID", "EntryCode", "ExitCode", "S_AB_STU_X.GrantsProgram1", "S_AB_STU_X.GrantsProgram2",
        "S_AB_STU_X.GrantsProgram3", "S_AB_STU_X.SpclEduStu1", "S_AB_STU_X.SpclEduStu2", "S_AB_STU_X.EnrlType1",
        "S_AB_STU_X.EnrlType2", "S_AB_STU_X.EnrlType3", "S_AB_STU_X.FNMI", "S_AB_STU_X.FrenchHours",
        "S_AB_STU_X.ResidentBoard",
    ]

    /// What one extract row is made from.
    public enum Record: Sendable, Hashable {
        /// A SIS student; `identified` is false for one matched to nobody.
        case sisStudent(SISStudent, identified: Bool)
        /// A PASI student the SIS lacks.
        case pasiStudent(Student)
        /// A SIS enrolment of `student`; `identified` is false when the student is matched to nobody.
        case sisEnrolment(SISEnrolment, student: SISStudent, identified: Bool)
        /// A PASI enrolment the SIS lacks, of the matched SIS `student`, or of a PASI student
        /// the SIS lacks (`nil`).
        case pasiEnrolment(SchoolEnrolment, student: SISStudent?)
    }

    /// One row of one file.
    public struct Entry: Sendable, Hashable {
        /// The file the row goes to.
        public var file: File
        /// What the row is made from.
        public var record: Record

        /// Creates an entry.
        public init(file: File, record: Record) {
            self.file = file
            self.record = record
        }

        /// The row's fields, one per header column.
        public var fields: [String] { InitialSyncExtract.fields(record) }

        /// The row as one tab-delimited line (no line break).
        public var line: String { InitialSyncExtract.line(fields) }
    }

    /// The fields of a record's row, one per column of its file's header.
    /// - Parameter record: The record.
    public static func fields(_ record: Record) -> [String] {
        switch record {
        case let .sisStudent(student, identified): studentFields(student, identified: identified)
        case let .pasiStudent(student): studentFields(student)
        case let .sisEnrolment(enrolment, student, identified): enrolmentFields(enrolment, of: student, identified: identified)
        case let .pasiEnrolment(enrolment, student): enrolmentFields(enrolment, of: student)
        }
    }

    /// Fields joined by tabs, each cleaned (see ``clean(_:)``).
    /// - Parameter fields: The fields.
    public static func line(_ fields: [String]) -> String { fields.map(clean).joined(separator: "\t") }

    /// A value with every tab, line break or other control character replaced by a space.
    /// - Parameter value: The value.
    public static func clean(_ value: String) -> String {
        guard value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) else {
            return value
        }
        return String(String.UnicodeScalarView(value.unicodeScalars.map {
            $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" ? " " : $0
        }))
    }

    // MARK: - Students

    /// A SIS student's row: identity columns blank unless `identified`; every other column
    /// the SIS's value (the legal name columns as the SIS holds them, without fallback).
    /// - Parameters:
    ///   - student: The SIS student.
    ///   - identified: Whether the student is matched (else the identity columns are blank).
    public static func studentFields(_ student: SISStudent, identified: Bool) -> [String] {
        let d = student.demographics
        let identity = identified
            ? [student.lastName, student.firstName, student.middleName ?? "", String(student.id), String(student.studentNumber)]
            : ["", "", "", "", ""]
        let current = student.enrolments.first(where: \.isCurrent) ?? student.enrolments.last
        return identity + [
            student.asn?.digits ?? "",
            text(d.aliasLastName), text(d.aliasFirstName), text(d.aliasMiddleName), text(d.aliasSuffix), flag(d.isAliasNameExact),
            text(d.legalLastName), text(d.legalFirstName), text(d.legalMiddleName), text(d.legalSuffix), flag(d.isLegalNameExact),
            d.preferredName?.rawValue ?? "", d.gender?.sisCode ?? "", d.legalGender?.sisCode ?? "", date(d.birthDate),
            text(d.documentNumber), text(d.documentType), date(d.documentIssueDate),
            text(d.mailingStreet), text(d.mailingCity), text(d.mailingProvince), text(d.mailingPostalCode),
            date(d.mailingEffectiveDate), date(d.mailingExpiryDate),
            text(d.permanentStreet), text(d.permanentCity), text(d.permanentProvince), text(d.permanentPostalCode),
            text(d.permanentCountry), date(d.permanentEffectiveDate), date(d.permanentExpiryDate),
            text(d.homePhone), text(d.phoneExtension), text(d.phoneType), flag(d.isPhoneListable),
            date(d.phoneEffectiveDate), date(d.phoneExpiryDate),
            text(current?.registrationType),
            text(d.protectedStatus), text(d.protectedUnder), date(d.protectionEffectiveDate), date(d.protectionExpiryDate),
            text(d.protectionRestrictions), text(d.section23Eligibility), text(d.citizenship),
            date(d.studyAuthorizationExpiryDate), flag(d.isDeceased), date(d.deceasedDate),
        ]
    }

    /// A PASI student's row (a student the SIS lacks): identity columns blank, every other
    /// column PASI's value. PASI keeps no registration type, protected status or study
    /// authorization on the student, so those are blank; the phone is the home phone (else
    /// the preferred one), the disclosure restriction the one in force.
    /// - Parameter student: The PASI student.
    public static func studentFields(_ student: Student) -> [String] {
        let legal = student.legalName
        let alias = student.names.first { $0.type == .alias }
        let mailing = StudentComparison.address(student, .mailing)
        let permanent = StudentComparison.address(student, .physical)
        let phone = StudentComparison.phone(student)
        let restriction = StudentComparison.restriction(student)
        let document = student.identificationDocument
        return ["", "", "", "", "", student.asn.digits,
            text(alias?.lastName), text(alias?.firstName), text(alias?.middleName), text(alias?.suffix), flag(alias?.isNameExact),
            text(legal?.lastName), text(legal?.firstName), text(legal?.middleName), text(legal?.suffix), flag(legal?.isNameExact),
            student.names.first(where: \.isPreferred)?.type.rawValue ?? "", student.gender.sisCode, student.gender.sisCode,
            date(student.birthDate), text(document?.numberLastCharacters), text(document?.type), date(document?.issueDate),
            text(mailing?.street), text(mailing?.city), text(mailing?.province), text(mailing?.postalCode),
            date(mailing?.effectiveDate), date(mailing?.expiryDate),
            text(permanent?.street), text(permanent?.city), text(permanent?.province), text(permanent?.postalCode),
            text(permanent?.country), date(permanent?.effectiveDate), date(permanent?.expiryDate),
            text(phone?.number), text(phone?.extension), text(phone?.type), flag(phone?.isListable),
            date(phone?.effectiveDate), date(phone?.expiryDate),
            "", "", text(restriction?.details), date(restriction?.effectiveDate), date(restriction?.expiryDate),
            text(restriction?.code), text(student.section23Eligibility), text(student.citizenshipStatus), "",
            flag(student.isDeceased), date(student.deceasedDate),
        ]
    }

    // MARK: - Enrolments

    /// The identity columns of an enrolment row: the SIS student's (and SIS enrolment's) when identified.
    static func identity(_ student: SISStudent?, enrolmentID: Int?) -> [String] {
        guard let student else { return ["", "", "", "", "", "", ""] }
        return [student.lastName, student.firstName, student.middleName ?? "", String(student.id), String(student.studentNumber),
                enrolmentID.map(String.init) ?? "", student.asn?.digits ?? ""]
    }

    /// A SIS enrolment's row: identity columns blank unless `identified`, every other column
    /// the SIS's value; `SchoolID` is the SIS's school id.
    /// - Parameters:
    ///   - enrolment: The SIS enrolment.
    ///   - student: Its student.
    ///   - identified: Whether the student is matched.
    public static func enrolmentFields(_ enrolment: SISEnrolment, of student: SISStudent, identified: Bool) -> [String] {
        let e = enrolment
        return identity(identified ? student : nil, enrolmentID: e.id) + [
            String(e.schoolID), String(e.schoolYear.sisStartYear), e.grade.code, date(e.entryDate), date(e.exitDate),
            String(e.enrollStatus), text(e.registrationType), String(student.id), text(e.entryCode), text(e.exitCode),
        ] + codes(e.grantsProgramCodes, 3) + codes(e.exceptionCodes, 2) + codes(e.enrolmentTypeCodes, 3) + [
            text(e.fnmiDeclaration), e.frenchHoursOfInstruction.map(String.init) ?? "", e.residentBoard?.description ?? "",
        ]
    }

    /// A PASI enrolment's row (one the SIS lacks): identity columns those of the matched SIS
    /// student (`EnrollmentID` blank), or blank; every other column PASI's value: `SchoolID`
    /// the school code, `StudentID` the local student id PASI holds; PASI keeps no entry or exit
    /// code and, on the 2020 endpoint, no registration status (registration_status.html), so
    /// those and `Enroll_Status` are blank (an enrolment created in error, `IsDeleted`, is not
    /// compared and never reaches the extract).
    /// - Parameters:
    ///   - enrolment: The PASI enrolment.
    ///   - student: The matched SIS student, or `nil`.
    public static func enrolmentFields(_ enrolment: SchoolEnrolment, of student: SISStudent?) -> [String] {
        let e = enrolment
        let x = e.extendedInfo
        return identity(student, enrolmentID: nil) + [
            e.schoolCode.description, String(e.schoolYear.sisStartYear), e.grade.code, date(e.entryDate), date(e.exitDate),
            "", e.registrationType, text(x?.localStudentID), "", "",
        ] + codes(x?.grantsProgramCodes ?? [], 3) + codes(x?.exceptionCodes ?? [], 2) + codes(x?.enrolmentTypeCodes ?? [], 3) + [
            text(x?.fnmiDeclaration), x?.frenchHoursOfInstruction.map(String.init) ?? "", x?.residentBoard?.description ?? "",
        ]
    }

    // MARK: - Values

    static func text(_ value: String?) -> String { value ?? "" }
    static func date(_ value: PASIDate?) -> String { value?.description ?? "" }
    static func flag(_ value: Bool?) -> String { value.map { $0 ? "1" : "0" } ?? "" }

    /// Exactly `count` fields: the codes, then blanks.
    static func codes(_ values: [String], _ count: Int) -> [String] {
        Array(values.prefix(count)) + Array(repeating: "", count: max(0, count - values.count))
    }
}
