import JobQueue
import PASIModel
import SyncStore

/// The objects the local PASI store keeps in step with PASI, as the seed lists them for Hash
/// Synchronization: Student, Student Status, Student Enrolment, Student Enrolment Status, School,
/// School Authority, Course (``hashSynchronized``, what Load Local Copy, Initial Synchronization
/// and Hash Synchronization read). Each has its notification type (per school year for
/// enrolments) and the setting of Demographic and Enrolment Items / School Course Marks Items that
/// turns it on. The Diploma Exam Items (diploma exam, sitting, mark) are kept in step by PASI Data
/// Available only (``polled(in:years:diplomaYears:)``): the DER Initial Download loads them, for
/// the diploma years, not the synchronization years. Student Transcript Detail, the Diploma Exam
/// Item without a school year, is read with the hash objects while its switch is on (issue 20,
/// item 8; docs/diploma-exams.md).
enum SynchronizedObject: String, CaseIterable, Sendable {
    case schoolAuthority = "School Authority"
    case school = "School"
    case course = "Course"
    case student = "Student"
    case studentStatus = "Student Status"
    case studentEnrolment = "Student Enrolment"
    case studentEnrolmentStatus = "Student Enrolment Status"
    case diplomaExam = "Diploma Exam"
    case diplomaExamSitting = "Diploma Exam Sitting"
    case diplomaExamMark = "Diploma Exam Mark"
    case studentTranscriptDetail = "Student Transcript Detail"

    /// The seven objects of Load Local Copy, Initial Synchronization and Hash Synchronization, and
    /// Student Transcript Detail.
    static let hashSynchronized: [SynchronizedObject] = allCases.filter { !$0.isDiplomaExamItem }

    /// The Diploma Exam Items, in the order PASI Data Available polls and applies them.
    static let diplomaExamItems: [SynchronizedObject] = [.diplomaExam, .diplomaExamMark, .diplomaExamSitting]

    /// Whether it is one of the Diploma Exam Items (years: current + Historical Years for Diploma
    /// Exam Integration; loaded by the DER Initial Download).
    var isDiplomaExamItem: Bool {
        switch self {
        case .diplomaExam, .diplomaExamSitting, .diplomaExamMark: true
        default: false
        }
    }

    /// The record type it keeps in step: the records themselves, or their validation statuses
    /// (``isStatus``). Its notification name and setting come from the record table (``RecordKind``).
    var recordType: RecordType {
        switch self {
        case .schoolAuthority: .schoolAuthority
        case .school: .school
        case .course: .course
        case .student, .studentStatus: .student
        case .studentEnrolment, .studentEnrolmentStatus: .schoolEnrolment
        case .diplomaExam: .diplomaExam
        case .diplomaExamSitting: .diplomaExamSitting
        case .diplomaExamMark: .diplomaExamMark
        case .studentTranscriptDetail: .studentTranscriptDetail
        }
    }

    /// Whether it is the validation statuses of its record type (Student Status, Student Enrolment Status).
    var isStatus: Bool { self == .studentStatus || self == .studentEnrolmentStatus }

    var notificationName: NotificationName {
        // Every status object's type keeps a status (the record table gives it a status setting).
        isStatus ? recordType.statusNotificationName! : recordType.notificationName
    }

    /// The setting of Demographic and Enrolment Items, School Course Marks Items or Diploma Exam
    /// Items that turns it on. (Diploma Exam Synchronization governs the exams themselves, each
    /// other Diploma Exam Item its own type; Student Transcript Detail is a Diploma Exam Item of
    /// the seed but year-less and one way like School and Course: read with the hash objects,
    /// get_student_transcript_detail.html.)
    var setting: SettingKey {
        isStatus ? recordType.kind.statusSetting! : recordType.kind.setting
    }

    /// The local store's table for the object's records; `nil` for a status object.
    var entity: RecordType? { isStatus ? nil : recordType }

    /// The object's notification types for the synchronization years.
    func types(in years: SynchronizationYears) throws -> [NotificationType] {
        try types(inYears: years.years)
    }

    /// The object's notification types for these years (one type when it is not year-scoped).
    func types(inYears years: [SchoolYear]) throws -> [NotificationType] {
        notificationName.isYearScoped ? try years.map { try NotificationType(notificationName, year: $0) }
            : [try NotificationType(notificationName)]
    }

    /// Every notification type of the seven hash-synchronized objects whose setting is on, with its
    /// object: what Load Local Copy, Initial Synchronization and Hash Synchronization read.
    static func enabled(in environment: SyncEnvironment, years: SynchronizationYears) async throws -> [(SynchronizedObject, NotificationType)] {
        try await switchedOn(hashSynchronized, in: environment) { try $0.types(in: years) }
    }

    /// What PASI Data Available polls: ``enabled(in:years:)`` and, after them, the Diploma Exam
    /// Items whose switch is on, for the diploma years.
    static func polled(in environment: SyncEnvironment, years: SynchronizationYears,
                       diplomaYears: [SchoolYear]) async throws -> [(SynchronizedObject, NotificationType)] {
        try await enabled(in: environment, years: years)
            + switchedOn(diplomaExamItems, in: environment) { try $0.types(inYears: diplomaYears) }
    }

    private static func switchedOn(_ objects: [SynchronizedObject], in environment: SyncEnvironment,
                                   types: (SynchronizedObject) throws -> [NotificationType]) async throws -> [(SynchronizedObject, NotificationType)] {
        var result: [(SynchronizedObject, NotificationType)] = []
        for object in objects where try await environment.settings.value(of: object.setting) == .bool(true) {
            result += try types(object).map { (object, $0) }
        }
        return result
    }

    /// Every `(id, version)` the local store holds of one of the object's types.
    func localVersions(of type: NotificationType, in store: PASIStore) async throws -> [FeedItem] {
        var held: [FeedItem]
        if let entity { held = try await store.versions(of: entity, schoolYear: type.year) } else { held = try await store.statusVersions(of: type) }
        // Records PASI answers No Access or Unknown to are not in PASI's list for this client: left
        // out here too, so the hashes agree and they are not fetched again each run.
        let marked = try await store.unavailable(recordType: type.name.rawValue)
        if !marked.isEmpty { held.removeAll { marked[$0.id] != nil } }
        return held
    }
}

extension SyncTransaction {
    /// Fans the ids of one type out into download batches, children of the running job, each with
    /// its row in `sync.download_batches`. Unique keys make a re-run enqueue nothing twice.
    /// - Returns: The batches' job ids.
    @discardableResult
    func enqueueDownloads(of type: NotificationType, ids: [String], root: Int64, downloads: DownloadStore) async throws -> [Int64] {
        var batches: [Int64] = []
        for start in stride(from: 0, to: ids.count, by: PASIDownload.batchSize) {
            let chunk = Array(ids[start..<min(start + PASIDownload.batchSize, ids.count)])
            let job = try await enqueue(PASIDownload.self, .init(rootJob: root, type: type.description),
                                        asChild: true, uniqueKey: "pasi_download:\(root):\(type):\(batches.count)")
            try await downloads.addBatch(jobID: job.id, rootJobID: root, type: type, ids: chunk, on: connection)
            batches.append(job.id)
        }
        return batches
    }
}
