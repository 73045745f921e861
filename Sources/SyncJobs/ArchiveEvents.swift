import Foundation
import JobQueue
import Logging
import PASIModel
import SyncStore

/// Archiving: the data events older than Archive Events Older Than days move from
/// `sync.data_events` to `sync.data_events_archive`, with what became of them (status, handling
/// time, PASI version, detail). Nothing Pending is archived, however old: an event regular
/// synchronization has not handled yet stays in the queue. Daily (the `archive_events` schedule,
/// on while Archive Data Events is on) and on demand (`pasisync run archive-events`).
///
/// The table can hold millions of rows, so the events go in batches of ``batchSize``, each its own
/// short transaction, oldest first; the progress counts them. A killed or cancelled run has kept
/// what it moved, and the next attempt goes on with what is left.
public struct ArchiveEvents: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "archive_events"
    public static let title = "Archive Events – Manual"
    public static let scheduledTitle: String? = "Archive Events"
    /// Events moved per transaction.
    static let batchSize = 10_000

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        guard case .integer(let days) = try await environment.settings.value(of: .archiveEventsOlderThanDays) else {
            throw JobError.permanent("Archive Events Older Than holds no number of days")
        }
        let store = DataEventsStore(client: environment.client, logger: context.logger)
        // One cut-off for the whole attempt, so the batches converge on a fixed set.
        let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
        let (total, pending) = try await store.archivable(before: cutoff)
        let kept = pending == 0 ? "" : "; \(pending.grouped) Pending event(s) that old kept for regular synchronization"
        var moved = 0
        try await context.progress(done: 0, total: Int64(total), message: Self.message(moved, total, days) + kept)
        while true {
            try Task.checkCancellation()
            let batch = try await store.archiveBatch(before: cutoff, limit: Self.batchSize)
            if batch == 0 { break }
            moved += batch
            // Events handled meanwhile may add to the count: the total follows.
            try await context.progress(done: Int64(moved), total: Int64(max(total, moved)), message: Self.message(moved, max(total, moved), days) + kept)
        }
        try await context.progress(done: Int64(moved), total: Int64(moved), message: Self.message(moved, moved, days) + kept)
        context.logger.info("data events archived", metadata: [
            "archived": "\(moved)", "pending_kept": "\(pending)", "older_than_days": "\(days)"])
    }

    /// "12,000 of 1,200,000 data events older than 365 days archived".
    static func message(_ moved: Int, _ total: Int, _ days: Int) -> String {
        "\(moved.grouped) of \(total.grouped) data event(s) older than \(days) days archived"
    }
}
