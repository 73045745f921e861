import Foundation
public import PostgresNIO

extension QueueStore {
    // MARK: Failure, cancellation, release

    /// Records a failed attempt: retried after `retryDelay`, or failed for good when permanent or
    /// out of attempts. The error joins the job's error history. An attempt that fails has ended
    /// in its worker, so the job's run of lost leases (``LostLease``) starts again.
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
                    lease_expires_at = NULL, lost_leases = 0,
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

    // MARK: Fencing

    /// Whether `job`'s attempt still holds an unexpired lease, checked and locked (`FOR UPDATE`)
    /// on `connection`, inside the caller's transaction (``JobContext/checkLease(on:)``). The
    /// lock lasts until that transaction ends: the reaper (`SKIP LOCKED`) cannot take the job
    /// meanwhile; the worker's heartbeat waits for it, a commit's time.
    /// - Throws: ``ConnectionClosedBeforeFence`` when the server closed `connection` already (a
    ///   statement sent on it would never be answered: PostgresNIO 1.33 writes it with no promise).
    public func holdsLease(_ job: ClaimedJob, worker: String, on connection: PostgresConnection) async throws -> Bool {
        guard !connection.isClosed else { throw ConnectionClosedBeforeFence() }
        let rows = try await connection.query("""
            SELECT id FROM queue.jobs
            WHERE id = \(job.id) AND attempt = \(job.attempt) AND state = 'running' AND lease_owner = \(worker)
              AND lease_expires_at > clock_timestamp()
            FOR UPDATE
            """, logger: logger)
        for try await _ in rows.decode(Int64.self) { return true }
        return false
    }

    // MARK: Diagnostics

    /// Records one finished run of a `noop` job (see ``NoopJob``).
    func recordNoopRun(_ job: ClaimedJob, worker: String, startedAt: Date, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO queue.noop_runs (job_id, attempt, worker, started_at)
            VALUES (\(job.id), \(job.attempt), \(worker), \(startedAt))
            """, logger: logger)
    }
}

/// The server closed the connection of a handler's transaction before its fence (its idle
/// transaction ended by `idle_in_transaction_session_timeout`, a terminated backend, a restart):
/// nothing of the transaction was committed; the attempt fails as a transient failure.
public struct ConnectionClosedBeforeFence: Error, CustomStringConvertible {
    public init() {}
    public var description: String {
        "the database closed the transaction's connection before its commit: nothing of it was committed"
    }
}
