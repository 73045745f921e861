/// A mark a school awards for a course outside a section enrolment (e.g. challenge or
/// credit by special assessment), kept in full on both sides.
public struct EvaluatedMark: Sendable, Hashable {
    /// Alberta marks are percentages; every mark value in this module lies in 0–100.
    public static let markRange: ClosedRange<Int> = 0...100

    /// PASI's id of the mark.
    public var refId: RefId
    /// The student.
    public var asn: ASN
    /// The school's four-digit code.
    public var schoolCode: OrganizationNumber
    /// The school year.
    public var schoolYear: SchoolYear
    /// The course.
    public var courseCode: String
    /// Credits.
    public var credits: Int?
    /// The mark, 0–100.
    public var markValue: Int
    /// Whether the mark value is approved.
    public var isMarkValueApproved: Bool
    /// How the mark was evaluated, a PASI code value.
    public var evaluationMethod: String
    /// The day the mark was evaluated.
    public var evaluationDate: PASIDate
    /// Whether funding is requested.
    public var isFundingRequested: Bool
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates an evaluated mark.
    /// - Throws: ``PASIModelError`` if the mark lies outside 0–100, a number is negative or a
    ///   text breaks the PASI string rule.
    public init(
        refId: RefId, asn: ASN, schoolCode: OrganizationNumber, schoolYear: SchoolYear, courseCode: String,
        credits: Int? = nil, markValue: Int, isMarkValueApproved: Bool = false, evaluationMethod: String,
        evaluationDate: PASIDate, isFundingRequested: Bool = false, pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.required(courseCode, "EvaluatedMark.courseCode")
        try Rule.nonNegative(credits, "EvaluatedMark.credits")
        try Rule.range(markValue, Self.markRange, "EvaluatedMark.markValue")
        try Rule.required(evaluationMethod, "EvaluatedMark.evaluationMethod")
        try Rule.version(pasiCoreVersion, "EvaluatedMark.pasiCoreVersion")
        self.refId = refId
        self.asn = asn
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.courseCode = courseCode
        self.credits = credits
        self.markValue = markValue
        self.isMarkValueApproved = isMarkValueApproved
        self.evaluationMethod = evaluationMethod
        self.evaluationDate = evaluationDate
        self.isFundingRequested = isFundingRequested
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// A student's official (transcript) mark for a course, as PASI reports it; read by
/// the Diploma Exam and Official Marks Updates process.
public struct OfficialMark: Sendable, Hashable {
    /// The student.
    public var asn: ASN
    /// The course.
    public var courseCode: String
    /// The school year.
    public var schoolYear: SchoolYear
    /// Credits awarded.
    public var creditsAwarded: Int?
    /// The mark, 0–100.
    public var markValue: Int?
    /// Status, a PASI code value.
    public var status: String

    /// Creates an official mark.
    /// - Throws: ``PASIModelError`` if the mark lies outside 0–100, credits are negative or a
    ///   text breaks the PASI string rule.
    public init(asn: ASN, courseCode: String, schoolYear: SchoolYear, creditsAwarded: Int? = nil, markValue: Int? = nil, status: String) throws(PASIModelError) {
        try Rule.required(courseCode, "OfficialMark.courseCode")
        try Rule.nonNegative(creditsAwarded, "OfficialMark.creditsAwarded")
        try Rule.range(markValue, EvaluatedMark.markRange, "OfficialMark.markValue")
        try Rule.required(status, "OfficialMark.status")
        self.asn = asn
        self.courseCode = courseCode
        self.schoolYear = schoolYear
        self.creditsAwarded = creditsAwarded
        self.markValue = markValue
        self.status = status
    }
}

/// A student's mark on a diploma exam at one sitting, as PASI reports it.
public struct DiplomaExamMark: Sendable, Hashable {
    /// PASI's id of the mark.
    public var refId: RefId
    /// The student.
    public var asn: ASN
    /// The diploma course.
    public var courseCode: String
    /// The school year.
    public var schoolYear: SchoolYear
    /// The sitting the exam was written at.
    public var sittingRefId: RefId?
    /// The exam mark, 0–100.
    public var examMark: Int?
    /// The official (transcript) mark PASI blends from the school-awarded mark and the exam mark,
    /// 0–100; what the Diploma Exam and Official Marks Updates write as the Official Mark
    /// (`docs/diploma-exams.md`: this client carries it on the exam mark, not as an own record).
    public var officialMark: Int?
    /// The credits PASI awards for the course with that official mark.
    public var creditsAwarded: Int?
    /// PASI's version of this record.
    public var pasiCoreVersion: Int64

    /// Creates a diploma exam mark.
    /// - Throws: ``PASIModelError`` if a mark lies outside 0–100, credits are negative or a text
    ///   breaks the PASI string rule.
    public init(
        refId: RefId, asn: ASN, courseCode: String, schoolYear: SchoolYear, sittingRefId: RefId? = nil,
        examMark: Int? = nil, officialMark: Int? = nil, creditsAwarded: Int? = nil, pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.required(courseCode, "DiplomaExamMark.courseCode")
        try Rule.range(examMark, EvaluatedMark.markRange, "DiplomaExamMark.examMark")
        try Rule.range(officialMark, EvaluatedMark.markRange, "DiplomaExamMark.officialMark")
        try Rule.nonNegative(creditsAwarded, "DiplomaExamMark.creditsAwarded")
        try Rule.version(pasiCoreVersion, "DiplomaExamMark.pasiCoreVersion")
        self.officialMark = officialMark
        self.creditsAwarded = creditsAwarded
        self.refId = refId
        self.asn = asn
        self.courseCode = courseCode
        self.schoolYear = schoolYear
        self.sittingRefId = sittingRefId
        self.examMark = examMark
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// Decoding goes through the validating initializer.
extension EvaluatedMark: Codable {
    /// Decodes and validates an evaluated mark.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), asn: c.value(.asn), schoolCode: c.value(.schoolCode), schoolYear: c.value(.schoolYear),
            courseCode: c.value(.courseCode), credits: c.optional(.credits), markValue: c.value(.markValue),
            isMarkValueApproved: c.value(.isMarkValueApproved), evaluationMethod: c.value(.evaluationMethod),
            evaluationDate: c.value(.evaluationDate), isFundingRequested: c.value(.isFundingRequested),
            pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension OfficialMark: Codable {
    /// Decodes and validates an official mark.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            asn: c.value(.asn), courseCode: c.value(.courseCode), schoolYear: c.value(.schoolYear),
            creditsAwarded: c.optional(.creditsAwarded), markValue: c.optional(.markValue), status: c.value(.status))
    }
}

/// Decoding goes through the validating initializer.
extension DiplomaExamMark: Codable {
    /// Decodes and validates a diploma exam mark.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), asn: c.value(.asn), courseCode: c.value(.courseCode), schoolYear: c.value(.schoolYear),
            sittingRefId: c.optional(.sittingRefId), examMark: c.optional(.examMark), officialMark: c.optional(.officialMark),
            creditsAwarded: c.optional(.creditsAwarded), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
