import PostgresNIO

extension QueueStore {
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
