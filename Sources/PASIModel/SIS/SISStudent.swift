/// The demographic fields of a SIS student that synchronization compares with PASI and
/// writes when PASI's copy wins (`sis.students`): the legal name with its suffix and
/// exactness, the alias (AKA) name, gender, birth date, identification document, mailing
/// and permanent addresses, home phone, disclosure restriction, citizenship, Section 23
/// eligibility and the deceased flag, i.e. the Alberta fields (`S_AB_STU_X`) the seed's
/// extract headers name.
///
/// A Boolean the SIS leaves empty (`nil`) was not collected; an empty text or date is
/// simply empty.
public struct SISDemographics: Sendable, Hashable {
    /// The legal last name (`PSCORE_Legal_Last_Name`).
    public var legalLastName: String?
    /// The legal first name.
    public var legalFirstName: String?
    /// The legal middle name.
    public var legalMiddleName: String?
    /// The legal name's suffix (`S_AB_STU_X.Suffix`).
    public var legalSuffix: String?
    /// Whether the legal name's spelling is exact (`S_AB_STU_X.IsExact`); `nil` if not collected.
    public var isLegalNameExact: Bool?
    /// The alias surname (`S_AB_STU_X.AKASurname`).
    public var aliasLastName: String?
    /// The alias given name (`AKAGivenName`).
    public var aliasFirstName: String?
    /// The alias middle name (`AKAMiddleName`).
    public var aliasMiddleName: String?
    /// The alias suffix (`AKASuffix`).
    public var aliasSuffix: String?
    /// Whether the alias spelling is exact (`AKAIsExact`); `nil` if not collected.
    public var isAliasNameExact: Bool?
    /// Which name the student prefers (`PreferredNameInd`); `nil` if not collected.
    public var preferredName: StudentName.NameType?
    /// The gender (`Gender`).
    public var gender: Gender?
    /// The legal gender (`PSCORE_Legal_Gender`); compared with PASI's gender when present.
    public var legalGender: Gender?
    /// The birth date (`DOB`).
    public var birthDate: PASIDate?
    /// The identification document's type (`DocType`), a PASI code value.
    public var documentType: String?
    /// The last (up to) four characters of the document's number (`DocNumber`).
    public var documentNumber: String?
    /// The document's issue date (`DocIssueDt`).
    public var documentIssueDate: PASIDate?
    /// The mailing street.
    public var mailingStreet: String?
    /// The mailing city.
    public var mailingCity: String?
    /// The mailing province or state (`Mailing_State`).
    public var mailingProvince: String?
    /// The mailing postal code (`Mailing_Zip`).
    public var mailingPostalCode: String?
    /// First day the mailing address applies (`MailingEffectiveDt`).
    public var mailingEffectiveDate: PASIDate?
    /// Last day the mailing address applies (`MailingExpiryDt`).
    public var mailingExpiryDate: PASIDate?
    /// The permanent street (`PermanentStreet`).
    public var permanentStreet: String?
    /// The permanent city.
    public var permanentCity: String?
    /// The permanent province.
    public var permanentProvince: String?
    /// The permanent postal code.
    public var permanentPostalCode: String?
    /// The permanent country.
    public var permanentCountry: String?
    /// First day the permanent address applies.
    public var permanentEffectiveDate: PASIDate?
    /// Last day the permanent address applies.
    public var permanentExpiryDate: PASIDate?
    /// The home phone number.
    public var homePhone: String?
    /// The phone's extension (`PhoneExt`).
    public var phoneExtension: String?
    /// The phone type (`PhoneType`), a PASI code value; `nil` if not collected.
    public var phoneType: String?
    /// Whether the number may be given out (`IsListable`); `nil` if not collected.
    public var isPhoneListable: Bool?
    /// First day the phone number applies.
    public var phoneEffectiveDate: PASIDate?
    /// Last day the phone number applies.
    public var phoneExpiryDate: PASIDate?
    /// Whether the student's information is protected (`ProtectedStatus`), as the SIS writes it.
    public var protectedStatus: String?
    /// What the student is protected under (`ProtectedUnder`): PASI's restriction details.
    public var protectedUnder: String?
    /// The restriction (`ProtectionRestrictions`): PASI's disclosure restriction code.
    public var protectionRestrictions: String?
    /// First day the restriction applies (`ProtectionEffectiveDt`).
    public var protectionEffectiveDate: PASIDate?
    /// Last day the restriction applies (`ProtectionExpiryDt`).
    public var protectionExpiryDate: PASIDate?
    /// Citizenship status, a PASI code value.
    public var citizenship: String?
    /// Section 23 eligibility, a PASI code value.
    public var section23Eligibility: String?
    /// When a study authorization (study permit) expires (`StuAuthExpDt`).
    public var studyAuthorizationExpiryDate: PASIDate?
    /// Whether the student is deceased (`DeceasedStatus`).
    public var isDeceased: Bool
    /// Date of death (`DeceasedDt`).
    public var deceasedDate: PASIDate?

    /// Creates demographic fields; every field may be empty, as in the SIS.
    public init(
        legalLastName: String? = nil, legalFirstName: String? = nil, legalMiddleName: String? = nil, gender: Gender? = nil,
        birthDate: PASIDate? = nil, mailingStreet: String? = nil, mailingCity: String? = nil, mailingProvince: String? = nil,
        mailingPostalCode: String? = nil, homePhone: String? = nil, citizenship: String? = nil,
        section23Eligibility: String? = nil,
        legalSuffix: String? = nil, isLegalNameExact: Bool? = nil, aliasLastName: String? = nil, aliasFirstName: String? = nil,
        aliasMiddleName: String? = nil, aliasSuffix: String? = nil, isAliasNameExact: Bool? = nil,
        preferredName: StudentName.NameType? = nil, legalGender: Gender? = nil, documentType: String? = nil,
        documentNumber: String? = nil, documentIssueDate: PASIDate? = nil, mailingEffectiveDate: PASIDate? = nil,
        mailingExpiryDate: PASIDate? = nil, permanentStreet: String? = nil, permanentCity: String? = nil,
        permanentProvince: String? = nil, permanentPostalCode: String? = nil, permanentCountry: String? = nil,
        permanentEffectiveDate: PASIDate? = nil, permanentExpiryDate: PASIDate? = nil, phoneExtension: String? = nil,
        phoneType: String? = nil, isPhoneListable: Bool? = nil, phoneEffectiveDate: PASIDate? = nil,
        phoneExpiryDate: PASIDate? = nil, protectedStatus: String? = nil, protectedUnder: String? = nil,
        protectionRestrictions: String? = nil, protectionEffectiveDate: PASIDate? = nil,
        protectionExpiryDate: PASIDate? = nil, studyAuthorizationExpiryDate: PASIDate? = nil, isDeceased: Bool = false,
        deceasedDate: PASIDate? = nil
    ) {
        self.legalLastName = legalLastName
        self.legalFirstName = legalFirstName
        self.legalMiddleName = legalMiddleName
        self.legalSuffix = legalSuffix
        self.isLegalNameExact = isLegalNameExact
        self.aliasLastName = aliasLastName
        self.aliasFirstName = aliasFirstName
        self.aliasMiddleName = aliasMiddleName
        self.aliasSuffix = aliasSuffix
        self.isAliasNameExact = isAliasNameExact
        self.preferredName = preferredName
        self.gender = gender
        self.legalGender = legalGender
        self.birthDate = birthDate
        self.documentType = documentType
        self.documentNumber = documentNumber
        self.documentIssueDate = documentIssueDate
        self.mailingStreet = mailingStreet
        self.mailingCity = mailingCity
        self.mailingProvince = mailingProvince
        self.mailingPostalCode = mailingPostalCode
        self.mailingEffectiveDate = mailingEffectiveDate
        self.mailingExpiryDate = mailingExpiryDate
        self.permanentStreet = permanentStreet
        self.permanentCity = permanentCity
        self.permanentProvince = permanentProvince
        self.permanentPostalCode = permanentPostalCode
        self.permanentCountry = permanentCountry
        self.permanentEffectiveDate = permanentEffectiveDate
        self.permanentExpiryDate = permanentExpiryDate
        self.homePhone = homePhone
        self.phoneExtension = phoneExtension
        self.phoneType = phoneType
        self.isPhoneListable = isPhoneListable
        self.phoneEffectiveDate = phoneEffectiveDate
        self.phoneExpiryDate = phoneExpiryDate
        self.protectedStatus = protectedStatus
        self.protectedUnder = protectedUnder
        self.protectionRestrictions = protectionRestrictions
        self.protectionEffectiveDate = protectionEffectiveDate
        self.protectionExpiryDate = protectionExpiryDate
        self.citizenship = citizenship
        self.section23Eligibility = section23Eligibility
        self.studyAuthorizationExpiryDate = studyAuthorizationExpiryDate
        self.isDeceased = isDeceased
        self.deceasedDate = deceasedDate
    }
}

/// A student as the SIS holds them (`sis.students`), with their school enrolments.
public struct SISStudent: Sendable, Hashable {
    /// The SIS's id (`STUDENTS.ID`).
    public var id: Int
    /// The student number.
    public var studentNumber: Int64
    /// The ASN (`State_StudentNumber`); `nil` until the student is matched or assigned one.
    /// Read without the check digit rule: the SIS may hold an ASN PASI issued.
    public var asn: ASN?
    /// The last name as the school uses it.
    public var lastName: String
    /// The first name as the school uses it.
    public var firstName: String
    /// The middle name as the school uses it.
    public var middleName: String?
    /// The fields synchronization compares and writes.
    public var demographics: SISDemographics
    /// The student's school enrolments, current and past, by school year then entry date.
    public var enrolments: [SISEnrolment]

    /// Creates a SIS student.
    public init(
        id: Int, studentNumber: Int64, asn: ASN?, lastName: String, firstName: String, middleName: String? = nil,
        demographics: SISDemographics = SISDemographics(), enrolments: [SISEnrolment] = []
    ) {
        self.id = id
        self.studentNumber = studentNumber
        self.asn = asn
        self.lastName = lastName
        self.firstName = firstName
        self.middleName = middleName
        self.demographics = demographics
        self.enrolments = enrolments
    }
}

/// A school enrolment as the SIS holds it (`sis.enrolments`), current or past, with the
/// Alberta enrolment fields of `S_AB_STU_X`.
public struct SISEnrolment: Sendable, Hashable {
    /// The SIS's id (`EnrollmentID`).
    public var id: Int
    /// The student's SIS id.
    public var studentID: Int
    /// The school's SIS id (`SCHOOL_NUMBER`).
    public var schoolID: Int
    /// The school's four-digit PASI code.
    public var schoolCode: OrganizationNumber
    /// The school year (the SIS stores its start year; see ``SchoolYear/init(sisStartYear:)``).
    public var schoolYear: SchoolYear
    /// The grade.
    public var grade: GradeCode
    /// The entry date.
    public var entryDate: PASIDate
    /// The exit date; `nil` while enrolled.
    public var exitDate: PASIDate?
    /// PowerSchool's `Enroll_Status`: -1 pre-registered, 0 active, 2 transferred out,
    /// 3 graduated, 4 imported as historical.
    public var enrollStatus: Int
    /// Whether this is the student's current enrolment.
    public var isCurrent: Bool
    /// The registration type, a PASI code value.
    public var registrationType: String?
    /// The entry code (`EntryCode`; 800 since 2019).
    public var entryCode: String?
    /// The exit code (`ExitCode`; no longer sent to PASI).
    public var exitCode: String?
    /// Up to three grants program codes (`GrantsProgram1` … `3`), empty ones left out.
    public var grantsProgramCodes: [String]
    /// Up to two exception (special-education) codes (`SpclEduStu1`, `2`).
    public var exceptionCodes: [String]
    /// Up to three enrolment type codes (`EnrlType1` … `3`).
    public var enrolmentTypeCodes: [String]
    /// First Nations, Métis and Inuit self-declaration (`FNMI`).
    public var fnmiDeclaration: String?
    /// Hours of French instruction (`FrenchHours`).
    public var frenchHoursOfInstruction: Int?
    /// The resident board (`ResidentBoard`).
    public var residentBoard: OrganizationNumber?

    /// Creates a SIS enrolment.
    public init(
        id: Int, studentID: Int, schoolID: Int, schoolCode: OrganizationNumber, schoolYear: SchoolYear, grade: GradeCode,
        entryDate: PASIDate, exitDate: PASIDate? = nil, enrollStatus: Int = 0, isCurrent: Bool = false,
        registrationType: String? = nil, entryCode: String? = nil, exitCode: String? = nil,
        grantsProgramCodes: [String] = [], exceptionCodes: [String] = [], enrolmentTypeCodes: [String] = [],
        fnmiDeclaration: String? = nil, frenchHoursOfInstruction: Int? = nil, residentBoard: OrganizationNumber? = nil
    ) {
        self.id = id
        self.studentID = studentID
        self.schoolID = schoolID
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.grade = grade
        self.entryDate = entryDate
        self.exitDate = exitDate
        self.enrollStatus = enrollStatus
        self.isCurrent = isCurrent
        self.registrationType = registrationType
        self.entryCode = entryCode
        self.exitCode = exitCode
        self.grantsProgramCodes = grantsProgramCodes
        self.exceptionCodes = exceptionCodes
        self.enrolmentTypeCodes = enrolmentTypeCodes
        self.fnmiDeclaration = fnmiDeclaration
        self.frenchHoursOfInstruction = frenchHoursOfInstruction
        self.residentBoard = residentBoard
    }
}
