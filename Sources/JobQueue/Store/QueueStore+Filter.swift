import PostgresNIO

/// A selection of jobs, as the console's Synchronization Queue filters them: by kind, state and
/// how recently they were made. The list, its counts and the bulk cancel and retry all take the
/// same filter, so a bulk action acts on exactly what the filter shows (and the jobs beyond the
/// page's limit).
public struct JobFilter: Sendable, Hashable {
    /// Only jobs of this kind; `nil` for every kind.
    public var kind: String?
    /// Only jobs in this state; `nil` for every state.
    public var state: JobState?
    /// Only jobs made at most this long ago (by `queue.job_list`'s age, to the second); `nil` for any age.
    public var createdWithin: Duration?
    /// For a console user limited to some schools: the jobs that name no school (`args.school`),
    /// and those that name one of these; `nil` for every job.
    public var schools: [String]?

    /// Creates a filter; with no arguments, every job.
    public init(kind: String? = nil, state: JobState? = nil, createdWithin: Duration? = nil, schools: [String]? = nil) {
        self.kind = kind
        self.state = state
        self.createdWithin = createdWithin
        self.schools = schools
    }

    /// `head`, the condition over `queue.jobs AS j`, then `tail`: one statement whose values are
    /// bound (`head` and `tail` are the caller's fixed SQL). The age is computed as `queue.job_list`
    /// computes it, so the list and a bulk action agree on a job at the edge of the window.
    func query(_ head: String, _ tail: String) -> PostgresQuery {
        let state = state?.rawValue, seconds = createdWithin.map { Double($0.components.seconds) }
        return """
            \(unescaped: head)
            (\(kind)::text IS NULL OR j.kind = \(kind)) AND (\(state)::text IS NULL OR j.state::text = \(state))
            AND (\(seconds)::float8 IS NULL OR date_trunc('second', now() - j.created_at) <= make_interval(secs => \(seconds)))
            AND (\(schools)::text[] IS NULL OR j.args ->> 'school' IS NULL OR j.args ->> 'school' = ANY (\(schools)::text[]))
            \(unescaped: tail)
            """
    }
}

/// One attempt of a job that ended in an error, from the job's error history (`queue.jobs.errors`).
public struct JobAttemptError: Sendable, Hashable {
    /// The attempt's number (1 for the first).
    public let attempt: Int
    /// When it ended, `YYYY-MM-DD HH24:MI:SS` in the session's time zone.
    public let at: String
    /// The worker that ran it, when known.
    public let worker: String?
    /// The error as the worker recorded it (never personal data: see docs/roles.md).
    public let error: String
    /// Whether the handler called the error permanent (it failed the job at once). A transient
    /// error may still have been the last one, when the attempts ran out.
    public let permanent: Bool
}

/// What a bulk cancel did.
public struct BulkCancel: Sendable, Hashable {
    /// Jobs that were waiting, pending or retrying, now cancelled.
    public let cancelled: Int
    /// Running jobs whose workers were asked to stop them.
    public let asked: Int
}

extension QueueStore {
    // MARK: Filtered lists, error history, bulk cancel and retry (the console's queue page)

    /// The newest `limit` rows of `queue.job_list` that `filter` selects, unfinished first.
    public func list(limit: Int, filter: JobFilter) async throws -> [JobSummary] {
        let query = filter.query(
            "SELECT \(Self.summaryColumns) FROM queue.job_list WHERE id IN (SELECT j.id FROM queue.jobs AS j WHERE",
            ") ORDER BY (status IN ('completed', 'failed', 'cancelled')), id DESC LIMIT \(limit)")
        return try await summaries(client.query(query, logger: logger))
    }

    /// How many jobs `filter` selects that a bulk cancel would cancel (unfinished) and a bulk
    /// retry would queue again (failed or cancelled), each counted up to `cap` (a count over a
    /// long finished history is bounded, and shown as "at least").
    public func actionable(_ filter: JobFilter, cap: Int) async throws -> (cancellable: Int, retryable: Int) {
        func count(_ states: String) async throws -> Int {
            let query = filter.query("SELECT count(*)::int FROM (SELECT 1 FROM queue.jobs AS j WHERE j.state IN (\(states)) AND",
                                     "LIMIT \(cap)) AS capped")
            for try await count in try await client.query(query, logger: logger).decode(Int.self) { return count }
            return 0
        }
        return (try await count("'waiting', 'pending', 'running', 'retrying'"), try await count("'failed', 'cancelled'"))
    }

    /// The error history of job `id`, oldest attempt first; empty for a job without errors, `nil`
    /// for no such job. A retried job keeps the errors of its earlier rounds.
    public func attemptErrors(of id: Int64) async throws -> [JobAttemptError]? {
        let rows = try await client.query("""
            SELECT e.attempt, to_char(e.at, 'YYYY-MM-DD HH24:MI:SS'), e.worker, coalesce(e.error, ''), coalesce(e.permanent, false)
            FROM queue.jobs AS j
            LEFT JOIN LATERAL jsonb_to_recordset(j.errors) AS e (attempt int, at timestamptz, worker text, error text, permanent boolean)
                ON true
            WHERE j.id = \(id)
            ORDER BY e.at NULLS FIRST, e.attempt
            """, logger: logger)
        var found = false
        var errors: [JobAttemptError] = []
        for try await (attempt, at, worker, error, permanent) in rows.decode((Int?, String?, String?, String, Bool).self) {
            found = true
            // The LEFT JOIN's one row of NULLs: the job, without errors.
            guard let attempt, let at else { continue }
            errors.append(JobAttemptError(attempt: attempt, at: at, worker: worker, error: error, permanent: permanent))
        }
        return found ? errors : nil
    }

    /// Cancels every unfinished job `filter` selects, as ``cancel(id:)`` cancels one: running ones
    /// are flagged (their workers are told by the NOTIFY of `queue.notify_cancel`), the rest
    /// cancelled at once. Their children are cancelled and the jobs waiting on them failed by the
    /// triggers, as for one job. Locked in id order, so two bulk cancels cannot deadlock.
    public func cancel(matching filter: JobFilter) async throws -> BulkCancel {
        let query = filter.query("""
            WITH chosen AS (
                SELECT j.id FROM queue.jobs AS j WHERE j.state IN ('waiting', 'pending', 'running', 'retrying') AND
            """, """
                ORDER BY j.id FOR UPDATE)
            UPDATE queue.jobs AS u
            SET state = CASE WHEN u.state = 'running' THEN u.state ELSE 'cancelled' END,
                finished_at = CASE WHEN u.state = 'running' THEN u.finished_at ELSE now() END,
                cancel_requested = (u.state = 'running')
            FROM chosen WHERE u.id = chosen.id AND u.state IN ('waiting', 'pending', 'running', 'retrying')
            RETURNING (u.state = 'running')
            """)
        var cancelled = 0, asked = 0
        for try await running in try await client.query(query, logger: logger).decode(Bool.self) {
            if running { asked += 1 } else { cancelled += 1 }
        }
        return BulkCancel(cancelled: cancelled, asked: asked)
    }

    /// Queues again every failed or cancelled job `filter` selects, as ``retry(id:)`` does one:
    /// a fresh set of attempts, the error history kept.
    /// - Returns: how many were queued again.
    public func retry(matching filter: JobFilter) async throws -> Int {
        let query = filter.query("""
            WITH chosen AS (
                SELECT j.id FROM queue.jobs AS j WHERE j.state IN ('failed', 'cancelled') AND
            """, """
                ORDER BY j.id FOR UPDATE)
            UPDATE queue.jobs AS u
            SET state = 'pending', attempt = 0, lost_leases = 0, run_at = now(), finished_at = NULL,
                cancel_requested = false, lease_owner = NULL, lease_expires_at = NULL
            FROM chosen WHERE u.id = chosen.id AND u.state IN ('failed', 'cancelled')
            RETURNING u.id
            """)
        var count = 0
        for try await _ in try await client.query(query, logger: logger).decode(Int64.self) { count += 1 }
        if count > 0 { try await client.query("SELECT pg_notify('pasisync_queue', '')", logger: logger) }
        return count
    }
}
