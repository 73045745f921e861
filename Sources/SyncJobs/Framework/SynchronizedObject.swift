import JobQueue
import PASIModel
import SyncStore

/// The objects the local PASI store keeps in step with PASI, as the seed lists them for Hash
/// Synchronization: Student, Student Status, Student Enrolment, Student Enrolment Status, School,
/// School Authority, Course. Each has its notification type (per school year for enrolments) and
/// the setting of Demographic and Enrolment Items / School Course Marks Items that turns it on.
enum SynchronizedObject: String, CaseIterable, Sendable {
    case schoolAuthority = "School Authority"
    case school = "School"
    case course = "Course"
    case student = "Student"
    case studentStatus = "Student Status"
    case studentEnrolment = "Student Enrolment"
    case studentEnrolmentStatus = "Student Enrolment Status"

    var notificationName: NotificationName {
        switch self {
        case .schoolAuthority: .schoolAuthority
        case .school: .school
        case .course: .course
        case .student: .student
        case .studentStatus: .studentStatus
        case .studentEnrolment: .studentSchoolEnrolment
        case .studentEnrolmentStatus: .studentSchoolEnrolmentStatus
        }
    }

    var setting: SettingKey {
        switch self {
        case .schoolAuthority: .schoolAuthoritySynchronization
        case .school: .schoolSynchronization
        case .course: .courseSynchronization
        case .student: .studentSynchronization
        case .studentStatus: .studentStatusSynchronization
        case .studentEnrolment: .studentEnrolmentSynchronization
        case .studentEnrolmentStatus: .studentEnrolmentStatusSynchronization
        }
    }

    /// The local store's table for the object's records; `nil` for a status object.
    var entity: PASIEntityType? { PASIEntityType(rawValue: notificationName.rawValue) }

    /// The object's notification types for the synchronization years.
    func types(in years: SynchronizationYears) throws -> [NotificationType] {
        notificationName.isYearScoped ? try years.years.map { try NotificationType(notificationName, year: $0) }
            : [try NotificationType(notificationName)]
    }

    /// Every notification type of the objects whose setting is on, with its object.
    static func enabled(in environment: SyncEnvironment, years: SynchronizationYears) async throws -> [(SynchronizedObject, NotificationType)] {
        var types: [(SynchronizedObject, NotificationType)] = []
        for object in allCases where try await environment.settings.value(of: object.setting) == .bool(true) {
            types += try object.types(in: years).map { (object, $0) }
        }
        return types
    }

    /// Every `(id, version)` the local store holds of one of the object's types.
    func localVersions(of type: NotificationType, in store: PASIStore) async throws -> [FeedItem] {
        if let entity { return try await store.versions(of: entity, schoolYear: type.year) }
        return try await store.statusVersions(of: type)
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
            let job = try await enqueue(PASIDownload.self, .init(rootJob: root, type: type.description, ids: chunk),
                                        asChild: true, uniqueKey: "pasi_download:\(root):\(type):\(batches.count)")
            try await downloads.addBatch(jobID: job.id, rootJobID: root, type: type, items: chunk.count, on: connection)
            batches.append(job.id)
        }
        return batches
    }
}
