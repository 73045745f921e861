/// The kinds of record PASI Core serves through its Get services.
public enum RecordType: String, Sendable, Hashable, Codable, CaseIterable {
    case student = "Student"
    case schoolEnrolment = "StudentSchoolEnrolment"
    case school = "School"
    case schoolAuthority = "SchoolAuthority"
    case course = "Course"
    case section = "Section"
    case courseEnrolment = "CourseEnrolment"
    case evaluatedMark = "EvaluatedMark"
    case diplomaExam = "DiplomaExam"
    case diplomaExamSitting = "DiplomaExamSitting"
    case diplomaExamMark = "DiplomaExamMark"
    case studentRecordDocument = "StudentRecordDocument"
    case classroomAccommodation = "ClassroomAccommodation"
    case studentTranscriptDetail = "StudentTranscriptDetail"

    /// The change-feed name its changes are announced under.
    public var notificationName: NotificationName { NotificationName(rawValue: rawValue)! }

    /// The change-feed name of its validation status (core alerts), if PASI keeps one.
    public var statusNotificationName: NotificationName? { NotificationName(rawValue: rawValue + "Status") }

    /// Whether a school authority may submit (create, update, delete) records of this
    /// type; the others are PASI's own and flow one way, to the SIS.
    public var isSubmittable: Bool { kind.isSubmittable }

    /// The Get service's name, singular as the Knowledge Base names them: `GetStudent`
    /// (get_student_2020_endpoint.html), `GetSection` (get_section.html),
    /// `GetStudentSchoolEnrolment`, `GetSchoolInformation`, `GetSchoolAuthority`, `GetCourse`…
    public var getOperation: String { self == .school ? "GetSchoolInformation" : "Get\(rawValue)" }
    /// The status Get service's name, e.g. `GetStudentStatus` (get_student_status.html),
    /// `GetStudentSchoolEnrolmentStatus` (get_student_school_enrolment_status.html).
    public var getStatusOperation: String { "Get\(rawValue)Status" }
    /// The Submit operation's name, e.g. `SubmitStudentSchoolEnrolment`.
    public var submitOperation: String { "Submit\(rawValue)" }
}

/// A record whose data contract carries its own `IsDeleted` (a 2020-endpoint Student School
/// Enrolment): deleting it is a save of the record with the flag set, and a deleted one stays a
/// record PASI serves and the local store keeps, flagged. Other kinds are deleted by the submit's
/// action and leave the local store.
public protocol CarriesIsDeleted {
    /// Whether the record is logically deleted.
    var isDeleted: Bool { get set }
}

/// A record PASI Core versions and serves: what the client fetches and submits and the
/// simulator stores, whatever its type.
public protocol PASIRecord: Codable, Sendable, Hashable {
    /// The record's type.
    static var recordType: RecordType { get }
    /// The id the change feed and the Get services use for it.
    var recordID: String { get }
    /// The school year it belongs to, for year-scoped types.
    var recordYear: SchoolYear? { get }
    /// PASI's version of it; 0 before it exists in PASI.
    var pasiCoreVersion: Int64 { get set }
}

extension PASIRecord {
    /// The notification type its changes appear under (`StudentSchoolEnrolment.2019`).
    /// - Parameter undated: The year of a year-scoped record without one of its own: a Student
    ///   Record Document with no Document Date (PASI's School Year of a document is optional and
    ///   not held here; `docs/pasi-protocol.md`).
    public func notificationType(undated: SchoolYear) -> NotificationType {
        let name = Self.recordType.notificationName
        // Record types are never SchoolCalendarYear, so a year-scoped one takes exactly one year.
        return try! NotificationType(name, year: name.isYearScoped ? (recordYear ?? undated) : nil)
    }
}

extension Student: PASIRecord {
    public static var recordType: RecordType { .student }
    public var recordID: String { asn.digits }
    public var recordYear: SchoolYear? { nil }
}

extension SchoolEnrolment: PASIRecord {
    public static var recordType: RecordType { .schoolEnrolment }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension School: PASIRecord {
    public static var recordType: RecordType { .school }
    public var recordID: String { code.description }
    public var recordYear: SchoolYear? { nil }
}

extension SchoolAuthority: PASIRecord {
    public static var recordType: RecordType { .schoolAuthority }
    public var recordID: String { code.description }
    public var recordYear: SchoolYear? { nil }
}

extension Course: PASIRecord {
    public static var recordType: RecordType { .course }
    public var recordID: String { code }
    public var recordYear: SchoolYear? { nil }
}

extension Section: PASIRecord {
    public static var recordType: RecordType { .section }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension CourseEnrolment: PASIRecord {
    public static var recordType: RecordType { .courseEnrolment }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension EvaluatedMark: PASIRecord {
    public static var recordType: RecordType { .evaluatedMark }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension DiplomaExam: PASIRecord {
    public static var recordType: RecordType { .diplomaExam }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension DiplomaExamSitting: PASIRecord {
    public static var recordType: RecordType { .diplomaExamSitting }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension DiplomaExamMark: PASIRecord {
    public static var recordType: RecordType { .diplomaExamMark }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension StudentRecordDocument: PASIRecord {
    public static var recordType: RecordType { .studentRecordDocument }
    public var recordID: String { refId.value }
    /// The school year of its Document Date: StudentRecordDocument is announced per school year
    /// (rule 3008), and this project's record holds no School Year element of its own.
    public var recordYear: SchoolYear? { documentDate.flatMap { try? SchoolYear(containing: $0) } }
}

extension ClassroomAccommodation: PASIRecord {
    public static var recordType: RecordType { .classroomAccommodation }
    public var recordID: String { refId.value }
    public var recordYear: SchoolYear? { schoolYear }
}

extension RecordType {
    /// The Swift type of its records, for code that serves every type alike.
    public var recordSwiftType: any PASIRecord.Type { kind.swiftType }
}
