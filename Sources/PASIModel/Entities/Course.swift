/// A provincial course (e.g. `ELA1105`); synchronized one way, from PASI to the SIS.
public struct Course: Sendable, Hashable {
    /// The course code.
    public var code: String
    /// The course name.
    public var name: String
    /// Credits the course is worth.
    public var credits: Int?
    /// Whether passing the course requires a diploma exam.
    public var isDiplomaCourse: Bool
    /// PASI's version of this record.
    public var pasiCoreVersion: Int64

    /// Creates a course.
    /// - Throws: ``PASIModelError`` if a text breaks the PASI string rule or a number is negative.
    public init(code: String, name: String, credits: Int? = nil, isDiplomaCourse: Bool = false, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(code, "Course.code")
        try Rule.required(name, "Course.name")
        try Rule.nonNegative(credits, "Course.credits")
        try Rule.version(pasiCoreVersion, "Course.pasiCoreVersion")
        self.code = code
        self.name = name
        self.credits = credits
        self.isDiplomaCourse = isDiplomaCourse
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// A term of a school year, with the Alberta fields PASI Direct Connect needs (the
/// seed's Term Setup page): sections need the alternate term code, marks the final
/// mark store code.
public struct Term: Sendable, Hashable {
    /// The term's name.
    public var name: String
    /// Its abbreviation.
    public var abbreviation: String
    /// The school year the term belongs to.
    public var schoolYear: SchoolYear
    /// First day of the term.
    public var firstDay: PASIDate
    /// Last day of the term; not before ``firstDay``.
    public var lastDay: PASIDate
    /// PASI's term code; required for sections.
    public var alternateTermCode: String?
    /// The SIS store code holding final marks; required for marks.
    public var finalMarkStoreCode: String?
    /// Whether changes in this term raise no data events.
    public var excludesEvents: Bool

    /// Creates a term.
    /// - Throws: ``PASIModelError`` if the last day precedes the first or a text breaks the PASI string rule.
    public init(
        name: String, abbreviation: String, schoolYear: SchoolYear, firstDay: PASIDate, lastDay: PASIDate,
        alternateTermCode: String? = nil, finalMarkStoreCode: String? = nil, excludesEvents: Bool = false
    ) throws(PASIModelError) {
        try Rule.required(name, "Term.name")
        try Rule.required(abbreviation, "Term.abbreviation")
        try PASIDate.checkOrder(firstDay, lastDay, field: "Term.lastDay")
        try Rule.text(alternateTermCode, "Term.alternateTermCode")
        try Rule.text(finalMarkStoreCode, "Term.finalMarkStoreCode")
        self.name = name
        self.abbreviation = abbreviation
        self.schoolYear = schoolYear
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.alternateTermCode = alternateTermCode
        self.finalMarkStoreCode = finalMarkStoreCode
        self.excludesEvents = excludesEvents
    }
}

/// A section (class) of a course at a school, with the fields the seed's
/// reconciliation compares.
public struct Section: Sendable, Hashable {
    /// PASI's id of the section.
    public var refId: RefId
    /// The school's four-digit code.
    public var schoolCode: OrganizationNumber
    /// The school year.
    public var schoolYear: SchoolYear
    /// The course offered.
    public var courseCode: String
    /// Credits offered.
    public var creditsOffered: Int?
    /// The section's term, PASI's alternate term code.
    public var termCode: String
    /// Primary delivery method, a PASI code value.
    public var primaryDeliveryMethod: String?
    /// Language of instruction, a PASI code value.
    public var languageOfInstruction: String?
    /// Delivery schedule, a PASI code value.
    public var deliverySchedule: String?
    /// Instructional minutes offered.
    public var instructionalMinutesOffered: Int?
    /// First day of the section.
    public var startDate: PASIDate?
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates a section.
    /// - Throws: ``PASIModelError`` if a text breaks the PASI string rule or a number is negative.
    public init(
        refId: RefId, schoolCode: OrganizationNumber, schoolYear: SchoolYear, courseCode: String, creditsOffered: Int? = nil,
        termCode: String, primaryDeliveryMethod: String? = nil, languageOfInstruction: String? = nil,
        deliverySchedule: String? = nil, instructionalMinutesOffered: Int? = nil, startDate: PASIDate? = nil,
        pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.required(courseCode, "Section.courseCode")
        try Rule.nonNegative(creditsOffered, "Section.creditsOffered")
        try Rule.required(termCode, "Section.termCode")
        try Rule.text(primaryDeliveryMethod, "Section.primaryDeliveryMethod")
        try Rule.text(languageOfInstruction, "Section.languageOfInstruction")
        try Rule.text(deliverySchedule, "Section.deliverySchedule")
        try Rule.nonNegative(instructionalMinutesOffered, "Section.instructionalMinutesOffered")
        try Rule.version(pasiCoreVersion, "Section.pasiCoreVersion")
        self.refId = refId
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.courseCode = courseCode
        self.creditsOffered = creditsOffered
        self.termCode = termCode
        self.primaryDeliveryMethod = primaryDeliveryMethod
        self.languageOfInstruction = languageOfInstruction
        self.deliverySchedule = deliverySchedule
        self.instructionalMinutesOffered = instructionalMinutesOffered
        self.startDate = startDate
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// Decoding goes through the validating initializer.
extension Course: Codable {
    /// Decodes and validates a course.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            code: c.value(.code), name: c.value(.name), credits: c.optional(.credits),
            isDiplomaCourse: c.value(.isDiplomaCourse), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension Term: Codable {
    /// Decodes and validates a term.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: c.value(.name), abbreviation: c.value(.abbreviation), schoolYear: c.value(.schoolYear),
            firstDay: c.value(.firstDay), lastDay: c.value(.lastDay), alternateTermCode: c.optional(.alternateTermCode),
            finalMarkStoreCode: c.optional(.finalMarkStoreCode), excludesEvents: c.value(.excludesEvents))
    }
}

/// Decoding goes through the validating initializer.
extension Section: Codable {
    /// Decodes and validates a section.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), schoolCode: c.value(.schoolCode), schoolYear: c.value(.schoolYear),
            courseCode: c.value(.courseCode), creditsOffered: c.optional(.creditsOffered), termCode: c.value(.termCode),
            primaryDeliveryMethod: c.optional(.primaryDeliveryMethod), languageOfInstruction: c.optional(.languageOfInstruction),
            deliverySchedule: c.optional(.deliverySchedule), instructionalMinutesOffered: c.optional(.instructionalMinutesOffered),
            startDate: c.optional(.startDate), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
