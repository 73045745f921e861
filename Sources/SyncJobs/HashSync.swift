import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Step 4. Hash Synchronization: for each object the seed lists (Student, Student Status, Student
/// Enrolment, Student Enrolment Status, School, School Authority, Course) and each
/// synchronization year where the object has one, the local store's MD5 hash of `id|version`
/// (``PASIModel/VersionHash``) is sent to PASI with IsDataAvailable. Equal: nothing more (status
/// Matched). Different: PASI answers every item it holds; what is newer or missing locally is
/// fetched in download batches (`pasi_download`), what PASI no longer has is removed, and the
/// type is Refreshed. Statuses per type: `sync.hash_results`, `sync.hash_sync_status`,
/// docs/hash-synchronization.md.
public struct HashSync: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "hash_sync"
    public static let title = "Hash Sync – Manual"
    public static let scheduledTitle: String? = "Hash Sync – Scheduled"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        guard try await environment.settings.value(of: .hashSynchronization) == .bool(true) else {
            throw JobError.permanent(Self.offReason)
        }
        let years = try await SynchronizationYears.fromSettings(environment)
        let types = try await SynchronizedObject.enabled(in: environment, years: years)
        let pasi = try await context.pasi()
        var summary: [String] = []
        for (index, (object, type)) in types.enumerated() {
            let result = try await check(object, type, pasi: pasi, context: context)
            summary.append(result.status == "Matched" ? "\(type) matched"
                : "\(type): \(result.toFetch) to fetch, \(result.removed) not in PASI's list (asked again)")
            try await context.progress(done: Int64(index + 1), total: Int64(types.count), message: summary.joined(separator: " · "))
        }
        context.logger.info("hash synchronization checked", metadata: ["types": "\(types.count)"])
    }

    /// What `pasisync run hash-sync` and a job started while it is off say (the seed: "Disabled when
    /// Hash Synchronization is off").
    static let offReason = "Hash On-Demand is disabled when Hash Synchronization is off (pasisync settings set hash_synchronization on)"

    /// Checks one type: performs what ``HashSyncCheck`` asks (PASI's answers, then the local
    /// store's removals and downloads) and writes the result.
    private func check(_ object: SynchronizedObject, _ type: NotificationType, pasi: any PASICoreService,
                       context: SyncJobContext) async throws -> DownloadStore.HashResult {
        let store = environment.pasiStore
        let downloads = environment.downloads
        var check = HashSyncCheck(object, type, local: try await object.localVersions(of: type, in: store), limits: pasi.feedLimits)
        var action = check.start
        while true {
            switch action {
            case .ask(let query):
                action = check.received(try await pasi.isDataAvailable([query], wait: .zero).first)
            case .matched(let result):
                try await context.withTransaction { try await downloads.saveHashResult(jobID: context.job.id, result, on: $0.connection) }
                return result
            case .refresh(let result, let difference):
                try await context.withTransaction { transaction in
                    // What PASI's list lacks is not removed on that alone: PASI's list leaves out
                    // what it deleted for good and also what the authority may no longer see. A Get
                    // of each says which (the download batch: IsDeleted leaves the local copy, No
                    // Access and Unknown stay marked).
                    try await transaction.enqueueDownloads(of: type, ids: difference.toFetch + difference.toRemove, root: context.job.id,
                                                           downloads: downloads)
                    try await downloads.saveHashResult(jobID: context.job.id, result, on: transaction.connection)
                }
                context.logger.info("hash differed", metadata: [
                    "type": "\(type)", "local": "\(result.localItems)", "pasi": "\(result.pasiItems ?? 0)", "fetch": "\(result.toFetch)",
                    "removed": "\(result.removed)"])
                return result
            }
        }
    }
}
