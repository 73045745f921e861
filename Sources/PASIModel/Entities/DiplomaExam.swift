/// A diploma exam PASI schedules for a diploma course in a school year; synchronized one
/// way, from PASI to the SIS.
public struct DiplomaExam: Sendable, Hashable {
    /// PASI's id of the exam.
    public var refId: RefId
    /// The diploma course the exam is for.
    public var courseCode: String
    /// The school year.
    public var schoolYear: SchoolYear
    /// The exam period, e.g. `January` or `June`, a PASI code value.
    public var examPeriod: String
    /// PASI's version of this record.
    public var pasiCoreVersion: Int64

    /// Creates a diploma exam.
    /// - Throws: ``PASIModelError`` if a text breaks the PASI string rule or the version is negative.
    public init(refId: RefId, courseCode: String, schoolYear: SchoolYear, examPeriod: String, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(courseCode, "DiplomaExam.courseCode")
        try Rule.required(examPeriod, "DiplomaExam.examPeriod")
        try Rule.version(pasiCoreVersion, "DiplomaExam.pasiCoreVersion")
        self.refId = refId
        self.courseCode = courseCode
        self.schoolYear = schoolYear
        self.examPeriod = examPeriod
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// One sitting of a diploma exam: a date and a writing centre.
public struct DiplomaExamSitting: Sendable, Hashable {
    /// PASI's id of the sitting.
    public var refId: RefId
    /// The exam written at this sitting.
    public var examRefId: RefId
    /// The school year.
    public var schoolYear: SchoolYear
    /// The day the exam is written.
    public var sittingDate: PASIDate
    /// The writing centre (a school code, or a centre code), a PASI code value.
    public var writingCentre: String?
    /// PASI's version of this record.
    public var pasiCoreVersion: Int64

    /// Creates a sitting.
    /// - Throws: ``PASIModelError`` if a text breaks the PASI string rule or the version is negative.
    public init(
        refId: RefId, examRefId: RefId, schoolYear: SchoolYear, sittingDate: PASIDate, writingCentre: String? = nil,
        pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.text(writingCentre, "DiplomaExamSitting.writingCentre")
        try Rule.version(pasiCoreVersion, "DiplomaExamSitting.pasiCoreVersion")
        self.refId = refId
        self.examRefId = examRefId
        self.schoolYear = schoolYear
        self.sittingDate = sittingDate
        self.writingCentre = writingCentre
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// Decoding goes through the validating initializer.
extension DiplomaExam: Codable {
    /// Decodes and validates a diploma exam.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), courseCode: c.value(.courseCode), schoolYear: c.value(.schoolYear),
            examPeriod: c.value(.examPeriod), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension DiplomaExamSitting: Codable {
    /// Decodes and validates a sitting.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), examRefId: c.value(.examRefId), schoolYear: c.value(.schoolYear),
            sittingDate: c.value(.sittingDate), writingCentre: c.optional(.writingCentre), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
