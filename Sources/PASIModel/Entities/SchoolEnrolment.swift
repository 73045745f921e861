/// A student's enrolment in a school for a school year, as submitted to PASI.
///
/// On the 2020 service endpoint an enrolment has no Registration Status: "Registration Status data
/// element was removed from business object: Student School Enrolment in release 7.10"; it is "a
/// calculated property for backward compatibility for 2018 and older end points"
/// (https://extranet.education.alberta.ca/pasidevnet/docs/Business/registration_status.html). What
/// the 2018 endpoint called the status `CreatedInError` is `Is Deleted` = true, the others false
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html):
/// an enrolment created in error is this record with ``isDeleted`` set.
public struct SchoolEnrolment: Sendable, Hashable, CarriesIsDeleted {
    /// The entry code every enrolment carries since the 2019 school year.
    public static let entryCode = "800"

    /// The Alberta fields an enrolment carries beyond the core ones (PASI's extended
    /// information; the SIS holds them in its Alberta extension table).
    public struct ExtendedInfo: Sendable, Hashable {
        /// Allowed resident and francophone board numbers.
        public static let boardRange = 1...9999
        /// Allowed French hours of instruction.
        public static let frenchHoursRange = 1...9999
        /// At most this many enrolment type codes.
        public static let maxEnrolmentTypeCodes = 3
        /// At most this many exception (special-education) codes.
        public static let maxExceptionCodes = 2
        /// At most this many grants program codes.
        public static let maxGrantsProgramCodes = 3
        /// The longest local student id: "LocalStudentId … Value must contain between 1 and 15
        /// characters" (the data contract's ExtendedSchoolEnrolmentInfo,
        /// https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/0345dfe4-9e15-50e7-ed7d-8486e42a8252.htm).
        /// The page gives no other key a length: ResidentBoard and FrancophoneBoard are "a number
        /// between '0001' and '9999'" (``OrganizationNumber``, four digits), FrenchHoursOfInstruction
        /// "a number between '1' and '9999'", FNMIDeclaration and the code lists "an appropriate …
        /// code value", at most 1, 3, 2 and 3 of them (the constants above).
        public static let maxLocalStudentIDLength = 15

        /// The school's own student number.
        public var localStudentID: String?
        /// The board the student is resident in, 0001–9999.
        public var residentBoard: OrganizationNumber?
        /// The francophone board, 0001–9999 (same rule as the resident board).
        public var francophoneBoard: OrganizationNumber?
        /// First Nations, Métis and Inuit self-declaration, a PASI code value.
        public var fnmiDeclaration: String?
        /// Hours of French instruction, 1–9999.
        public var frenchHoursOfInstruction: Int?
        /// Up to three enrolment type codes.
        public var enrolmentTypeCodes: [String]
        /// Up to two exception (special-education) codes.
        public var exceptionCodes: [String]
        /// Up to three grants program codes.
        public var grantsProgramCodes: [String]

        /// Creates the extended information, checking ranges and list sizes.
        /// - Throws: ``PASIModelError`` naming the first bad field.
        public init(
            localStudentID: String? = nil, residentBoard: OrganizationNumber? = nil,
            francophoneBoard: OrganizationNumber? = nil, fnmiDeclaration: String? = nil,
            frenchHoursOfInstruction: Int? = nil, enrolmentTypeCodes: [String] = [], exceptionCodes: [String] = [],
            grantsProgramCodes: [String] = []
        ) throws(PASIModelError) {
            try Rule.required(localStudentID, "ExtendedInfo.localStudentID", max: Self.maxLocalStudentIDLength)
            try Rule.range(residentBoard?.value, Self.boardRange, "ExtendedInfo.residentBoard")
            try Rule.range(francophoneBoard?.value, Self.boardRange, "ExtendedInfo.francophoneBoard")
            try Rule.text(fnmiDeclaration, "ExtendedInfo.fnmiDeclaration")
            try Rule.range(frenchHoursOfInstruction, Self.frenchHoursRange, "ExtendedInfo.frenchHoursOfInstruction")
            try Rule.codes(enrolmentTypeCodes, max: Self.maxEnrolmentTypeCodes, "ExtendedInfo.enrolmentTypeCodes")
            try Rule.codes(exceptionCodes, max: Self.maxExceptionCodes, "ExtendedInfo.exceptionCodes")
            // A repeated grants program code is PASI's Warning 10002 (GPC Not Unique), saved: the
            // record holds it so that PASI's answer is the one that counts.
            try Rule.codes(grantsProgramCodes, max: Self.maxGrantsProgramCodes, repeats: true, "ExtendedInfo.grantsProgramCodes")
            self.localStudentID = localStudentID
            self.residentBoard = residentBoard
            self.francophoneBoard = francophoneBoard
            self.fnmiDeclaration = fnmiDeclaration
            self.frenchHoursOfInstruction = frenchHoursOfInstruction
            self.enrolmentTypeCodes = enrolmentTypeCodes
            self.exceptionCodes = exceptionCodes
            self.grantsProgramCodes = grantsProgramCodes
        }
    }

    /// The client-chosen GUID, so a resubmit of the same enrolment is idempotent.
    public var refId: RefId
    /// The student.
    public var asn: ASN
    /// The school's four-digit code.
    public var schoolCode: OrganizationNumber
    /// The school year.
    public var schoolYear: SchoolYear
    /// The grade.
    public var grade: GradeCode
    /// First day of attendance.
    public var entryDate: PASIDate
    /// Last day of attendance. PASI refuses one that is not after ``entryDate`` (rule 10016, the
    /// simulator's ``SchoolEnrolmentRules``) and the SIS's table one before it: the record itself
    /// holds what it is given, so that PASI's answer is the one that counts.
    public var exitDate: PASIDate?
    /// Registration type, a PASI code value.
    public var registrationType: String
    /// Whether the enrolment is logically deleted: what the 2018 endpoint's Registration Status
    /// `CreatedInError` became (`IsDeleted`). PASI keeps it, deleted, and the change feed carries it.
    public var isDeleted: Bool
    /// The Alberta extended information.
    public var extendedInfo: ExtendedInfo?
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates an enrolment.
    /// - Throws: ``PASIModelError`` if a code value breaks the PASI string rule, or the version
    ///   is negative.
    public init(
        refId: RefId, asn: ASN, schoolCode: OrganizationNumber, schoolYear: SchoolYear, grade: GradeCode,
        entryDate: PASIDate, exitDate: PASIDate? = nil, registrationType: String, isDeleted: Bool = false,
        extendedInfo: ExtendedInfo? = nil, pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.required(registrationType, "SchoolEnrolment.registrationType")
        try Rule.version(pasiCoreVersion, "SchoolEnrolment.pasiCoreVersion")
        self.refId = refId
        self.asn = asn
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.grade = grade
        self.entryDate = entryDate
        self.exitDate = exitDate
        self.registrationType = registrationType
        self.isDeleted = isDeleted
        self.extendedInfo = extendedInfo
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// Decoding goes through the validating initializer.
extension SchoolEnrolment.ExtendedInfo: Codable {
    /// Decodes and validates extended information.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            localStudentID: c.optional(.localStudentID), residentBoard: c.optional(.residentBoard),
            francophoneBoard: c.optional(.francophoneBoard), fnmiDeclaration: c.optional(.fnmiDeclaration),
            frenchHoursOfInstruction: c.optional(.frenchHoursOfInstruction), enrolmentTypeCodes: c.value(.enrolmentTypeCodes),
            exceptionCodes: c.value(.exceptionCodes), grantsProgramCodes: c.value(.grantsProgramCodes))
    }
}

/// Decoding goes through the validating initializer.
extension SchoolEnrolment: Codable {
    /// Decodes and validates an enrolment. An absent `IsDeleted` reads as false.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), asn: c.value(.asn), schoolCode: c.value(.schoolCode), schoolYear: c.value(.schoolYear),
            grade: c.value(.grade), entryDate: c.value(.entryDate), exitDate: c.optional(.exitDate),
            registrationType: c.value(.registrationType), isDeleted: c.optional(.isDeleted) ?? false,
            extendedInfo: c.optional(.extendedInfo), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
