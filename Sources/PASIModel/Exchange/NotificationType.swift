/// The name part of a change-feed notification type, as IsDataAvailable spells it
/// (case-sensitive).
public enum NotificationName: String, Sendable, Hashable, Codable, CaseIterable {
    case classroomAccommodation = "ClassroomAccommodation"
    case classroomAccommodationStatus = "ClassroomAccommodationStatus"
    case course = "Course"
    case courseEnrolment = "CourseEnrolment"
    case courseEnrolmentStatus = "CourseEnrolmentStatus"
    case diplomaExam = "DiplomaExam"
    case diplomaExamMark = "DiplomaExamMark"
    case diplomaExamSitting = "DiplomaExamSitting"
    case educationAccountConnection = "EducationAccountConnection"
    case evaluatedMark = "EvaluatedMark"
    case evaluatedMarkStatus = "EvaluatedMarkStatus"
    case examRescoreRequest = "ExamRescoreRequest"
    case responsibleSchool = "ResponsibleSchool"
    case responsibleSchoolStatus = "ResponsibleSchoolStatus"
    case school = "School"
    case schoolAuthority = "SchoolAuthority"
    case schoolCalendarYear = "SchoolCalendarYear"
    case section = "Section"
    case sectionStatus = "SectionStatus"
    case student = "Student"
    case studentRecordDocument = "StudentRecordDocument"
    case studentSchoolEnrolment = "StudentSchoolEnrolment"
    case studentSchoolEnrolmentStatus = "StudentSchoolEnrolmentStatus"
    case studentStatus = "StudentStatus"
    case studentTranscriptDetail = "StudentTranscriptDetail"

    /// Whether the type is written with a school year (`Section.2019`): never for the types the
    /// technical page of NotificationType lists as year-less (ClassroomAccommodation, Course,
    /// EducationAccountConnection, ExamRescoreRequest, School, SchoolAuthority, Student,
    /// StudentStatus, StudentTranscriptDetail; rule 3006), may be for SchoolCalendarYear, always
    /// for the others (rule 3008), StudentRecordDocument included
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/2adf3a48-2674-943e-b7d7-81f9eea87e77.htm,
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3006.html,
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3008.html).
    public var yearFilter: YearFilter {
        // A record type's name: as its row of the record table says (``RecordKind``).
        if let filter = Self.recordYearFilters[self] { return filter }
        switch self {
        case .educationAccountConnection, .examRescoreRequest, .studentStatus:
            return .forbidden
        case .schoolCalendarYear:
            return .optional
        default:
            return .required
        }
    }

    /// The year filter of every record type's own name, read once from the record table.
    private static let recordYearFilters: [NotificationName: YearFilter] = Dictionary(
        uniqueKeysWithValues: RecordType.allCases.map { ($0.notificationName, $0.kind.yearFilter) })

    /// Whether the type's records are announced per school year (a year is required or allowed).
    public var isYearScoped: Bool { yearFilter != .forbidden }

    /// Whether a notification type's name takes a school year.
    public enum YearFilter: Sendable, Hashable {
        /// `Name.YYYY` only (rule 3008 refuses the name alone).
        case required
        /// `Name` only (rule 3006 refuses a year).
        case forbidden
        /// Either (SchoolCalendarYear).
        case optional
    }
}

/// A change-feed notification type: a ``NotificationName`` and, for year-scoped names,
/// the school year, written `StudentSchoolEnrolment.2019`.
public struct NotificationType: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name.
    public let name: NotificationName
    /// The school year, as ``NotificationName/yearFilter`` allows.
    public let year: SchoolYear?

    /// Creates a type, checking that the year is given exactly when the name needs one.
    /// - Throws: ``PASIModelError`` with code `inconsistent`.
    public init(_ name: NotificationName, year: SchoolYear? = nil) throws(PASIModelError) {
        let refused = switch name.yearFilter {
        case .required: year == nil
        case .forbidden: year != nil
        case .optional: false
        }
        if refused {
            throw PASIModelError(
                .inconsistent, field: "NotificationType",
                expectation: year == nil ? "\(name.rawValue) must be written with a school year, e.g. \(name.rawValue).2019"
                    : "\(name.rawValue) takes no school year",
                value: year.map { "\(name.rawValue).\($0.endYear)" } ?? name.rawValue)
        }
        (self.name, self.year) = (name, year)
    }

    /// Parses `Student` or `StudentSchoolEnrolment.2019` (case-sensitive, year 1905–2100).
    /// - Throws: ``PASIModelError`` naming what is wrong.
    public init(_ text: String) throws(PASIModelError) {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = NotificationName(rawValue: String(parts[0])) else {
            throw PASIModelError(.invalidFormat, field: "NotificationType", expectation: "must name a PASI notification type (case-sensitive)", value: text)
        }
        var year: SchoolYear?
        if parts.count == 2 {
            guard parts[1].count == 4, let end = Int(parts[1]) else {
                throw PASIModelError(.invalidFormat, field: "NotificationType", expectation: "must end in a four-digit school year", value: text)
            }
            year = try SchoolYear(endYear: end)
        }
        try self.init(name, year: year)
    }

    /// `Name` or `Name.YYYY`.
    public var description: String { year.map { "\(name.rawValue).\($0.endYear)" } ?? name.rawValue }

    /// Orders by the written form.
    public static func < (lhs: NotificationType, rhs: NotificationType) -> Bool { lhs.description < rhs.description }
}

extension NotificationType: Codable {
    /// Decodes the written form.
    public init(from decoder: any Decoder) throws { try self.init(decoder.singleValueContainer().decode(String.self)) }
    /// Encodes the written form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
