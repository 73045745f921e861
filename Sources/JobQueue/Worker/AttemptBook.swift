/// The claim loop's state, apart from its I/O: which attempts hold a slot, which completions wait
/// to be written, and what the next turn of the loop should do. ``Worker`` keeps one behind a
/// mutex and performs what it answers; every rule of the loop is here, testable without
/// PostgreSQL (as postgres-nio keeps its connection state machine apart from its channel).
struct AttemptBook {
    /// Why the worker itself cancelled a running attempt.
    enum StopReason: Equatable {
        case cancelRequested, shutdown, leaseLost
        /// The watchdog gave up the lease: no progress for the kind's stall limit.
        case stalled(Duration)
    }

    typealias Waiter = CheckedContinuation<Result<Void, any Error>, Never>

    struct Running {
        let job: ClaimedJob
        var task: Task<Void, Never>?
        var stopReason: StopReason?
        /// Where the attempt's result goes: the worker's `execute` waits here.
        var waiter: Waiter?
        /// A result that arrived before anyone waited for it.
        var result: Result<Void, any Error>?
        /// Set once a result has been handed over; later ones are dropped.
        var delivered = false
        /// When the attempt was claimed or last reported progress, for the watchdog.
        var lastPulse: ContinuousClock.Instant
    }

    /// What the claim loop does at the end of the grace period, or while it drains.
    enum Drain: Equatable {
        /// Nothing runs and every completion is written (or the leases have long expired): stop.
        case finished
        /// Keep writing completions while running jobs finish.
        case keepGoing
        /// The grace period is over: stop these attempts, to be released without spending one.
        case release([Int64])
    }

    let slots: Int
    private(set) var running: [Int64: Running] = [:]
    /// Completed attempts whose completion is not yet written; their leases are still renewed.
    private(set) var unflushed: [Int64: ClaimedJob] = [:]
    private(set) var stopping = false

    init(slots: Int) {
        self.slots = slots
    }

    var free: Int { slots - running.count }

    mutating func beginShutdown() { stopping = true }

    /// What the next statement writes (completions) and claims (up to `limit`): nothing is
    /// claimed while draining.
    func turn(draining: Bool) -> (done: [(id: Int64, attempt: Int)], limit: Int) {
        (unflushed.values.map { ($0.id, $0.attempt) }, draining ? 0 : max(free, 0))
    }

    /// While most slots are busy, it pays to wait a moment for more to free up, so one statement
    /// serves several jobs; an idle worker never waits.
    var worthGathering: Bool { !stopping && !running.isEmpty && free * 2 < slots }

    /// Every attempt whose lease the heartbeat renews: running ones and unwritten completions,
    /// but not an attempt the watchdog stopped (its lease is given up).
    var held: [(id: Int64, attempt: Int)] {
        running.values.filter { !$0.isStalled }.map { ($0.job.id, $0.job.attempt) }
            + unflushed.values.map { ($0.id, $0.attempt) }
    }

    /// Records a turn's outcome: written completions leave the buffer, claimed jobs take slots.
    mutating func settle(written done: [(id: Int64, attempt: Int)], claimed: [ClaimedJob], now: ContinuousClock.Instant = .now) {
        for (jobID, _) in done { unflushed[jobID] = nil }
        for job in claimed { running[job.id] = Running(job: job, lastPulse: now) }
    }

    /// The attempt reported progress (or that it still works) at `now`.
    mutating func pulse(_ job: ClaimedJob, at now: ContinuousClock.Instant) {
        guard running[job.id]?.job.attempt == job.attempt else { return }
        running[job.id]!.lastPulse = now
    }

    /// The running attempts, not yet stopped, that reported nothing for longer than their kind's
    /// stall limit, with that limit.
    func stalled(now: ContinuousClock.Instant, limit: (String) -> Duration) -> [(id: Int64, limit: Duration)] {
        running.values.compactMap { entry -> (id: Int64, limit: Duration)? in
            guard entry.stopReason == nil else { return nil }
            let bound = limit(entry.job.kind)
            return now - entry.lastPulse > bound ? (id: entry.job.id, limit: bound) : nil
        }.sorted { $0.id < $1.id }
    }

    /// Attaches the task running an attempt. - Returns: true when it must be stopped at once (a
    /// cancel arrived between the claim and now).
    mutating func attach(_ task: Task<Void, Never>, to jobID: Int64) -> Bool {
        running[jobID]?.task = task
        return running[jobID]?.stopReason != nil
    }

    /// The attempt's result if it has one already; otherwise `waiter` is kept to receive it.
    mutating func wait(for jobID: Int64, with waiter: Waiter) -> Result<Void, any Error>? {
        guard var entry = running[jobID] else { return .failure(CancellationError()) }
        defer { running[jobID] = entry }
        if let result = entry.result {
            entry.delivered = true
            return result
        }
        entry.waiter = waiter
        return nil
    }

    /// Hands an attempt's result over, once: returns the waiter to resume, if one waits; a result
    /// for another attempt of the job, or a second one, is dropped (the first one wins: a handler
    /// that ends just after the abandon timer fired does not change what was decided).
    mutating func deliver(_ result: Result<Void, any Error>, to job: ClaimedJob) -> Waiter? {
        guard var entry = running[job.id], entry.job.attempt == job.attempt, !entry.delivered, entry.result == nil else {
            return nil
        }
        defer { running[job.id] = entry }
        guard let waiter = entry.waiter else {
            entry.result = result
            return nil
        }
        entry.waiter = nil
        entry.delivered = true
        return waiter
    }

    func stopReason(of jobID: Int64) -> StopReason? { running[jobID]?.stopReason }

    /// Marks a running attempt stopped for `reason`. - Returns: the attempt and its task to
    /// cancel, or `nil` when it is not running or was stopped already.
    mutating func stop(_ jobID: Int64, because reason: StopReason) -> (job: ClaimedJob, task: Task<Void, Never>?)? {
        guard let entry = running[jobID], entry.stopReason == nil else { return nil }
        running[jobID]!.stopReason = reason
        return (entry.job, entry.task)
    }

    /// A completed attempt frees its slot; its completion waits for the next turn.
    /// (An attempt the watchdog stopped that completes anyway is written as completed: its
    /// lease has not expired yet, and the completion is fenced like any other.)
    mutating func completed(_ job: ClaimedJob) {
        running[job.id] = nil
        unflushed[job.id] = job
    }

    /// An attempt whose outcome was written on its own frees its slot.
    mutating func ended(_ job: ClaimedJob) { running[job.id] = nil }

    /// During shutdown: what to do now, given when the grace period ends and how long a lease lasts.
    func drain(now: ContinuousClock.Instant, deadline: ContinuousClock.Instant, lease: Duration) -> Drain {
        if running.isEmpty && unflushed.isEmpty { return .finished }
        // The database stayed away so long that the leases have expired anyway: the reaper decides.
        if now >= deadline + lease { return .finished }
        if !running.isEmpty && now >= deadline {
            let unstopped = running.values.filter { $0.stopReason == nil }.map(\.job.id).sorted()
            if !unstopped.isEmpty { return .release(unstopped) }
        }
        return .keepGoing
    }
}

extension AttemptBook.Running {
    var isStalled: Bool {
        if case .stalled? = stopReason { return true }
        return false
    }
}

/// The outcome of one attempt, as it will be written.
enum AttemptOutcome: Equatable {
    case completed
    case failed(String, permanent: Bool)
    case snoozed(Duration, reason: String)
    case cancelled
    case released
    case leaseLost

    /// What an attempt's result means, given why (if at all) the worker stopped it: a stop the
    /// worker asked for decides over the error the stopped handler threw.
    init(_ result: Result<Void, any Error>, stoppedBecause reason: AttemptBook.StopReason?, describe: (any Error) -> String) {
        switch (result, reason) {
        case (.success, _): self = .completed
        case (.failure, .cancelRequested?): self = .cancelled
        case (.failure, .shutdown?): self = .released
        case (.failure, .leaseLost?): self = .leaseLost
        case (.failure, .stalled(let limit)?): self = .failed(StallLimit.message(limit), permanent: false)
        case (.failure(let snooze as JobSnooze), nil): self = .snoozed(snooze.delay, reason: snooze.reason)
        case (.failure(let error as JobError), nil): self = .failed(error.description, permanent: true)
        case (.failure(is LeaseLost), nil): self = .leaseLost
        case (.failure(let error), nil): self = .failed(describe(error), permanent: false)
        }
    }
}
