public import Foundation
import PostgresNIO

extension QueueStore {
    // MARK: Maintenance

    /// Returns the attempts whose lease expired to the queue, and forgets workers that stopped
    /// beating long ago
    /// (``LostLease/decide(attempt:maxAttempts:lostInARow:ranFor:lease:cancelRequested:policy:limit:using:)``).
    /// A lost lease early in its attempt is a spent attempt: the job is retried after its kind's
    /// backoff, or failed after ``LostLease/limit`` of them in a row or when out of attempts. An
    /// attempt that had run for ``LostLease/longRunningLeases`` leases is handed back at once
    /// without spending it, and ends the job's run of lost leases.
    /// - Parameters:
    ///   - policies: the retry policy of each kind this process knows; another kind's job is put
    ///     off by the default ``RetryPolicy``.
    ///   - lease: the cluster's lease (``WorkerConfiguration/lease``), the unit of how long an
    ///     attempt must have run to be handed back.
    ///   - limit: lost leases in a row that fail a job.
    /// - Returns: how many jobs were returned, failed or cancelled.
    public func reapExpiredLeases(
        policies: [String: RetryPolicy] = [:], lease: Duration = .seconds(30), limit: Int = LostLease.limit
    ) async throws -> Int {
        try await timed {
            let count = try await client.withTransaction(logger: logger) { connection in
                let expired = try await connection.query("""
                    SELECT id, kind, attempt, max_attempts, lost_leases, cancel_requested, lease_owner,
                           extract(epoch FROM lease_expires_at - coalesce(started_at, lease_expires_at))::float8
                    FROM queue.jobs WHERE state = 'running' AND lease_expires_at < now()
                    ORDER BY lease_expires_at LIMIT 1000 -- the rest on the next turn
                    FOR UPDATE SKIP LOCKED
                    """, logger: logger)
                var ids: [Int64] = [], states: [String] = [], delays: [Double] = [], messages: [String] = []
                var lostLeases: [Int] = [], givenBack: [Bool] = []
                var generator = SystemRandomNumberGenerator()
                for try await (id, kind, attempt, maxAttempts, lost, cancel, owner, ran)
                    in expired.decode((Int64, String, Int, Int, Int, Bool, String?, Double).self) {
                    let outcome = LostLease.decide(
                        attempt: attempt, maxAttempts: maxAttempts, lostInARow: lost + 1,
                        ranFor: .milliseconds(Int64((ran * 1000).rounded())), lease: lease, cancelRequested: cancel,
                        policy: policies[kind] ?? RetryPolicy(), limit: limit, using: &generator)
                    ids.append(id)
                    lostLeases.append(lost + 1)
                    givenBack.append(false)
                    switch outcome {
                    case .cancelled: states.append("cancelled"); delays.append(0)
                    case .retry(let delay): states.append("retrying"); delays.append(delay.seconds)
                    case .handedBack:
                        states.append("retrying"); delays.append(0)
                        lostLeases[lostLeases.count - 1] = 0
                        givenBack[givenBack.count - 1] = true
                    case .failedLostLeases, .failedOutOfAttempts: states.append("failed"); delays.append(0)
                    }
                    messages.append(LostLease.message(outcome, worker: owner, lostInARow: lost + 1, limit: limit))
                }
                guard !ids.isEmpty else { return 0 }
                // `retry_at` in the history shows the backoff each lost lease was given. An attempt
                // handed back is given back by raising max_attempts, not by lowering attempt as a
                // release does: a worker cut off from PostgreSQL may claim the job again while its
                // own earlier attempt still runs, and only a new attempt number fences that one out.
                let rows = try await connection.query("""
                    UPDATE queue.jobs j
                    SET state = r.state::queue.job_state,
                        finished_at = CASE WHEN r.state = 'retrying' THEN NULL ELSE now() END,
                        run_at = now() + make_interval(secs => r.delay),
                        last_error = r.message,
                        lost_leases = r.lost,
                        max_attempts = CASE WHEN r.given_back THEN least(j.max_attempts + 1, 1000) ELSE j.max_attempts END,
                        errors = j.errors || jsonb_build_object(
                            'attempt', j.attempt, 'at', now(), 'worker', j.lease_owner, 'error', 'lease expired',
                            'permanent', r.state = 'failed', 'lost_leases', r.lost, 'attempt_given_back', r.given_back,
                            'retry_at', CASE WHEN r.state = 'retrying' THEN now() + make_interval(secs => r.delay) END),
                        lease_owner = NULL, lease_expires_at = NULL
                    FROM unnest(\(ids)::bigint[], \(states)::text[], \(delays)::float8[], \(messages)::text[],
                                \(lostLeases)::int[], \(givenBack)::bool[])
                         AS r(id, state, delay, message, lost, given_back)
                    WHERE j.id = r.id
                    RETURNING j.id
                    """, logger: logger)
                var count = 0
                for try await _ in rows.decode(Int64.self) { count += 1 }
                return count
            }
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
}

extension QueueStore {
    /// Deletes at most `limit` finished jobs (completed, failed, cancelled) that finished before
    /// `cutoff`, oldest first: their arguments and errors may name a child, and a school authority
    /// keeps them a set number of days (Keep Finished Jobs). A job whose parent still runs stays,
    /// as in ``pruneHistory(keepPerKind:)``. - Returns: how many; 0 when none is left.
    public func deleteFinished(before cutoff: Date, limit: Int) async throws -> Int {
        try await timed {
            let rows = try await client.query("""
                WITH done AS (
                    DELETE FROM queue.jobs
                    WHERE id IN (SELECT j.id FROM queue.jobs j
                                 WHERE j.state IN ('completed', 'failed', 'cancelled') AND j.finished_at < \(cutoff)
                                   AND NOT EXISTS (SELECT 1 FROM queue.jobs p WHERE p.id = j.parent_id
                                                   AND p.state IN ('waiting', 'pending', 'running', 'retrying'))
                                 ORDER BY j.finished_at LIMIT \(max(1, limit))::int)
                    RETURNING 1)
                SELECT count(*)::int FROM done
                """, logger: logger)
            for try await count in rows.decode(Int.self) { return count }
            return 0
        }
    }
}
