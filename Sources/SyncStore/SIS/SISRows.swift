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
    var legalGender: String?
    var suffix: String?
    var isExact: Bool?
    var akaSurname: String?
    var akaGivenName: String?
    var akaMiddleName: String?
    var akaSuffix: String?
    var akaIsExact: Bool?
    var preferredNameInd: String?
    var docNumber: String?
    var docType: String?
    var docIssueDt: String?
    var mailingEffectiveDt: String?
    var mailingExpiryDt: String?
    var permanentStreet: String?
    var permanentCity: String?
    var permanentProvince: String?
    var permanentPostalCode: String?
    var permanentCountry: String?
    var permanentEffectiveDt: String?
    var permanentExpiryDt: String?
    var phoneExt: String?
    var phoneType: String?
    var isListable: Bool?
    var phoneEffectiveDt: String?
    var phoneExpiryDt: String?
    var protectedStatus: String?
    var protectedUnder: String?
    var protectionEffectiveDt: String?
    var protectionExpiryDt: String?
    var protectionRestrictions: String?
    var stuAuthExpDt: String?
    var deceasedStatus: Bool
    var deceasedDt: String?

    enum CodingKeys: String, CodingKey {
        case id, studentNumber = "student_number", asn, lastName = "last_name", firstName = "first_name"
        case middleName = "middle_name", legalLastName = "legal_last_name", legalFirstName = "legal_first_name"
        case legalMiddleName = "legal_middle_name", gender, dob, mailingStreet = "mailing_street"
        case mailingCity = "mailing_city", mailingState = "mailing_state", mailingZip = "mailing_zip"
        case homePhone = "home_phone", citizenship, section23Eligibility = "section23_eligibility"
        case legalGender = "legal_gender", suffix, isExact = "is_exact", akaSurname = "aka_surname"
        case akaGivenName = "aka_given_name", akaMiddleName = "aka_middle_name", akaSuffix = "aka_suffix"
        case akaIsExact = "aka_is_exact", preferredNameInd = "preferred_name_ind", docNumber = "doc_number"
        case docType = "doc_type", docIssueDt = "doc_issue_dt", mailingEffectiveDt = "mailing_effective_dt"
        case mailingExpiryDt = "mailing_expiry_dt", permanentStreet = "permanent_street", permanentCity = "permanent_city"
        case permanentProvince = "permanent_province", permanentPostalCode = "permanent_postal_code"
        case permanentCountry = "permanent_country", permanentEffectiveDt = "permanent_effective_dt"
        case permanentExpiryDt = "permanent_expiry_dt", phoneExt = "phone_ext", phoneType = "phone_type"
        case isListable = "is_listable", phoneEffectiveDt = "phone_effective_dt", phoneExpiryDt = "phone_expiry_dt"
        case protectedStatus = "protected_status", protectedUnder = "protected_under"
        case protectionEffectiveDt = "protection_effective_dt", protectionExpiryDt = "protection_expiry_dt"
        case protectionRestrictions = "protection_restrictions", stuAuthExpDt = "stu_auth_exp_dt"
        case deceasedStatus = "deceased_status", deceasedDt = "deceased_dt"
    }

    /// The SELECT list, in the table's names.
    static let columns = """
        id, student_number, asn, last_name, first_name, middle_name, legal_last_name, legal_first_name,
        legal_middle_name, gender, dob, mailing_street, mailing_city, mailing_state, mailing_zip, home_phone,
        citizenship, section23_eligibility, legal_gender, suffix, is_exact, aka_surname, aka_given_name, aka_middle_name,
        aka_suffix, aka_is_exact, preferred_name_ind, doc_number, doc_type, doc_issue_dt, mailing_effective_dt,
        mailing_expiry_dt, permanent_street, permanent_city, permanent_province, permanent_postal_code, permanent_country,
        permanent_effective_dt, permanent_expiry_dt, phone_ext, phone_type, is_listable, phone_effective_dt, phone_expiry_dt,
        protected_status, protected_under, protection_effective_dt, protection_expiry_dt, protection_restrictions,
        stu_auth_exp_dt, deceased_status, deceased_dt
        """

    func model(enrolments: [SISEnrolment]) throws -> SISStudent {
        let reader = RowReader(table: "sis.students", key: String(id))
        func gender(_ code: String?) throws -> Gender? {
            try code.map { code in try reader.required(Gender(sisCode: code), "gender PASI knows (got \(code))") }
        }
        var d = SISDemographics(
            legalLastName: legalLastName, legalFirstName: legalFirstName, legalMiddleName: legalMiddleName,
            gender: try gender(self.gender), birthDate: try reader.date(dob), mailingStreet: mailingStreet,
            mailingCity: mailingCity, mailingProvince: mailingState, mailingPostalCode: mailingZip, homePhone: homePhone,
            citizenship: citizenship, section23Eligibility: section23Eligibility)
        d.legalGender = try gender(legalGender)
        (d.legalSuffix, d.isLegalNameExact) = (suffix, isExact)
        (d.aliasLastName, d.aliasFirstName, d.aliasMiddleName) = (akaSurname, akaGivenName, akaMiddleName)
        (d.aliasSuffix, d.isAliasNameExact) = (akaSuffix, akaIsExact)
        d.preferredName = try reader.enumValue(preferredNameInd, as: StudentName.NameType.self)
        (d.documentNumber, d.documentType, d.documentIssueDate) = (docNumber, docType, try reader.date(docIssueDt))
        (d.mailingEffectiveDate, d.mailingExpiryDate) = (try reader.date(mailingEffectiveDt), try reader.date(mailingExpiryDt))
        (d.permanentStreet, d.permanentCity, d.permanentProvince) = (permanentStreet, permanentCity, permanentProvince)
        (d.permanentPostalCode, d.permanentCountry) = (permanentPostalCode, permanentCountry)
        d.permanentEffectiveDate = try reader.date(permanentEffectiveDt)
        d.permanentExpiryDate = try reader.date(permanentExpiryDt)
        (d.phoneExtension, d.phoneType, d.isPhoneListable) = (phoneExt, phoneType, isListable)
        (d.phoneEffectiveDate, d.phoneExpiryDate) = (try reader.date(phoneEffectiveDt), try reader.date(phoneExpiryDt))
        (d.protectedStatus, d.protectedUnder, d.protectionRestrictions) = (protectedStatus, protectedUnder, protectionRestrictions)
        d.protectionEffectiveDate = try reader.date(protectionEffectiveDt)
        d.protectionExpiryDate = try reader.date(protectionExpiryDt)
        d.studyAuthorizationExpiryDate = try reader.date(stuAuthExpDt)
        (d.isDeceased, d.deceasedDate) = (deceasedStatus, try reader.date(deceasedDt))
        return SISStudent(
            id: id, studentNumber: studentNumber, asn: try reader.asn(asn), lastName: lastName, firstName: firstName,
            middleName: middleName, demographics: d, enrolments: enrolments)
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
    var entryCode: String?
    var exitCode: String?
    var grantsProgram1: String?
    var grantsProgram2: String?
    var grantsProgram3: String?
    var spclEduStu1: String?
    var spclEduStu2: String?
    var enrlType1: String?
    var enrlType2: String?
    var enrlType3: String?
    var fnmi: String?
    var frenchHours: Int?
    var residentBoard: String?

    enum CodingKeys: String, CodingKey {
        case id, studentID = "student_id", schoolID = "school_id", schoolCode = "school_code", schoolYear = "school_year"
        case gradeLevel = "grade_level", entryDate = "entry_date", exitDate = "exit_date", enrollStatus = "enroll_status"
        case isCurrent = "is_current", registrationType = "registration_type", entryCode = "entry_code"
        case exitCode = "exit_code", grantsProgram1 = "grants_program1", grantsProgram2 = "grants_program2"
        case grantsProgram3 = "grants_program3", spclEduStu1 = "spcl_edu_stu1", spclEduStu2 = "spcl_edu_stu2"
        case enrlType1 = "enrl_type1", enrlType2 = "enrl_type2", enrlType3 = "enrl_type3", fnmi
        case frenchHours = "french_hours", residentBoard = "resident_board"
    }

    /// The enrolment columns ``SISStore`` reads, `e` being `sis.enrolments` and `sc` its school.
    static let columns = """
        e.id, e.student_id, e.school_id, sc.school_code, e.school_year, e.grade_level, e.entry_date, e.exit_date,
        e.enroll_status, e.is_current, e.registration_type, e.entry_code, e.exit_code, e.grants_program1,
        e.grants_program2, e.grants_program3, e.spcl_edu_stu1, e.spcl_edu_stu2, e.enrl_type1, e.enrl_type2, e.enrl_type3,
        e.fnmi, e.french_hours, e.resident_board
        """

    func model() throws -> SISEnrolment {
        let reader = RowReader(table: "sis.enrolments", key: String(id))
        let exitDate = try reader.date(exitDate)
        return try reader.read { () throws(PASIModelError) in
            try SISEnrolment(
                id: id, studentID: studentID, schoolID: schoolID,
                schoolCode: OrganizationNumber(schoolCode, field: "sis.schools.school_code"),
                schoolYear: SchoolYear(sisStartYear: schoolYear), grade: GradeCode(gradeLevel), entryDate: PASIDate(entryDate),
                exitDate: exitDate, enrollStatus: enrollStatus, isCurrent: isCurrent, registrationType: registrationType,
                entryCode: entryCode, exitCode: exitCode,
                grantsProgramCodes: [grantsProgram1, grantsProgram2, grantsProgram3].compactMap { $0 },
                exceptionCodes: [spclEduStu1, spclEduStu2].compactMap { $0 },
                enrolmentTypeCodes: [enrlType1, enrlType2, enrlType3].compactMap { $0 }, fnmiDeclaration: fnmi,
                frenchHoursOfInstruction: frenchHours,
                residentBoard: residentBoard.map { code throws(PASIModelError) in try OrganizationNumber(code, field: "sis.enrolments.resident_board") })
        }
    }
}
