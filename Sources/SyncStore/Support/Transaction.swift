internal import Logging
internal import PostgresNIO

extension PostgresClient {
    /// Runs `body` in a transaction, throwing the failing statement's own error rather than
    /// PostgresNIO's wrapper, so callers see PostgreSQL's message (e.g. the constraint broken).
    func inTransaction<T: Sendable>(
        logger: Logger, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error.beginError ?? error.commitError ?? error
        }
    }
}
