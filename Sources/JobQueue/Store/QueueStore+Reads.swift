import PostgresNIO

extension QueueStore {
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

    static let summaryColumns = """
        id, kind, title, status::text, attempts, priority, progress_done, progress_total,
        progress_message, age::text, runtime::text, worker, last_error
        """

    func summaries(_ rows: PostgresRowSequence) async throws -> [JobSummary] {
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
