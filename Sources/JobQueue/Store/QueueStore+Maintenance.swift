import PostgresNIO

extension QueueStore {
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
}
