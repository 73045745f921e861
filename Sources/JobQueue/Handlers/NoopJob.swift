import Foundation
import PostgresNIO

#if canImport(Glibc)
import Glibc
#endif

/// The diagnostic kind `noop`, for benchmarks and tests.
///
/// Arguments (all optional): `sleep_ms` holds the slot that long; `fail_times` throws that many
/// transient errors (attempts 1…n) before succeeding; `fail_permanently` throws a permanent error;
/// `record` writes one row to `queue.noop_runs` per attempt that ran to its end, so a test can
/// prove that no job ran twice at once; `snooze_times` snoozes the job that many times (for
/// `snooze_ms`, default 10) before it runs; `kill_worker` kills its own worker process with
/// SIGKILL as soon as it starts (a job that crashes whatever runs it, for the lost-lease tests);
/// `hold_transaction_ms` keeps the transaction of `record` open that long after its insert,
/// ignoring cancellation (a handler stuck in a call that does not observe it), before it commits;
/// `pg_sleep_ms` runs one statement that takes that long (`SELECT pg_sleep`);
/// `pause_before_insert_ms` waits that long inside the transaction of `record` before its insert
/// (a handler's statement that comes after its connection may have closed).
public struct NoopJob: JobHandler {
    public struct Arguments: Decodable, Sendable {
        public var sleep_ms: Int?
        public var fail_times: Int?
        public var fail_permanently: Bool?
        public var record: Bool?
        /// Report progress this many times while sleeping.
        public var progress_steps: Int?
        public var snooze_times: Int?
        public var snooze_ms: Int?
        /// SIGKILL the worker process that runs it: a job that crashes every worker it meets.
        public var kill_worker: Bool?
        /// With `record`: how long the row's transaction stays open, idle, before its commit.
        public var hold_transaction_ms: Int?
        /// One statement that runs this long in PostgreSQL.
        public var pg_sleep_ms: Int?
        /// With `record`: how long the transaction waits, after its BEGIN, before its insert.
        public var pause_before_insert_ms: Int?
    }

    public static let kind = "noop"
    public static let title = "Diagnostic no-op"

    /// Quick retries: a diagnostic kind should not leave tests waiting for minutes.
    public let retryPolicy: RetryPolicy
    /// The watchdog's bound (``JobHandler/stallLimit``): 10 minutes unless a test sets less
    /// (`PASISYNC_NOOP_STALL_SECONDS`, read by the worker command).
    public let stallLimit: Duration

    public init(retryPolicy: RetryPolicy = RetryPolicy(maxAttempts: 25, initialDelay: .milliseconds(100), maximumDelay: .seconds(2)),
                stallLimit: Duration = .seconds(600)) {
        self.retryPolicy = retryPolicy
        self.stallLimit = stallLimit
    }

    public func run(_ arguments: Arguments, context: JobContext) async throws {
        let startedAt = Date()
        if arguments.kill_worker == true {
            // No cleanup, no release: what a crash or the OOM killer leaves behind.
            kill(getpid(), SIGKILL)
        }
        if let times = arguments.snooze_times, context.job.snoozes < times {
            throw JobSnooze(for: .milliseconds(max(arguments.snooze_ms ?? 10, 0)),
                            reason: "noop snooze \(context.job.snoozes + 1) of \(times)")
        }
        if let sleep = arguments.sleep_ms, sleep < 0 || sleep > 86_400_000 {
            throw JobError.badArguments("sleep_ms must be from 0 to 86400000, got \(sleep)")
        }
        if let sleep = arguments.sleep_ms, sleep > 0 {
            let steps = max(arguments.progress_steps ?? 0, 0)
            if steps == 0 {
                try await Task.sleep(for: .milliseconds(sleep))
            } else {
                for step in 1...steps {
                    try await Task.sleep(for: .milliseconds(sleep / steps))
                    try await context.progress(done: Int64(step), total: Int64(steps), message: "step \(step) of \(steps)")
                }
            }
        }
        if let sleep = arguments.pg_sleep_ms, sleep > 0 {
            // The rows are read: PostgreSQL's error (a statement timeout) arrives with them.
            let rows = try await context.client.query("SELECT pg_sleep(\(Double(min(sleep, 86_400_000)) / 1000))", logger: context.logger)
            for try await _ in rows {}
        }
        if arguments.fail_permanently == true {
            throw JobError.permanent("noop asked to fail permanently")
        }
        if let failTimes = arguments.fail_times, context.job.attempt <= failTimes {
            throw NoopFailure(attempt: context.job.attempt, of: failTimes)
        }
        if arguments.record == true {
            try await record(startedAt: startedAt, pausing: .milliseconds(max(arguments.pause_before_insert_ms ?? 0, 0)),
                             holding: .milliseconds(max(arguments.hold_transaction_ms ?? 0, 0)), context: context)
        }
    }
}

extension NoopJob {
    /// Writes the attempt's `queue.noop_runs` row in a transaction of the context, the path a
    /// handler's writes take; waits `pause` before the insert and holds the transaction open for
    /// `hold` after it, both whatever cancellation says.
    func record(startedAt: Date, pausing pause: Duration, holding hold: Duration, context: JobContext) async throws {
        try await context.withTransaction { connection in
            let resume = ContinuousClock.now + pause
            while ContinuousClock.now < resume { try? await Task.sleep(for: min(.milliseconds(50), resume - .now)) }
            try await context.store.recordNoopRun(context.job, worker: context.workerID, startedAt: startedAt, on: connection)
            let end = ContinuousClock.now + hold
            while ContinuousClock.now < end {
                // `try?`: a cancelled sleep returns at once; go on waiting out the hold regardless.
                try? await Task.sleep(for: min(.milliseconds(50), end - .now))
            }
        }
    }
}

/// The transient failure `noop` throws when asked to.
struct NoopFailure: Error, CustomStringConvertible {
    let attempt: Int
    let of: Int
    var description: String { "noop transient failure \(attempt) of \(of)" }
}
