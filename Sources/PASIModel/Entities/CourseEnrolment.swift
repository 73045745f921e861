/// A student's enrolment in a section, kept in full on both sides.
public struct CourseEnrolment: Sendable, Hashable {
    /// PASI's id of the course enrolment.
    public var refId: RefId
    /// The student.
    public var asn: ASN
    /// The section the student is enrolled in.
    public var sectionRefId: RefId
    /// The school's four-digit code.
    public var schoolCode: OrganizationNumber
    /// The school year.
    public var schoolYear: SchoolYear
    /// The course.
    public var courseCode: String
    /// Credits attempted.
    public var creditsAttempted: Int?
    /// First day in the section.
    public var entryDate: PASIDate
    /// Last day in the section; not before ``entryDate``.
    public var exitDate: PASIDate?
    /// Status, a PASI code value (e.g. active, completed, withdrawn).
    public var status: String
    /// The mark, 0–100.
    public var markValue: Int?
    /// Whether the mark is approved.
    public var isMarkApproved: Bool
    /// Whether funding is requested for the enrolment.
    public var isFundingRequested: Bool
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates a course enrolment.
    /// - Throws: ``PASIModelError`` if the exit date precedes the entry date, the mark lies
    ///   outside 0–100, a number is negative or a text breaks the PASI string rule.
    public init(
        refId: RefId, asn: ASN, sectionRefId: RefId, schoolCode: OrganizationNumber, schoolYear: SchoolYear,
        courseCode: String, creditsAttempted: Int? = nil, entryDate: PASIDate, exitDate: PASIDate? = nil,
        status: String, markValue: Int? = nil, isMarkApproved: Bool = false, isFundingRequested: Bool = false,
        pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.required(courseCode, "CourseEnrolment.courseCode")
        try Rule.nonNegative(creditsAttempted, "CourseEnrolment.creditsAttempted")
        try PASIDate.checkOrder(entryDate, exitDate, field: "CourseEnrolment.exitDate")
        try Rule.required(status, "CourseEnrolment.status")
        try Rule.range(markValue, EvaluatedMark.markRange, "CourseEnrolment.markValue")
        try Rule.version(pasiCoreVersion, "CourseEnrolment.pasiCoreVersion")
        self.refId = refId
        self.asn = asn
        self.sectionRefId = sectionRefId
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.courseCode = courseCode
        self.creditsAttempted = creditsAttempted
        self.entryDate = entryDate
        self.exitDate = exitDate
        self.status = status
        self.markValue = markValue
        self.isMarkApproved = isMarkApproved
        self.isFundingRequested = isFundingRequested
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// Decoding goes through the validating initializer.
extension CourseEnrolment: Codable {
    /// Decodes and validates a course enrolment.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), asn: c.value(.asn), sectionRefId: c.value(.sectionRefId), schoolCode: c.value(.schoolCode),
            schoolYear: c.value(.schoolYear), courseCode: c.value(.courseCode), creditsAttempted: c.optional(.creditsAttempted),
            entryDate: c.value(.entryDate), exitDate: c.optional(.exitDate), status: c.value(.status),
            markValue: c.optional(.markValue), isMarkApproved: c.value(.isMarkApproved),
            isFundingRequested: c.value(.isFundingRequested), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
