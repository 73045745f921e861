import PASIContract
import PASIModel
import SyncStore

/// One poll of PASI Data Available, apart from its I/O: what to ask PASI's change feed, how long
/// to wait, and what to do with each type's changes. ``PASIDataAvailable`` reads the settings and
/// cursors, performs each ``Step`` in its own transaction and counts; every rule of the poll is
/// here, tested without PostgreSQL or PASI.
struct PASIDataAvailablePlan: Sendable {
    /// What to do with one type's changes: fetch the ids, keep them with the follow-up, and move
    /// the type's cursor to `highest`, all in one transaction.
    enum Step: Sendable, Hashable {
        /// Records of a synchronized object: into the local store, then the object's follow-up.
        case storeRecords(NotificationType, SynchronizedObject, FollowUp, ids: [String], highest: Int64)
        /// Validation statuses: into the local store, and their core alerts filed.
        case fileStatuses(NotificationType, of: RecordType, statusType: StatusType, ids: [String], highest: Int64)
        /// Classroom accommodations: into the local store only (the SIS's rows are the authority's).
        case storeAccommodations(NotificationType, ids: [String], highest: Int64)
    }

    /// What follows the storing of one object's changed records.
    enum FollowUp: Sendable, Hashable {
        /// School: the names go to `sis.schools`.
        case applySchools
        /// Course: name, credits and diploma flag go to `sis.courses`.
        case applyCourses
        /// Student: the SIS students with the ASN are compared with PASI.
        case compareStudents
        /// Student Enrolment: the SIS students of the enrolments' ASNs are compared with PASI.
        case compareEnrolmentStudents
        /// A status type: PASI's core alerts are filed.
        case fileCoreAlerts
        /// School Authority (the SIS has no table for it) and the Diploma Exam Items (the Exam
        /// Marks Updates read them from there): kept in the local store only.
        case localStoreOnly
    }

    /// The synchronized objects polled, each under its notification type.
    let types: [(SynchronizedObject, NotificationType)]
    /// The classroom accommodation types followed beyond them
    /// (``PASIDataAvailable/accommodationTypes(_:years:)``).
    let accommodations: [NotificationType]

    /// Every type the poll follows, objects first.
    var followed: [NotificationType] { types.map(\.1) + accommodations }

    /// One query per followed type, from its cursor.
    func queries(cursors: [NotificationType: Int64]) -> [IsDataAvailableRequest.Query] {
        Self.queries(followed, cursors: cursors)
    }

    /// How long PASI may hold the poll: not at all while catching up (the first poll, or an answer
    /// that may have more behind it, ``mayHaveMore(_:limits:)``), else the PASI Data Available Wait
    /// Time (a long poll that PASI answers at once when anything is available).
    static func wait(catchingUp: Bool, waitMinutes: Int) -> Duration {
        catchingUp ? .zero : .seconds(waitMinutes * 60)
    }

    /// What to do with PASI's answers, in their order: one step per type with changes; a type
    /// the poll does not follow is left alone.
    func steps(for answers: [IsDataAvailableResponse.Answer]) -> [Step] {
        let objects = Dictionary(types.map { ($0.1, $0.0) }, uniquingKeysWith: { first, _ in first })
        return Self.withChanges(answers).compactMap { answer in
            let type = answer.notificationType
            let ids = Self.changedIDs(answer)
            guard let highest = answer.highestVersion, !ids.isEmpty else { return nil }
            if let object = objects[type] {
                if let statusType = Self.statusType(of: type.name), let recordType = object.statusOf {
                    return .fileStatuses(type, of: recordType, statusType: statusType, ids: ids, highest: highest)
                }
                return .storeRecords(type, object, Self.followUp(of: object), ids: ids, highest: highest)
            }
            guard accommodations.contains(type) else { return nil }
            if type.name == .classroomAccommodationStatus {
                return .fileStatuses(type, of: .classroomAccommodation, statusType: .classroomAccommodation, ids: ids, highest: highest)
            }
            return .storeAccommodations(type, ids: ids, highest: highest)
        }
    }

    // MARK: - The rules the steps are made of

    static func followUp(of object: SynchronizedObject) -> FollowUp {
        switch object {
        case .school: .applySchools
        case .course: .applyCourses
        case .student: .compareStudents
        case .studentEnrolment: .compareEnrolmentStudents
        case .studentStatus, .studentEnrolmentStatus: .fileCoreAlerts
        case .schoolAuthority, .diplomaExam, .diplomaExamSitting, .diplomaExamMark, .studentTranscriptDetail: .localStoreOnly
        }
    }

    /// One query per type, from its cursor.
    static func queries(_ types: [NotificationType], cursors: [NotificationType: Int64]) -> [IsDataAvailableRequest.Query] {
        types.map { IsDataAvailableRequest.Query($0, after: cursors[$0] ?? 0) }
    }

    /// The answers that hold changes.
    static func withChanges(_ answers: [IsDataAvailableResponse.Answer]) -> [IsDataAvailableResponse.Answer] {
        answers.filter { !$0.item.isEmpty }
    }

    /// Whether PASI may have more behind its answer: a type's answer is full, or the answer as a
    /// whole reached the overall limit (``FeedLimits``; there is no "more" flag). Then the next
    /// poll asks at once, from the highest versions received.
    static func mayHaveMore(_ answers: [IsDataAvailableResponse.Answer], limits: FeedLimits) -> Bool {
        let total = answers.reduce(0) { $0 + $1.item.count }
        return answers.contains { limits.isFull($0, total: total) }
    }

    /// The ids of an answer, each once, in the order of their latest version.
    static func changedIDs(_ answer: IsDataAvailableResponse.Answer) -> [String] {
        var seen: Set<String> = []
        return Array(answer.item.reversed().filter { seen.insert($0.id).inserted }.map(\.id).reversed())
    }

    /// The status type (the alerts' "Status Type") of a status notification.
    static func statusType(of name: NotificationName) -> StatusType? {
        switch name {
        case .studentStatus: .student
        case .studentSchoolEnrolmentStatus: .enrolment
        case .classroomAccommodationStatus: .classroomAccommodation
        case .sectionStatus: .section
        case .courseEnrolmentStatus: .courseEnrolment
        case .evaluatedMarkStatus: .evaluatedMark
        default: nil
        }
    }

    /// PASI's severity as an alert type of the PASI Core Alerts page (Advice, Warning, Rejection,
    /// Conflict, Failure): an Error says the record breaks one of PASI's business rules, which the
    /// page shows as a Rejection; a Reminder is advice that something is due. The severity itself
    /// is kept beside it (`sync.core_alerts.severity`).
    static func alertType(of severity: CoreAlertSeverity) -> AlertType {
        switch severity {
        case .error: .rejection
        case .warning: .warning
        case .advice, .reminder: .advice
        }
    }

    /// PASI's core alerts of these statuses, as `sync.core_alerts` files them.
    static func incomingAlerts(_ statuses: [RecordStatus], statusType: StatusType, year: SchoolYear?) -> [IncomingStatusAlert] {
        statuses.flatMap { status in
            status.alert.map { alert in
                IncomingStatusAlert(
                    refId: status.id, statusType: statusType, alertType: alertType(of: alert.severity), severity: alert.severity,
                    alertCode: alert.alertCode, message: alert.message.map(InitialSyncOutput.oneLine),
                    acknowledgement: alert.acknowledgementStatus, arguments: alert.arguments, schoolYear: year)
            }
        }
    }

    /// The Conflicts of a comparison about SIS students (`sis:` subjects, as Initial
    /// Synchronization files them); those about PASI students the SIS lacks are Initial
    /// Synchronization's report to make.
    static func conflicts(of result: InitialSyncComparison.Result, jobID: Int64) throws -> [SubjectAlert] {
        try InitialSyncOutput.alerts(of: result, jobID: jobID).filter { $0.subject.hasPrefix("sis:") }
    }
}
