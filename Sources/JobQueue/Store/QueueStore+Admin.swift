import PostgresNIO

extension QueueStore {
    // MARK: Cancel and retry, as a person asks

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

    /// Puts a failed or cancelled job back in the queue with a fresh set of attempts and lost
    /// leases; its error history is kept.
    /// - Returns: the job's state afterwards, or `nil` if there is no such job.
    public func retry(id: Int64) async throws -> JobState? {
        let rows = try await client.query("""
            UPDATE queue.jobs
            SET state = 'pending', attempt = 0, lost_leases = 0, run_at = now(), finished_at = NULL,
                cancel_requested = false, lease_owner = NULL, lease_expires_at = NULL
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
}
