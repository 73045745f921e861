public import Logging
public import ServiceLifecycle
import Foundation
import PostgresNIO

/// The queue's housekeeping, one service per worker process: returns expired leases to the queue
/// (each a spent attempt, backed off; ``LostLease``), prunes finished history, and fires due schedules.
///
/// Every process of a cluster runs one and they need no leader: each step is a statement that is
/// safe to run from any number of processes at once (the reaper and the firer lock rows with
/// `SKIP LOCKED`, the pruner takes a try-lock), so a killed process costs nothing but its turn.
public final class QueueMaintenance: Service, Sendable {
    let store: QueueStore
    let configuration: WorkerConfiguration
    let logger: Logger
    /// Each kind's retry policy: a lost lease is put off by the same backoff as a failure.
    let retryPolicies: [String: RetryPolicy]
    /// Woken when a schedule changes (the worker's listener hears `schedules` and tells us).
    let wake = WakeSignal()
    /// Asked to wake the claim loop when the reaper returned jobs or a schedule fired.
    let onNewWork: @Sendable () -> Void

    /// - Parameters:
    ///   - store: the queue's SQL.
    ///   - configuration: the worker's lease, reap and prune intervals and history kept.
    ///   - logger: the process's logger.
    ///   - retryPolicies: each kind's retry policy (``JobRegistry/retryPolicies``), for the backoff
    ///     of a job whose lease expired; a kind not in it gets the default ``RetryPolicy``.
    ///   - onNewWork: called when jobs became due (returned leases, fired schedules).
    public init(store: QueueStore, configuration: WorkerConfiguration, logger: Logger,
                retryPolicies: [String: RetryPolicy] = [:],
                onNewWork: @escaping @Sendable () -> Void = {}) {
        self.store = store
        self.configuration = configuration
        self.logger = logger
        self.retryPolicies = retryPolicies
        self.onNewWork = onNewWork
    }

    /// A schedule was inserted, changed or deleted: look at the schedules again now.
    public func schedulesChanged() { wake.signal() }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.reapAndPrune() }
            group.addTask { await self.fireSchedules() }
            // Nothing to finish on shutdown: each step is one statement, and a lost one is
            // another process's turn.
            try? await gracefulShutdown()
            group.cancelAll()
        }
    }

    // MARK: Leases and history

    private func reapAndPrune() async {
        var lastPrune = ContinuousClock.now - configuration.pruneInterval
        while !Task.isCancelled {
            do {
                let reaped = try await store.reapExpiredLeases(policies: retryPolicies, lease: configuration.lease)
                if reaped > 0 {
                    logger.notice("returned \(reaped) job(s) with expired leases to the queue (or failed them: see their last_error)")
                    onNewWork()
                }
                if ContinuousClock.now - lastPrune >= configuration.pruneInterval {
                    lastPrune = .now
                    if let pruned = try await store.pruneHistory(keepPerKind: configuration.keepHistory), pruned > 0 {
                        logger.debug("pruned \(pruned) finished job(s)")
                    }
                }
            } catch {
                logger.warning("database error during maintenance: \(Worker.describe(error))")
            }
            try? await Task.sleep(for: configuration.reapInterval)
        }
    }

    // MARK: Schedules

    /// Sleeps until the earliest slot of any schedule (or a change of one), then fires what is due.
    private func fireSchedules() async {
        var failures = 0
        while !Task.isCancelled {
            let wait: Duration
            do {
                let fired = try await store.fireDueSchedules(lease: configuration.lease)
                for slot in fired {
                    if let job = slot.jobID {
                        logger.info("schedule \(slot.schedule) fired job \(job) for \(slot.scheduledFor)")
                    } else {
                        logger.notice("schedule \(slot.schedule): a job for \(slot.scheduledFor) existed already")
                    }
                }
                if !fired.isEmpty { onNewWork() }
                let next = try await store.nextScheduleDue()
                wait = Self.wait(until: next, now: Date(), longest: configuration.scheduleCheckInterval)
                failures = 0
            } catch {
                failures += 1
                if failures <= 3 || failures % 20 == 0 {
                    logger.warning("database error while firing schedules (failure \(failures)): \(Worker.describe(error))")
                }
                wait = Worker.backoff(failures)
            }
            await wake.wait(timeout: wait)
        }
    }

    /// How long to sleep before the next look: until `next` is due, at most `longest`; a slot
    /// already due (another process holds its row right now) is looked at again shortly.
    static func wait(until next: Date?, now: Date, longest: Duration) -> Duration {
        guard let next else { return longest }
        let seconds = next.timeIntervalSince(now)
        if seconds <= 0 { return .milliseconds(50) }
        return min(longest, .milliseconds(Int64((seconds * 1000).rounded(.up))))
    }
}
