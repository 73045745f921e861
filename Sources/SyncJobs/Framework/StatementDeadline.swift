import JobQueue

/// How long a sync job's statement may go unanswered before it counts as lost.
let statementDeadline = Duration.seconds(30)

/// Runs a step against the database under ``statementDeadline``.
///
/// A statement written on a connection that PostgreSQL has just closed (a restart) is never
/// answered by PostgresNIO 1.33; a long-lived job awaiting it would wait forever while the
/// worker's heartbeat kept its lease alive. Past the deadline the step throws
/// ``JobQueue/StatementTimeout``, which a long-lived job waits out like an outage (``SyncStore/isDatabaseOutage(_:)``).
func withStatementDeadline<T: Sendable>(_ step: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withDeadline(statementDeadline, timeout: StatementTimeout(limit: statementDeadline), step)
}
