/// What differs between PASI's kinds of record, one row per ``RecordType`` (``RecordType/kind``):
/// the one place a kind is described, so that a new kind is added here, and not in a `switch` of
/// every enum that names kinds (the change feed's names, the alerts' status types, the settings
/// that switch synchronization on, the Swift type of its records). The wire name is the
/// ``RecordType``'s raw value; the feed names its changes by it, and its validation status by it
/// and `Status`. What only the local store knows (its table, its row type) is the store's own
/// table, keyed by ``RecordType`` (`SyncStore`'s `RowKind`).
public struct RecordKind: Sendable {
    /// The Swift type of its records, for code that serves every kind alike.
    public let swiftType: any PASIRecord.Type
    /// Whether the change feed names it with a school year (`Section.2019`): the technical page
    /// of NotificationType lists the year-less ones; the others need one (rules 3006, 3008).
    public let yearFilter: NotificationName.YearFilter
    /// Whether a school authority submits it; the others are PASI's own and flow one way, to the SIS.
    public let isSubmittable: Bool
    /// The alerts' Status Type of the core alerts its validation status carries, if PASI keeps one
    /// the client files (`Submit<Type>StatusAcknowledgement` takes it).
    public let statusType: StatusType?
    /// The setting that switches the synchronization of its records on.
    public let setting: SettingKey
    /// The setting that switches the synchronization of its validation statuses on, if it has one.
    public let statusSetting: SettingKey?

    init(_ swiftType: any PASIRecord.Type, year: NotificationName.YearFilter, submittable: Bool,
         status: StatusType? = nil, setting: SettingKey, statusSetting: SettingKey? = nil) {
        self.swiftType = swiftType
        self.yearFilter = year
        self.isSubmittable = submittable
        self.statusType = status
        self.setting = setting
        self.statusSetting = statusSetting
    }
}

extension RecordType {
    /// The kind's row of the table.
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/2adf3a48-2674-943e-b7d7-81f9eea87e77.htm
    /// for the year-less types.)
    public var kind: RecordKind {
        switch self {
        case .student:
            RecordKind(Student.self, year: .forbidden, submittable: true, status: .student,
                       setting: .studentSynchronization, statusSetting: .studentStatusSynchronization)
        case .schoolEnrolment:
            RecordKind(SchoolEnrolment.self, year: .required, submittable: true, status: .enrolment,
                       setting: .studentEnrolmentSynchronization, statusSetting: .studentEnrolmentStatusSynchronization)
        case .school:
            RecordKind(School.self, year: .forbidden, submittable: false, setting: .schoolSynchronization)
        case .schoolAuthority:
            RecordKind(SchoolAuthority.self, year: .forbidden, submittable: false, setting: .schoolAuthoritySynchronization)
        case .course:
            RecordKind(Course.self, year: .forbidden, submittable: false, setting: .courseSynchronization)
        case .section:
            RecordKind(Section.self, year: .required, submittable: true, status: .section,
                       setting: .sectionSynchronization, statusSetting: .sectionStatusSynchronization)
        case .courseEnrolment:
            RecordKind(CourseEnrolment.self, year: .required, submittable: true, status: .courseEnrolment,
                       setting: .courseEnrolmentSynchronization, statusSetting: .courseEnrolmentStatusSynchronization)
        case .evaluatedMark:
            RecordKind(EvaluatedMark.self, year: .required, submittable: true, status: .evaluatedMark,
                       setting: .evaluatedMarkSynchronization, statusSetting: .evaluatedMarkStatusSynchronization)
        case .diplomaExam:
            RecordKind(DiplomaExam.self, year: .required, submittable: false, setting: .diplomaExamSynchronization)
        case .diplomaExamSitting:
            RecordKind(DiplomaExamSitting.self, year: .required, submittable: false, setting: .diplomaExamSittingSynchronization)
        case .diplomaExamMark:
            RecordKind(DiplomaExamMark.self, year: .required, submittable: false, setting: .diplomaExamMarkSynchronization)
        case .studentRecordDocument:
            RecordKind(StudentRecordDocument.self, year: .required, submittable: true,
                       setting: .studentRecordDocumentSynchronization)
        case .classroomAccommodation:
            RecordKind(ClassroomAccommodation.self, year: .forbidden, submittable: true, status: .classroomAccommodation,
                       setting: .classroomAccommodationSynchronization, statusSetting: .classroomAccommodationStatusSynchronization)
        case .studentTranscriptDetail:
            RecordKind(StudentTranscriptDetail.self, year: .forbidden, submittable: false,
                       setting: .studentTranscriptDetailSynchronization)
        }
    }
}
