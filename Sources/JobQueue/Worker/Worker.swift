public import Logging
public import ServiceLifecycle
import Foundation
import PostgresNIO
import Synchronization

/// A worker process's engine: claims due jobs in batches, runs up to `slots` of them at once,
/// keeps their leases alive, and writes each attempt's outcome back, fenced by its attempt number.
///
/// Run it as a `Service` in a `ServiceGroup` after the `PostgresClient` it uses: on graceful
/// shutdown it stops claiming, lets running jobs finish within the grace period, releases the rest
/// to the queue without spending an attempt, and only then returns. Run a ``QueueMaintenance``
/// beside it in the same group: the lease reaper, the pruner and the schedule firer live there.
public final class Worker: Service, Sendable {
    let store: QueueStore
    let registry: JobRegistry
    let configuration: WorkerConfiguration
    let logger: Logger
    let wake = WakeSignal()
    let book: Mutex<AttemptBook>
    /// Told when a schedule changes (the listener hears it for the whole process).
    let maintenance: QueueMaintenance?

    /// - Parameters:
    ///   - store: the queue's SQL, over the client the worker uses.
    ///   - registry: the kinds this worker runs; it claims only these.
    ///   - configuration: slots, lease, grace period and the rest.
    ///   - logger: the worker's logger; each job logs with its id, kind and attempt added.
    ///   - maintenance: the process's maintenance service, woken when a schedule changes.
    public init(
        store: QueueStore, registry: JobRegistry, configuration: WorkerConfiguration, logger: Logger,
        maintenance: QueueMaintenance? = nil
    ) {
        self.store = store
        self.registry = registry
        self.configuration = configuration
        self.book = Mutex(AttemptBook(slots: configuration.slots))
        self.maintenance = maintenance
        var logger = logger
        logger[metadataKey: "worker"] = "\(configuration.workerID)"
        self.logger = logger
    }

    public var id: String { configuration.workerID }

    public func run() async throws {
        try await registerWithRetry()
        logger.info("worker started", metadata: [
            "slots": "\(configuration.slots)", "lease": "\(configuration.lease)", "kinds": "\(registry.kinds)"])
        await withDiscardingTaskGroup { background in
            background.addTask { await self.listen() }
            background.addTask { await self.beat() }
            await withGracefulShutdownHandler {
                await self.dispatch()
            } onGracefulShutdown: {
                self.beginShutdown()
            }
            background.cancelAll()
        }
        try? await store.unregisterWorker(id: id)
        logger.info("worker stopped")
    }

    /// Looks for due jobs now (maintenance returned leases or fired a schedule).
    public func wakeUp() { wake.signal() }

    /// Starts a graceful shutdown (what SIGTERM does through the service group).
    public func beginShutdown() {
        book.withLock { $0.beginShutdown() }
        wake.signal()
    }

    // MARK: Claiming

    /// The hot path, one loop: each turn writes the completions gathered since the last one and
    /// claims jobs for the free slots, in a single statement.
    ///
    /// After shutdown begins it claims nothing, goes on writing completions while running jobs
    /// finish, and at the end of the grace period has the rest released.
    private func dispatch() async {
        let kinds = registry.kinds
        await withDiscardingTaskGroup { jobs in
            var failures = 0
            var shutdownDeadline: ContinuousClock.Instant?
            // A cancelled task (its group torn down without a graceful shutdown) must not spin:
            // it stops here, and the leases of what it held expire to the reaper.
            while !Task.isCancelled {
                if isStopping, shutdownDeadline == nil {
                    shutdownDeadline = .now + configuration.gracePeriod
                    try? await store.markWorkerStopping(id: id)
                }
                if let deadline = shutdownDeadline {
                    if drain(deadline: deadline) { break }
                } else {
                    await gatherBatch()
                }
                let (done, limit) = book.withLock { $0.turn(draining: shutdownDeadline != nil) }
                if done.isEmpty && limit == 0 {
                    await wake.wait(timeout: shutdownDeadline == nil ? configuration.pollInterval : .milliseconds(100))
                    continue
                }
                do {
                    let exchange = try await store.completeAndClaim(
                        done, kinds: kinds, limit: limit, worker: id, lease: configuration.lease)
                    failures = 0
                    book.withLock { $0.settle(written: done, claimed: exchange.claimed) }
                    for (jobID, attempt) in done where !exchange.completed.contains(jobID) {
                        logger.warning("completion of job \(jobID) attempt \(attempt) refused: it no longer holds the lease")
                    }
                    for job in exchange.claimed {
                        jobs.addTask { await self.runAttempt(job) }
                    }
                    // A full claim means more may be waiting; otherwise sleep until woken.
                    if limit > 0 && exchange.claimed.count == limit { continue }
                } catch {
                    failures += 1
                    logDatabaseError(error, while: "completing and claiming jobs", failures: failures)
                    await wake.wait(timeout: Self.backoff(failures))
                    continue
                }
                await wake.wait(timeout: shutdownDeadline == nil ? configuration.pollInterval : .milliseconds(100))
            }
        }
    }

    private var isStopping: Bool { book.withLock { $0.stopping } }

    /// While most slots are busy, waits up to ``WorkerConfiguration/batchWindow`` for half of
    /// them to free up, so that one statement completes several jobs and fills their slots again
    /// instead of each ended job costing a statement and a commit of its own.
    private func gatherBatch() async {
        let deadline = ContinuousClock.now + configuration.batchWindow
        while book.withLock({ $0.worthGathering }), ContinuousClock.now < deadline {
            await wake.wait(timeout: deadline - .now)
        }
    }

    /// During shutdown: true once the loop may end (see ``AttemptBook/drain(now:deadline:lease:)``);
    /// at the end of the grace period the jobs still running are stopped, to be released.
    private func drain(deadline: ContinuousClock.Instant) -> Bool {
        switch book.withLock({ $0.drain(now: .now, deadline: deadline, lease: configuration.lease) }) {
        case .finished:
            return true
        case .keepGoing:
            return false
        case .release(let unstopped):
            logger.notice("grace period over: releasing \(unstopped.count) running job(s) to the queue")
            unstopped.forEach { stop($0, because: .shutdown) }
            return false
        }
    }

    // MARK: Running one attempt

    private func runAttempt(_ job: ClaimedJob) async {
        let outcome = await execute(job)
        await record(outcome, of: job)
        wake.signal()
    }

    private func execute(_ job: ClaimedJob) async -> AttemptOutcome {
        guard let entry = registry[job.kind] else {
            return .failed("no handler for kind \(job.kind) in this worker", permanent: true)
        }
        var logger = self.logger
        logger[metadataKey: "job"] = "\(job.id)"
        logger[metadataKey: "kind"] = "\(job.kind)"
        logger[metadataKey: "attempt"] = "\(job.attempt)"
        let context = JobContext(job: job, workerID: id, logger: logger, store: store) {
            self.book.withLock { $0.pulse(job, at: .now) }
        }
        let task = Task {
            let result: Result<Void, any Error>
            do {
                try await withTimeout(entry.timeout) { try await entry.execute(job.args, context) }
                result = .success(())
            } catch {
                result = .failure(error)
            }
            self.deliver(result, to: job)
        }
        if book.withLock({ $0.attach(task, to: job.id) }) { task.cancel() }
        let result = await withCheckedContinuation { continuation in
            if let ready = book.withLock({ $0.wait(for: job.id, with: continuation) }) {
                continuation.resume(returning: ready)
            }
        }
        let outcome = AttemptOutcome(result, stoppedBecause: book.withLock { $0.stopReason(of: job.id) },
                                     describe: Self.describe)
        if case .leaseLost = outcome, case .failure(let error as LeaseLost) = result { logger.warning("\(error)") }
        return outcome
    }

    /// Hands an attempt's result to ``execute(_:)``, once: from the handler when it ends, or from
    /// ``stop(_:because:)``'s timer when the handler ignored its cancellation.
    private func deliver(_ result: Result<Void, any Error>, to job: ClaimedJob) {
        book.withLock { $0.deliver(result, to: job) }?.resume(returning: result)
    }

    /// Writes an attempt's outcome. Completions wait for the next turn of the loop; the rest are rare and
    /// written at once, retried while the database is unreachable.
    private func record(_ outcome: AttemptOutcome, of job: ClaimedJob) async {
        if case .completed = outcome {
            book.withLock { $0.completed(job) }
            return
        }
        defer { book.withLock { $0.ended(job) } }
        let worker = id
        switch outcome {
        case .completed, .leaseLost:
            if case .leaseLost = outcome { logger.warning("job \(job.id) attempt \(job.attempt) lost its lease; its outcome is dropped") }
        case .failed(let message, let permanent):
            let policy = registry[job.kind]?.retryPolicy ?? RetryPolicy()
            let delay = policy.delay(afterAttempt: job.attempt)
            let state = await persist("recording a failure of job \(job.id)") {
                try await self.store.fail(job, worker: worker, error: message, permanent: permanent, retryDelay: delay)
            }
            switch state {
            case .some(.some(let state)):
                logger.log(level: state == .failed ? .error : .warning,
                           "job \(job.id) attempt \(job.attempt)/\(job.maxAttempts) failed: \(message)",
                           metadata: ["state": "\(state)"])
            case .some(nil):
                logger.warning("failure of job \(job.id) attempt \(job.attempt) refused: it no longer holds the lease")
            case nil:
                break
            }
        case .snoozed(let delay, let reason):
            let kept = await persist("snoozing job \(job.id)") {
                try await self.store.snooze(job, worker: worker, delay: delay, reason: reason)
            }
            if kept == true { logger.info("job \(job.id) snoozed for \(delay) (attempt not spent): \(reason)") }
        case .cancelled:
            _ = await persist("recording the cancellation of job \(job.id)") {
                try await self.store.markCancelled(job, worker: worker)
            }
            logger.info("job \(job.id) cancelled while running")
        case .released:
            _ = await persist("releasing job \(job.id)") {
                try await self.store.release([(job.id, job.attempt)], worker: worker)
            }
            logger.info("job \(job.id) released to the queue (attempt not spent)")
        }
    }

    // MARK: Leases and cancellation

    /// Renews the leases of every attempt this worker holds; learns of cancel requests and of
    /// leases that were lost (expired while this process was frozen or cut off). First, the
    /// watchdog: an attempt that reported no progress for its kind's stall limit is stopped and
    /// its lease is no longer renewed (``JobHandler/stallLimit``).
    private func beat() async {
        while !Task.isCancelled {
            watchForStalls()
            let held = book.withLock { $0.held }
            do {
                let answer = try await store.heartbeat(worker: id, jobs: held, lease: configuration.lease)
                for (jobID, cancel) in answer where cancel { stop(jobID, because: .cancelRequested) }
                for (jobID, _) in held where answer[jobID] == nil { stop(jobID, because: .leaseLost) }
                try? await Task.sleep(for: configuration.heartbeatInterval)
            } catch {
                logDatabaseError(error, while: "renewing leases", failures: 1)
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Stops the attempts silent for longer than their kind's stall limit: their outcome is a
    /// transient failure that says so, written as soon as the handler ends (or is abandoned).
    private func watchForStalls() {
        let registry = self.registry
        let stalled = book.withLock {
            $0.stalled(now: .now) { kind in registry[kind]?.stallLimit ?? StallLimit.default }
        }
        for (jobID, limit) in stalled {
            logger.warning("job \(jobID) reported no progress for \(limit) (its kind's stall limit): giving up its lease")
            stop(jobID, because: .stalled(limit))
        }
    }

    /// Stops an attempt this worker holds if its row asks for it. A `cancel:ID` notification is only
    /// a hint to look now rather than at the next heartbeat: any session may NOTIFY the channel, but
    /// only a role that may update `queue.jobs.cancel_requested` can cancel a job.
    private func confirmCancel(_ jobID: Int64) {
        guard let held = book.withLock({ $0.held.first { $0.id == jobID } }) else { return }
        Task {
            do {
                let answer = try await store.heartbeat(worker: id, jobs: [held], lease: configuration.lease)
                if answer[jobID] == true { stop(jobID, because: .cancelRequested) }
            } catch {
                logDatabaseError(error, while: "checking a cancel request", failures: 1)
            }
        }
    }

    /// Cancels a running attempt's task, remembering why.
    ///
    /// A handler that ignores its cancellation is given ``WorkerConfiguration/abandonAfter``, then
    /// the attempt is treated as stopped anyway (released, cancelled or dropped), so that a call
    /// stuck somewhere cannot keep the worker from shutting down.
    func stop(_ jobID: Int64, because reason: AttemptBook.StopReason) {
        guard let (job, task) = book.withLock({ $0.stop(jobID, because: reason) }) else { return }
        task?.cancel()
        let limit = configuration.abandonAfter
        Task {
            try? await Task.sleep(for: limit)
            self.deliver(.failure(AttemptAbandoned(limit: limit)), to: job)
        }
    }

    /// LISTENs for new work and cancel requests; reconnects with backoff when the database goes away.
    private func listen() async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await store.client.withConnection { connection in
                    try await connection.listen(on: "pasisync_queue") { notifications in
                        failures = 0
                        self.wake.signal()  // anything inserted while we were not listening
                        for try await notification in notifications {
                            if notification.payload.hasPrefix("cancel:"),
                               let jobID = Int64(notification.payload.dropFirst("cancel:".count)) {
                                self.confirmCancel(jobID)
                            } else if notification.payload == "schedules" {
                                self.maintenance?.schedulesChanged()
                            } else {
                                self.wake.signal()
                            }
                        }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logDatabaseError(error, while: "listening for notifications", failures: failures)
                try? await Task.sleep(for: Self.backoff(failures))
            }
        }
    }

    // MARK: Helpers

    private func registerWithRetry() async throws {
        var failures = 0
        while true {
            do {
                try await store.register(kinds: registry.registrations)
                try await store.registerWorker(
                    id: id, host: ProcessInfo.processInfo.hostName,
                    pid: Int(ProcessInfo.processInfo.processIdentifier), slots: configuration.slots,
                    kinds: registry.kinds)
                return
            } catch {
                failures += 1
                if failures >= 30 || isStopping { throw error }
                logDatabaseError(error, while: "registering the worker", failures: failures)
                try await Task.sleep(for: Self.backoff(failures))
            }
        }
    }

    /// Runs a write until it succeeds, backing off while the database is unreachable, for at most
    /// two leases: after that the lease has expired anyway and the reaper decides.
    private func persist<T>(_ what: String, _ write: () async throws -> T) async -> T? {
        let deadline = ContinuousClock.now + configuration.lease * 2
        var failures = 0
        while true {
            do {
                return try await write()
            } catch {
                failures += 1
                logDatabaseError(error, while: what, failures: failures)
                if ContinuousClock.now >= deadline { return nil }
                try? await Task.sleep(for: Self.backoff(failures))
            }
        }
    }

    /// 50 ms, 100 ms, … up to 5 s.
    static func backoff(_ failures: Int) -> Duration {
        .milliseconds(min(5000, 50 << min(failures, 7)))
    }

    private func logDatabaseError(_ error: any Error, while what: String, failures: Int) {
        // The first failures of a streak are worth a line each; a long outage should not flood the log.
        guard failures <= 3 || failures % 20 == 0 else { return }
        logger.warning("database error while \(what) (failure \(failures)): \(Self.describe(error))")
    }

    /// An error's text for people: PostgreSQL's own message where there is one. Never its
    /// DETAIL: PostgreSQL puts the row's values there ("Failing row contains (…)", "Key (asn)=(…)
    /// already exists"), and this text lands in `queue.jobs.last_error` and the log, where a child's
    /// name or ASN does not belong; the message names the constraint or the rule that refused it.
    static func describe(_ error: any Error) -> String {
        if let error = error as? PSQLError {
            if let message = error.serverInfo?[.message] { return message }
            return "\(error.code)"
        }
        return "\(error)"
    }
}

/// A stopped attempt whose handler did not end within ``WorkerConfiguration/abandonAfter``.
struct AttemptAbandoned: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the handler ignored its cancellation for \(limit)" }
}
