internal import PASIModel

/// The columns of `sis.students` that ``SISStore`` reads, as `to_jsonb` writes them.
struct SISStudentRow: Decodable, Sendable {
    var id: Int
    var studentNumber: Int64
    var asn: String?
    var lastName: String
    var firstName: String
    var middleName: String?
    var legalLastName: String?
    var legalFirstName: String?
    var legalMiddleName: String?
    var gender: String?
    var dob: String?
    var mailingStreet: String?
    var mailingCity: String?
    var mailingState: String?
    var mailingZip: String?
    var homePhone: String?
    var citizenship: String?
    var section23Eligibility: String?

    enum CodingKeys: String, CodingKey {
        case id, studentNumber = "student_number", asn, lastName = "last_name", firstName = "first_name"
        case middleName = "middle_name", legalLastName = "legal_last_name", legalFirstName = "legal_first_name"
        case legalMiddleName = "legal_middle_name", gender, dob, mailingStreet = "mailing_street"
        case mailingCity = "mailing_city", mailingState = "mailing_state", mailingZip = "mailing_zip"
        case homePhone = "home_phone", citizenship, section23Eligibility = "section23_eligibility"
    }

    /// The SELECT list, in the table's names.
    static let columns = """
        id, student_number, asn, last_name, first_name, middle_name, legal_last_name, legal_first_name,
        legal_middle_name, gender, dob, mailing_street, mailing_city, mailing_state, mailing_zip, home_phone,
        citizenship, section23_eligibility
        """

    func model(enrolments: [SISEnrolment]) throws -> SISStudent {
        let reader = RowReader(table: "sis.students", key: String(id))
        let gender = try gender.map { code in
            try reader.required(Gender(sisCode: code), "gender PASI knows (got \(code))")
        }
        return SISStudent(
            id: id, studentNumber: studentNumber, asn: try reader.asn(asn), lastName: lastName, firstName: firstName,
            middleName: middleName,
            demographics: SISDemographics(
                legalLastName: legalLastName, legalFirstName: legalFirstName, legalMiddleName: legalMiddleName,
                gender: gender, birthDate: try reader.date(dob), mailingStreet: mailingStreet, mailingCity: mailingCity,
                mailingProvince: mailingState, mailingPostalCode: mailingZip, homePhone: homePhone,
                citizenship: citizenship, section23Eligibility: section23Eligibility),
            enrolments: enrolments)
    }
}

/// A row of `sis.enrolments` with its school's code.
struct SISEnrolmentRow: Decodable, Sendable {
    var id: Int
    var studentID: Int
    var schoolID: Int
    var schoolCode: String
    var schoolYear: Int
    var gradeLevel: String
    var entryDate: String
    var exitDate: String?
    var enrollStatus: Int
    var isCurrent: Bool
    var registrationType: String?

    enum CodingKeys: String, CodingKey {
        case id, studentID = "student_id", schoolID = "school_id", schoolCode = "school_code", schoolYear = "school_year"
        case gradeLevel = "grade_level", entryDate = "entry_date", exitDate = "exit_date", enrollStatus = "enroll_status"
        case isCurrent = "is_current", registrationType = "registration_type"
    }

    func model() throws -> SISEnrolment {
        let reader = RowReader(table: "sis.enrolments", key: String(id))
        let exitDate = try reader.date(exitDate)
        return try reader.read { () throws(PASIModelError) in
            try SISEnrolment(
                id: id, studentID: studentID, schoolID: schoolID,
                schoolCode: OrganizationNumber(schoolCode, field: "sis.schools.school_code"),
                schoolYear: SchoolYear(sisStartYear: schoolYear), grade: GradeCode(gradeLevel), entryDate: PASIDate(entryDate),
                exitDate: exitDate, enrollStatus: enrollStatus, isCurrent: isCurrent, registrationType: registrationType)
        }
    }
}
