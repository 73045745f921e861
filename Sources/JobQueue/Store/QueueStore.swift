public import Foundation
public import Logging
public import PostgresNIO

/// Every SQL statement of the job queue, in one place.
///
/// Statements that end an attempt are fenced by `(id, attempt, lease_owner)`: a worker whose
/// lease expired (crashed, frozen, cut off) cannot complete or fail an attempt that has since
/// been handed to someone else; the statement simply matches no row.
public struct QueueStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// How long the worker waits for any one statement of its own before giving up on it.
    public let statementTimeout: Duration

    /// - Parameters:
    ///   - statementTimeout: defaults to 15 seconds; claims and completions take milliseconds.
    public init(client: PostgresClient, logger: Logger, statementTimeout: Duration = .seconds(15)) {
        self.client = client
        self.logger = logger
        self.statementTimeout = statementTimeout
    }

    /// Runs the worker's statements under a deadline, so that one lost on a dead connection
    /// fails (and is retried) instead of hanging the loop that issued it.
    @discardableResult
    private func timed<T: Sendable>(_ statement: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withDeadline(statementTimeout, timeout: StatementTimeout(limit: statementTimeout), statement)
    }

    // MARK: Enqueue

    /// Inserts a job; with a unique key that a live job already holds, returns that job instead.
    ///
    /// Unknown kinds, unknown dependencies and arguments that are not a JSON object are refused by
    /// the database with an error that names them.
    public func enqueue(_ job: NewJob) async throws -> EnqueueResult {
        try await client.withConnection { connection in try await enqueue(job, on: connection) }
    }

    /// Inserts a job on `connection`, inside whatever transaction the caller holds there, so that
    /// the caller's own writes and the jobs they lead to commit (or roll back) together.
    public func enqueue(_ job: NewJob, on connection: PostgresConnection) async throws -> EnqueueResult {
        let rows = try await connection.query("""
            INSERT INTO queue.jobs (kind, args, priority, run_at, unique_key, depends_on, parent_id, max_attempts)
            VALUES (\(job.kind), \(job.args)::jsonb, \(job.priority), coalesce(\(job.runAt), now()),
                    \(job.uniqueKey), \(job.dependsOn)::bigint[], \(job.parentID), \(job.maxAttempts))
            ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL
                AND state IN ('waiting', 'pending', 'running', 'retrying') DO NOTHING
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return .inserted(id) }
        // The key is taken: report the live holder (it may finish in between; then insert again).
        let holder = try await connection.query("""
            SELECT id FROM queue.jobs WHERE unique_key = \(job.uniqueKey)
              AND state IN ('waiting', 'pending', 'running', 'retrying')
            """, logger: logger)
        for try await id in holder.decode(Int64.self) { return .duplicate(id) }
        return try await enqueue(job, on: connection)
    }

    // MARK: Kinds and workers

    /// Records the kinds this binary can run, so that inserts of them are accepted.
    public func register(kinds: [KindRegistration]) async throws {
        // In name order, whoever registers: `pasisync migrate` and a starting worker upserting the
        // same rows in two orders deadlocked (and the migrate failed).
        let kinds = kinds.sorted { $0.name < $1.name }
        try await timed {
            try await client.query("""
                INSERT INTO queue.job_kinds (name, title, max_attempts, timeout_seconds, scheduled_title, family)
                SELECT name, title, max_attempts, nullif(timeout_seconds, 0), nullif(scheduled_title, ''), nullif(family, '')
                FROM unnest(\(kinds.map(\.name))::text[], \(kinds.map(\.title))::text[],
                            \(kinds.map(\.maxAttempts))::int[], \(kinds.map { $0.timeoutSeconds ?? 0 })::int[],
                            \(kinds.map { $0.scheduledTitle ?? "" })::text[], \(kinds.map { $0.family ?? "" })::text[])
                     AS k(name, title, max_attempts, timeout_seconds, scheduled_title, family)
                ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, max_attempts = EXCLUDED.max_attempts,
                    timeout_seconds = EXCLUDED.timeout_seconds, scheduled_title = EXCLUDED.scheduled_title,
                    family = EXCLUDED.family
                """, logger: logger)
        }
    }

    public func registerWorker(id: String, host: String, pid: Int, slots: Int, kinds: [String]) async throws {
        try await timed {
            try await client.query("""
                INSERT INTO queue.workers (id, host, pid, slots, kinds) VALUES (\(id), \(host), \(pid), \(slots), \(kinds))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopping = false
                """, logger: logger)
        }
    }

    public func markWorkerStopping(id: String) async throws {
        try await timed {
            try await client.query("UPDATE queue.workers SET stopping = true WHERE id = \(id)", logger: logger)
        }
    }

    public func unregisterWorker(id: String) async throws {
        try await timed {
            try await client.query("DELETE FROM queue.workers WHERE id = \(id)", logger: logger)
        }
    }

    // MARK: The hot path: claim, renew, complete

    /// What one ``completeAndClaim(_:kinds:limit:worker:lease:)`` did.
    public struct Exchange: Sendable {
        /// Attempts whose completion was accepted; the others were fenced out.
        public var completed: Set<Int64> = []
        /// Attempts claimed for this worker.
        public var claimed: [ClaimedJob] = []
    }

    /// Completes the given attempts and claims up to `limit` due jobs of `kinds`, highest
    /// priority first, in one statement and one commit: the worker's whole hot path.
    ///
    /// `SKIP LOCKED` lets many workers claim at once without waiting on each other's rows.
    public func completeAndClaim(
        _ done: [(id: Int64, attempt: Int)], kinds: [String], limit: Int, worker: String, lease: Duration
    ) async throws -> Exchange {
        try await timed {
            let statement = CompleteAndClaim(
                ids: done.map(\.id), attempts: done.map(\.attempt), worker: worker, kinds: kinds,
                limit: limit, leaseSeconds: lease.seconds)
            var exchange = Exchange()
            for try await (id, kind, args, attempt, maxAttempts, snoozes, schedule) in try await client.execute(statement, logger: logger) {
                if let kind, let args, let attempt, let maxAttempts {
                    exchange.claimed.append(ClaimedJob(
                        id: id, kind: kind, args: args, attempt: attempt, maxAttempts: maxAttempts,
                        snoozes: snoozes ?? 0, schedule: schedule))
                } else {
                    exchange.completed.insert(id)
                }
            }
            return exchange
        }
    }

    /// Claims up to `limit` due jobs (``completeAndClaim(_:kinds:limit:worker:lease:)`` with nothing to complete).
    public func claim(kinds: [String], limit: Int, worker: String, lease: Duration) async throws -> [ClaimedJob] {
        try await completeAndClaim([], kinds: kinds, limit: limit, worker: worker, lease: lease).claimed
    }

    /// Completes attempts without claiming.
    /// - Returns: the ids whose completion was accepted; the others were fenced out.
    public func complete(_ attempts: [(id: Int64, attempt: Int)], worker: String) async throws -> Set<Int64> {
        try await completeAndClaim(attempts, kinds: [], limit: 0, worker: worker, lease: .zero).completed
    }

    /// The worker's heartbeat: renews the leases of the attempts it still holds.
    ///
    /// - Returns: for each attempt still held, whether someone asked to cancel it. An attempt
    ///   missing from the answer has lost its lease.
    public func heartbeat(worker: String, jobs: [(id: Int64, attempt: Int)], lease: Duration) async throws -> [Int64: Bool] {
        try await timed {
            let rows = try await client.query("""
                WITH beat AS (UPDATE queue.workers SET heartbeat_at = now() WHERE id = \(worker))
                UPDATE queue.jobs j SET lease_expires_at = now() + make_interval(secs => \(lease.seconds))
                FROM unnest(\(jobs.map(\.id))::bigint[], \(jobs.map(\.attempt))::int[]) AS held(id, attempt)
                WHERE j.id = held.id AND j.attempt = held.attempt AND j.state = 'running' AND j.lease_owner = \(worker)
                RETURNING j.id, j.cancel_requested
                """, logger: logger)
            var held: [Int64: Bool] = [:]
            for try await (id, cancel) in rows.decode((Int64, Bool).self) { held[id] = cancel }
            return held
        }
    }

    // MARK: Failure, cancellation, release

    /// Records a failed attempt: retried after `retryDelay`, or failed for good when permanent or
    /// out of attempts. The error joins the job's error history.
    /// - Returns: the job's new state, or `nil` when the attempt was fenced out.
    public func fail(
        _ job: ClaimedJob, worker: String, error: String, permanent: Bool, retryDelay: Duration
    ) async throws -> JobState? {
        try await timed {
            let rows = try await client.query("""
                UPDATE queue.jobs
                SET state = CASE WHEN \(permanent) OR attempt >= max_attempts THEN 'failed' ELSE 'retrying' END::queue.job_state,
                    run_at = now() + make_interval(secs => \(retryDelay.seconds)),
                    finished_at = CASE WHEN \(permanent) OR attempt >= max_attempts THEN now() END,
                    lease_expires_at = NULL,
                    last_error = \(error),
                    errors = errors || jsonb_build_object('attempt', attempt, 'at', now(), 'worker', \(worker),
                                                          'error', \(error), 'permanent', \(permanent))
                WHERE id = \(job.id) AND attempt = \(job.attempt) AND state = 'running' AND lease_owner = \(worker)
                RETURNING state::text
                """, logger: logger)
            for try await state in rows.decode(String.self) { return JobState(rawValue: state) }
            return nil
        }
    }

    /// Ends an attempt that was cancelled on request.
    public func markCancelled(_ job: ClaimedJob, worker: String) async throws -> Bool {
        try await timed {
            let rows = try await client.query("""
                UPDATE queue.jobs SET state = 'cancelled', finished_at = now(), lease_expires_at = NULL,
                    last_error = 'cancelled while running'
                WHERE id = \(job.id) AND attempt = \(job.attempt) AND state = 'running' AND lease_owner = \(worker)
                RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// Puts a running attempt back in the queue for later without spending it (``JobSnooze``).
    /// - Returns: false when the attempt was fenced out.
    public func snooze(_ job: ClaimedJob, worker: String, delay: Duration, reason: String) async throws -> Bool {
        try await timed {
            let rows = try await client.query("""
                UPDATE queue.jobs
                SET state = 'pending', attempt = attempt - 1, snoozes = snoozes + 1,
                    run_at = now() + make_interval(secs => \(delay.seconds)),
                    lease_owner = NULL, lease_expires_at = NULL, started_at = NULL,
                    progress_message = \(reason)
                WHERE id = \(job.id) AND attempt = \(job.attempt) AND state = 'running' AND lease_owner = \(worker)
                RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// Gives attempts back to the queue without spending them (a worker shutting down).
    public func release(_ attempts: [(id: Int64, attempt: Int)], worker: String) async throws -> Int {
        try await timed {
            let rows = try await client.query("""
                UPDATE queue.jobs j
                SET state = 'pending', attempt = j.attempt - 1, lease_owner = NULL, lease_expires_at = NULL,
                    started_at = NULL, run_at = now()
                FROM unnest(\(attempts.map(\.id))::bigint[], \(attempts.map(\.attempt))::int[]) AS r(id, attempt)
                WHERE j.id = r.id AND j.attempt = r.attempt AND j.state = 'running' AND j.lease_owner = \(worker)
                RETURNING j.id
                """, logger: logger)
            var count = 0
            for try await _ in rows.decode(Int64.self) { count += 1 }
            if count > 0 { try await client.query("SELECT pg_notify('pasisync_queue', '')", logger: logger) }
            return count
        }
    }

    /// Asks for a job to be cancelled: an unfinished job that is not running is cancelled at once;
    /// a running one is flagged, and its worker (told by NOTIFY, or at its next heartbeat) stops it.
    /// - Returns: the job's state after the request, or `nil` if there is no such job.
    public func cancel(id: Int64) async throws -> JobState? {
        let rows = try await client.query("""
            UPDATE queue.jobs
            SET state = CASE WHEN state = 'running' THEN state ELSE 'cancelled' END,
                finished_at = CASE WHEN state = 'running' THEN finished_at ELSE now() END,
                cancel_requested = (state = 'running')
            WHERE id = \(id) AND state IN ('waiting', 'pending', 'running', 'retrying')
            RETURNING state::text
            """, logger: logger)
        for try await state in rows.decode(String.self) { return JobState(rawValue: state) }
        return try await state(of: id)
    }

    /// Puts a failed or cancelled job back in the queue with a fresh set of attempts; its error
    /// history is kept.
    /// - Returns: the job's state afterwards, or `nil` if there is no such job.
    public func retry(id: Int64) async throws -> JobState? {
        let rows = try await client.query("""
            UPDATE queue.jobs
            SET state = 'pending', attempt = 0, run_at = now(), finished_at = NULL, cancel_requested = false,
                lease_owner = NULL, lease_expires_at = NULL
            WHERE id = \(id) AND state IN ('failed', 'cancelled')
            RETURNING state::text
            """, logger: logger)
        for try await state in rows.decode(String.self) {
            try await client.query("SELECT pg_notify('pasisync_queue', '')", logger: logger)
            return JobState(rawValue: state)
        }
        return try await state(of: id)
    }

    public func state(of id: Int64) async throws -> JobState? {
        let rows = try await client.query("SELECT state::text FROM queue.jobs WHERE id = \(id)", logger: logger)
        for try await state in rows.decode(String.self) { return JobState(rawValue: state) }
        return nil
    }

    // MARK: Progress and children

    /// Records a running attempt's progress.
    /// - Returns: false when the attempt no longer holds its lease.
    public func progress(_ job: ClaimedJob, worker: String, done: Int64, total: Int64?, message: String?) async throws -> Bool {
        try await timed {
            let rows = try await client.query("""
                UPDATE queue.jobs SET progress_done = \(done), progress_total = \(total),
                    progress_message = coalesce(\(message), progress_message)
                WHERE id = \(job.id) AND attempt = \(job.attempt) AND state = 'running' AND lease_owner = \(worker)
                RETURNING id
                """, logger: logger)
            for try await _ in rows.decode(Int64.self) { return true }
            return false
        }
    }

    /// Sets the progress of a job that is not the caller's attempt: a parent waiting for its
    /// children, whose children report for it, in the transaction of their own work.
    /// - Parameters:
    ///   - done: Added to the job's count done.
    ///   - total: The new total, or `nil` to keep it.
    ///   - message: The new message, or `nil` to keep it.
    public func addProgress(toJob id: Int64, done: Int64, total: Int64? = nil, message: String?, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE queue.jobs SET progress_done = coalesce(progress_done, 0) + \(done),
                progress_total = coalesce(\(total), progress_total), progress_message = coalesce(\(message), progress_message)
            WHERE id = \(id)
            """, logger: logger)
    }

    // MARK: Maintenance

    /// Returns the attempts whose lease expired to the queue (or fails them when out of attempts),
    /// and forgets workers that stopped beating long ago.
    /// - Returns: how many jobs were returned or failed.
    public func reapExpiredLeases() async throws -> Int {
        try await timed {
            let rows = try await client.query("""
                WITH expired AS (
                    SELECT id FROM queue.jobs
                    WHERE state = 'running' AND lease_expires_at < now()
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE queue.jobs j
                SET state = CASE WHEN j.cancel_requested THEN 'cancelled'
                                 WHEN j.attempt >= j.max_attempts THEN 'failed'
                                 ELSE 'retrying' END::queue.job_state,
                    finished_at = CASE WHEN j.cancel_requested OR j.attempt >= j.max_attempts THEN now() END,
                    run_at = now(),
                    last_error = format('lease expired: worker %s stopped renewing it', j.lease_owner),
                    errors = j.errors || jsonb_build_object('attempt', j.attempt, 'at', now(), 'worker', j.lease_owner,
                                                            'error', 'lease expired', 'permanent', false),
                    lease_owner = NULL, lease_expires_at = NULL
                FROM expired WHERE j.id = expired.id
                RETURNING j.id
                """, logger: logger)
            var count = 0
            for try await _ in rows.decode(Int64.self) { count += 1 }
            try await client.query(
                "DELETE FROM queue.workers WHERE heartbeat_at < now() - interval '10 minutes'", logger: logger)
            return count
        }
    }

    /// Deletes finished jobs beyond the newest `keep` of each kind (or the kind's own
    /// `queue.job_kinds.keep_history`). A child whose parent is still unfinished is kept: the
    /// parent's outcome depends on it.
    /// - Returns: how many rows were deleted, or `nil` when another worker is pruning right now.
    public func pruneHistory(keepPerKind keep: Int) async throws -> Int? {
        try await timed {
            try await client.withTransaction(logger: logger) { connection in
                let lock = try await connection.query(
                    "SELECT pg_try_advisory_xact_lock(hashtext('pasisync.queue.prune'))", logger: logger)
                for try await locked in lock.decode(Bool.self) where !locked { return nil }
                let rows = try await connection.query("""
                    DELETE FROM queue.jobs j
                    USING (SELECT ranked.id FROM (
                               SELECT id, kind, row_number() OVER (PARTITION BY kind ORDER BY finished_at DESC, id DESC) AS rn
                               FROM queue.jobs WHERE state IN ('completed', 'failed', 'cancelled')) ranked
                           LEFT JOIN queue.job_kinds k ON k.name = ranked.kind
                           WHERE ranked.rn > coalesce(k.keep_history, \(keep))) old
                    WHERE j.id = old.id
                      AND NOT EXISTS (SELECT 1 FROM queue.jobs p WHERE p.id = j.parent_id
                                      AND p.state IN ('waiting', 'pending', 'running', 'retrying'))
                    RETURNING j.id
                    """, logger: logger)
                var count = 0
                for try await _ in rows.decode(Int64.self) { count += 1 }
                return count
            }
        }
    }

    // MARK: Schedules

    /// Fires every due schedule of a registered kind, once per slot, in one transaction per pass
    /// (`queue.fire_due_schedules`; docs/schedules.md says why no slot fires twice or is skipped).
    /// - Parameter lease: how long a worker may go between heartbeats and still count as alive.
    public func fireDueSchedules(lease: Duration) async throws -> [FiredSlot] {
        try await timed {
            let rows = try await client.query("""
                SELECT schedule, scheduled_for, job_id
                FROM queue.fire_due_schedules(make_interval(secs => \(lease.seconds)))
                """, logger: logger)
            var fired: [FiredSlot] = []
            for try await (name, slot, job) in rows.decode((String, Date, Int64?).self) {
                fired.append(FiredSlot(schedule: name, scheduledFor: slot, jobID: job))
            }
            return fired
        }
    }

    /// When the next enabled schedule of a registered kind falls due, if any.
    public func nextScheduleDue() async throws -> Date? {
        try await timed {
            let rows = try await client.query("""
                SELECT min(next_run_at) FROM queue.schedules s
                WHERE enabled AND EXISTS (SELECT 1 FROM queue.job_kinds k WHERE k.name = s.kind)
                """, logger: logger)
            for try await next in rows.decode(Date?.self) { return next }
            return nil
        }
    }

    /// Every schedule, as `queue.schedule_list` shows it, by next run.
    public func schedules() async throws -> [ScheduleSummary] {
        let rows = try await client.query("""
            SELECT name, kind, title, rule, enabled, status, next_run_local, time_zone, last_job_id, follows
            FROM queue.schedule_list ORDER BY next_run_at NULLS LAST, name
            """, logger: logger)
        var list: [ScheduleSummary] = []
        for try await row in rows.decode((String, String, String, String, Bool, String, String?, String, Int64?, String?).self) {
            list.append(ScheduleSummary(
                name: row.0, kind: row.1, title: row.2, rule: row.3, enabled: row.4, status: row.5,
                nextRunLocal: row.6, timeZone: row.7, lastJobID: row.8, follows: row.9))
        }
        return list
    }

    /// The next `count` runs of a schedule, in the cluster's local time (`queue.upcoming_runs`).
    public func upcomingRuns(of name: String, count: Int, after: Date = Date()) async throws -> [String] {
        let rows = try await client.query("""
            SELECT to_char(local_time, 'YYYY-MM-DD HH24:MI') FROM queue.upcoming_runs(\(name), \(count)::int, \(after))
            """, logger: logger)
        var runs: [String] = []
        for try await run in rows.decode(String.self) { runs.append(run) }
        return runs
    }

    // MARK: Diagnostics

    /// Records one finished run of a `noop` job (see ``NoopJob``).
    func recordNoopRun(_ job: ClaimedJob, worker: String, startedAt: Date) async throws {
        try await timed {
            try await client.query("""
                INSERT INTO queue.noop_runs (job_id, attempt, worker, started_at)
                VALUES (\(job.id), \(job.attempt), \(worker), \(startedAt))
                """, logger: logger)
        }
    }

    // MARK: Reading

    /// The newest `limit` rows of `queue.job_list` (the view people read in psql), unfinished first.
    public func list(limit: Int, includeFinished: Bool) async throws -> [JobSummary] {
        try await summaries(client.query("""
            SELECT \(unescaped: Self.summaryColumns) FROM queue.job_list
            WHERE \(includeFinished) OR status IN ('waiting', 'pending', 'running', 'retrying')
            ORDER BY (status IN ('completed', 'failed', 'cancelled')), id DESC
            LIMIT \(limit)
            """, logger: logger))
    }

    /// One job as `queue.job_list` shows it, or `nil` if there is no such job.
    public func summary(of id: Int64) async throws -> JobSummary? {
        try await summaries(client.query(
            "SELECT \(unescaped: Self.summaryColumns) FROM queue.job_list WHERE id = \(id)", logger: logger)).first
    }

    private static let summaryColumns = """
        id, kind, title, status::text, attempts, priority, progress_done, progress_total,
        progress_message, age::text, runtime::text, worker, last_error
        """

    private func summaries(_ rows: PostgresRowSequence) async throws -> [JobSummary] {
        var jobs: [JobSummary] = []
        for try await row in rows.decode(
            (Int64, String, String, String, String, Int, Int64?, Int64?, String?, String, String?, String?, String?).self)
        {
            jobs.append(JobSummary(
                id: row.0, kind: row.1, title: row.2, state: JobState(rawValue: row.3) ?? .pending,
                attempts: row.4, priority: row.5, progressDone: row.6, progressTotal: row.7,
                progressMessage: row.8, age: row.9, runtime: row.10, worker: row.11, lastError: row.12))
        }
        return jobs
    }

    /// Job counts per kind and state (`queue.kind_counts`).
    public func countsByState() async throws -> [(kind: String, counts: [JobState: Int])] {
        let rows = try await client.query(
            "SELECT kind, state::text, count(*)::int FROM queue.jobs GROUP BY kind, state ORDER BY kind", logger: logger)
        var result: [String: [JobState: Int]] = [:]
        for try await (kind, state, count) in rows.decode((String, String, Int).self) {
            result[kind, default: [:]][JobState(rawValue: state) ?? .pending] = count
        }
        return result.keys.sorted().map { ($0, result[$0]!) }
    }
}

/// The worker's hot path as a prepared statement: parsed and planned once per connection
/// instead of on every turn. Claimed rows come back with their kind; completed ones without.
struct CompleteAndClaim: PostgresPreparedStatement {
    typealias Row = (Int64, String?, String?, Int?, Int?, Int?, String?)

    static let sql = """
        WITH done AS (
            UPDATE queue.jobs j
            SET state = 'completed', finished_at = now(), lease_expires_at = NULL
            FROM unnest($1::bigint[], $2::int[]) AS d(id, attempt)
            WHERE j.id = d.id AND j.attempt = d.attempt AND j.state = 'running' AND j.lease_owner = $3
            RETURNING j.id
        ), picked AS (
            SELECT id FROM queue.jobs
            WHERE state IN ('pending', 'retrying') AND run_at <= now() AND kind = ANY ($4::text[])
            ORDER BY priority DESC, run_at, id
            LIMIT $5
            FOR UPDATE SKIP LOCKED
        ), claimed AS (
            UPDATE queue.jobs j
            SET state = 'running', attempt = j.attempt + 1, lease_owner = $3,
                lease_expires_at = now() + make_interval(secs => $6), started_at = now()
            FROM picked WHERE j.id = picked.id
            RETURNING j.id, j.kind, j.args::text AS args, j.attempt, j.max_attempts, j.snoozes, j.schedule
        )
        SELECT id, kind, args, attempt, max_attempts, snoozes, schedule FROM claimed
        UNION ALL
        SELECT id, NULL, NULL, NULL, NULL, NULL, NULL FROM done
        """

    var ids: [Int64]
    var attempts: [Int]
    var worker: String
    var kinds: [String]
    var limit: Int
    var leaseSeconds: Double

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 6)
        bindings.append(ids)
        bindings.append(attempts.map(Int32.init))
        bindings.append(worker)
        bindings.append(kinds)
        bindings.append(Int64(limit))
        bindings.append(leaseSeconds)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {
        try row.decode(Row.self)
    }
}
