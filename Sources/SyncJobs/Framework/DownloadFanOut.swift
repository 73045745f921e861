import JobQueue
import Logging
import PASICore
import PASIModel
import SyncStore

/// The download of a whole set of notification types into the local store, as Load Local Copy
/// and the DER Initial Download do it: type by type, PASI's change feed from version 0 (paged)
/// gives every id, and the ids fan out into download batches (`pasi_download`, children of the
/// running job) that the whole cluster fetches with the Get services. The running job completes
/// when its last batch does; `sync.download_progress` and its progress show each type's share.
/// Each type's feed cursor is left where the download read it.
enum DownloadFanOut {
    /// Hands out every id of `types` in download batches of the running job.
    /// - Parameters:
    ///   - types: The notification types, in the order their progress is shown.
    ///   - years: The years, for the progress messages.
    /// - Returns: The records handed out, those of an earlier attempt included.
    @discardableResult
    static func run(_ types: [NotificationType], years: [SchoolYear], environment: SyncEnvironment, context: SyncJobContext) async throws -> Int {
        let downloads = environment.downloads
        let root = context.job.id
        // A re-run (the worker died while fanning out) skips the types already handed out.
        let fannedOut = try await downloads.typesFannedOut(rootJobID: root)
        let pasi = try await context.pasi()
        var total = try await context.withTransaction { try await downloads.progress(rootJobID: root, on: $0.connection) }
            .reduce(0) { $0 + $1.items }
        for type in types where !fannedOut.contains(type.description) {
            try await note(context, "reading PASI's change feed for \(type) (years \(years.map(\.description).joined(separator: ", ")))")
            var ids: [String] = []
            let highest = try await pasi.followFeed(type, after: 0) { page in ids += page.map(\.id) }
            total += ids.count
            try await context.withTransaction { [ids, total] transaction in
                try await transaction.enqueueDownloads(of: type, ids: ids, root: root, downloads: downloads)
                try await downloads.moveCursor(of: type, to: highest, byJob: root, on: transaction.connection)
                try await transaction.queue.addProgress(toJob: root, done: 0, total: Int64(total), message: nil, on: transaction.connection)
            }
        }
        // Whether this message comes before or after the batches' own is a race (the last types may
        // have no ids, so no batch of theirs follows it): it is read and written under the lock
        // the batches take, so it sees every batch committed before it and every batch after it
        // writes its tally over it.
        try await context.withTransaction { [total] transaction in
            let progress = try await downloads.progressForMessage(rootJobID: root, on: transaction.connection)
            try await transaction.queue.addProgress(toJob: root, done: 0, message: closingMessage(total: total, progress: progress),
                                                    on: transaction.connection)
        }
        return total
    }

    /// What the job shows once every id is handed out: that it waits for its batches, or, when
    /// they all finished already (none is left to write after it), their tally, as the last batch
    /// would have written it.
    static func closingMessage(total: Int, progress: [DownloadProgress]) -> String {
        if !progress.isEmpty, progress.allSatisfy(\.isFinished) { return PASIDownload.describe(progress) }
        return "\(total.grouped) records handed out in download batches; waiting for them"
    }

    /// A message on the job's progress that leaves its counts alone (its batches add to them).
    static func note(_ context: SyncJobContext, _ message: String) async throws {
        try await context.withTransaction { transaction in
            try await transaction.queue.addProgress(toJob: context.job.id, done: 0, message: message, on: transaction.connection)
        }
    }
}
