import Foundation
public import Logging
public import PostgresNIO

/// Every SQL statement of the job queue: enqueueing here, the rest by concern beside it
/// (`QueueStore+Claiming.swift`, the worker's hot path; `+Attempts`, an attempt's failure, snooze,
/// release and progress; `+Workers`; `+Admin`, what a person asks; `+Maintenance`; `+Schedules`;
/// `+Reads`).
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
    func timed<T: Sendable>(_ statement: @escaping @Sendable () async throws -> T) async throws -> T {
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
}
