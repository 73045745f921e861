public import Foundation
public import Logging
public import PostgresNIO

/// What the Retention process deletes (docs/maintenance.md): the personal data the software keeps
/// for itself, once it is older than its Keep … setting. Each call deletes one batch in its own
/// short statement, oldest first, so a large backlog never holds long locks and a cancelled run
/// keeps what it did.
public struct RetentionStore: Sendable {
    /// One kind of kept data, with the statement that deletes a batch of it.
    public enum Kept: String, Sendable, CaseIterable {
        /// The request and response bodies in the messages log (the rows stay).
        case messageBodies = "message bodies"
        /// The messages log's rows.
        case messages = "messages"
        /// Files jobs wrote (extracts, reports).
        case jobFiles = "job files"
        /// Archived data events.
        case archivedEvents = "archived events"
    }

    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Deletes at most `limit` rows of `kept` from before `cutoff`. - Returns: how many; 0 when none is left.
    public func deleteBatch(_ kept: Kept, before cutoff: Date, limit: Int) async throws -> Int {
        let limit = max(1, limit)
        let query: PostgresQuery = switch kept {
        case .messageBodies: """
            WITH done AS (
                UPDATE sync.message_log SET request_body = NULL, response_body = NULL
                WHERE id IN (SELECT id FROM sync.message_log
                             WHERE sent_at < \(cutoff) AND (request_body IS NOT NULL OR response_body IS NOT NULL)
                             ORDER BY sent_at LIMIT \(limit)::int)
                RETURNING 1)
            SELECT count(*)::int FROM done
            """
        case .messages: """
            WITH done AS (
                DELETE FROM sync.message_log
                WHERE id IN (SELECT id FROM sync.message_log WHERE sent_at < \(cutoff) ORDER BY sent_at LIMIT \(limit)::int)
                RETURNING 1)
            SELECT count(*)::int FROM done
            """
        case .jobFiles: """
            WITH done AS (
                DELETE FROM sync.job_files
                WHERE (job_id, name) IN (SELECT job_id, name FROM sync.job_files WHERE created_at < \(cutoff)
                                         ORDER BY created_at LIMIT \(limit)::int)
                RETURNING 1)
            SELECT count(*)::int FROM done
            """
        case .archivedEvents: """
            WITH done AS (
                DELETE FROM sync.data_events_archive
                WHERE id IN (SELECT id FROM sync.data_events_archive WHERE archived_at < \(cutoff)
                             ORDER BY archived_at LIMIT \(limit)::int)
                RETURNING 1)
            SELECT count(*)::int FROM done
            """
        }
        let rows = try await client.query(query, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
