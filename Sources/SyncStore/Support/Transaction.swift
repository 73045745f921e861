public import Logging
public import PostgresNIO

extension PostgresClient {
    /// Runs `body` in a transaction on one connection of the pool, throwing the failing
    /// statement's own error, so callers see PostgreSQL's message (e.g. the constraint broken).
    ///
    /// Written here instead of PostgresNIO's `withTransaction` because of how that one ends a
    /// failed transaction: it always sends ROLLBACK, and a statement sent on a connection the
    /// server has just closed (PostgreSQL restarting: 57P01) is written with no promise and never
    /// answered (PostgresNIO 1.33), so the caller waited forever. A connection that is gone needs
    /// no ROLLBACK: the server rolled the transaction back when it dropped it.
    public func inTransaction<T: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            guard !connection.isClosed else { throw ConnectionClosedInTransaction() }
            try await connection.query("BEGIN", logger: logger)
            let value: T
            do {
                value = try await body(connection)
            } catch {
                if !connection.isClosed && !isDatabaseOutage(error) {
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                }
                throw error
            }
            // The same hang awaits a COMMIT on a connection the server closed while the body
            // worked (idle_in_transaction_session_timeout, pg_terminate_backend): nothing of it
            // was committed, and the caller hears so instead of waiting forever.
            guard !connection.isClosed else { throw ConnectionClosedInTransaction() }
            try await connection.query("COMMIT", logger: logger)
            return value
        }
    }
}

/// The server closed the connection of a transaction before its COMMIT: nothing of it was
/// committed (a database outage, ``isDatabaseOutage(_:)``).
public struct ConnectionClosedInTransaction: Error, CustomStringConvertible {
    public init() {}
    public var description: String {
        "the database closed the connection before the transaction's commit: nothing of it was committed"
    }
}

/// Whether `error` says the database went away (a restart, a dropped connection, a server
/// shutting down or starting up) rather than that a statement was wrong: what a long-lived job
/// waits out and tries again instead of spending an attempt.
public func isDatabaseOutage(_ error: any Error) -> Bool {
    if error is ConnectionClosedInTransaction { return true }
    guard let error = error as? PSQLError else { return false }
    switch error.code {
    case .serverClosedConnection, .clientClosedConnection, .connectionError, .poolClosed:
        return true
    default:
        // Class 57 (operator intervention: admin shutdown, crash shutdown, cannot connect now)
        // and class 08 (connection exceptions).
        guard let state = error.serverInfo?[.sqlState] else { return false }
        return state.hasPrefix("57P") || state.hasPrefix("08")
    }
}

/// A database error's text for a log line: PostgreSQL's own message where there is one (never
/// the statement or its values, which may hold personal data).
public func databaseErrorText(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(error)" }
    return error.serverInfo?[.message] ?? "\(error.code)"
}
