import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Step 1. Download Local PASI Data Store: one time, every record of the synchronized objects the
/// authority may see (the school authority, schools, courses, students with their names,
/// addresses and phones, school enrolments, and their validation statuses) for the
/// synchronization years. Code values and the accepted school years come first (they say which
/// years); then, type by type, PASI's change feed from version 0 (paged) gives every id, and the
/// ids fan out into download batches (`pasi_download`) that the whole cluster fetches with the Get
/// services. The job completes when its last batch does; `sync.download_progress` and its
/// progress show each type's share. Each type's feed cursor is left where the download read it.
public struct LoadLocalCopy: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "load_local_copy"
    public static let title = "Load Local Copy"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        _ = try await CodeValues.download(environment: environment, context: context, reportProgress: false)
        let years = try await SynchronizationYears.fromSettings(environment)
        let types = try await SynchronizedObject.enabled(in: environment, years: years)
        let downloads = environment.downloads
        let root = context.job.id
        // A re-run (the worker died while fanning out) skips the types already handed out.
        let fannedOut = try await downloads.typesFannedOut(rootJobID: root)
        let pasi = try await context.pasi()
        var total = try await context.withTransaction { try await downloads.progress(rootJobID: root, on: $0.connection) }
            .reduce(0) { $0 + $1.items }
        for (_, type) in types where !fannedOut.contains(type.description) {
            try await note(context, "reading PASI's change feed for \(type) (years \(years.years.map(\.description).joined(separator: ", ")))")
            var ids: [String] = []
            let highest = try await pasi.followFeed(type, after: 0) { page in ids += page.map(\.id) }
            total += ids.count
            try await context.withTransaction { transaction in
                try await transaction.enqueueDownloads(of: type, ids: ids, root: root, downloads: downloads)
                try await downloads.moveCursor(of: type, to: highest, byJob: root, on: transaction.connection)
                try await transaction.queue.addProgress(toJob: root, done: 0, total: Int64(total), message: nil, on: transaction.connection)
            }
        }
        try await note(context, "\(total.grouped) records handed out in download batches; waiting for them")
        context.logger.info("load local copy fanned out", metadata: ["records": "\(total)", "types": "\(types.count)"])
    }

    /// A message on the job's progress that leaves its counts alone (its batches add to them).
    private func note(_ context: SyncJobContext, _ message: String) async throws {
        try await context.withTransaction { transaction in
            try await transaction.queue.addProgress(toJob: context.job.id, done: 0, message: message, on: transaction.connection)
        }
    }
}
