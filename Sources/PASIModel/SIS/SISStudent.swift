/// The demographic fields of a SIS student that synchronization compares with PASI and
/// writes when PASI's copy wins: the legal name, gender, birth date, mailing address,
/// home phone, citizenship and Section 23 eligibility (`sis.students`).
public struct SISDemographics: Sendable, Hashable {
    /// The legal last name (`PSCORE_Legal_Last_Name`).
    public var legalLastName: String?
    /// The legal first name.
    public var legalFirstName: String?
    /// The legal middle name.
    public var legalMiddleName: String?
    /// The gender.
    public var gender: Gender?
    /// The birth date (`DOB`).
    public var birthDate: PASIDate?
    /// The mailing street.
    public var mailingStreet: String?
    /// The mailing city.
    public var mailingCity: String?
    /// The mailing province or state (`Mailing_State`).
    public var mailingProvince: String?
    /// The mailing postal code (`Mailing_Zip`).
    public var mailingPostalCode: String?
    /// The home phone number.
    public var homePhone: String?
    /// Citizenship status, a PASI code value.
    public var citizenship: String?
    /// Section 23 eligibility, a PASI code value.
    public var section23Eligibility: String?

    /// Creates demographic fields; every field may be empty, as in the SIS.
    public init(
        legalLastName: String? = nil, legalFirstName: String? = nil, legalMiddleName: String? = nil, gender: Gender? = nil,
        birthDate: PASIDate? = nil, mailingStreet: String? = nil, mailingCity: String? = nil, mailingProvince: String? = nil,
        mailingPostalCode: String? = nil, homePhone: String? = nil, citizenship: String? = nil,
        section23Eligibility: String? = nil
    ) {
        self.legalLastName = legalLastName
        self.legalFirstName = legalFirstName
        self.legalMiddleName = legalMiddleName
        self.gender = gender
        self.birthDate = birthDate
        self.mailingStreet = mailingStreet
        self.mailingCity = mailingCity
        self.mailingProvince = mailingProvince
        self.mailingPostalCode = mailingPostalCode
        self.homePhone = homePhone
        self.citizenship = citizenship
        self.section23Eligibility = section23Eligibility
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

/// A school enrolment as the SIS holds it (`sis.enrolments`), current or past.
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

    /// Creates a SIS enrolment.
    public init(
        id: Int, studentID: Int, schoolID: Int, schoolCode: OrganizationNumber, schoolYear: SchoolYear, grade: GradeCode,
        entryDate: PASIDate, exitDate: PASIDate? = nil, enrollStatus: Int = 0, isCurrent: Bool = false,
        registrationType: String? = nil
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
    }
}
