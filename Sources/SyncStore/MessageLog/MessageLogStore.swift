public import Foundation
public import Logging
public import PostgresNIO

/// One row of the Messages Log (`sync.message_log`): a call to PASI Core.
public struct MessageLogEntry: Sendable, Hashable {
    /// The CallerInfo.ClientMessageID.
    public var clientMessageID: UUID
    /// The operation, e.g. `IsDataAvailable`.
    public var operation: String
    /// When the call was sent.
    public var sentAt: Date
    /// Milliseconds until the answer or the failure.
    public var durationMilliseconds: Int
    /// `Success`, `Rejected`, `Fault`, `Timeout` or `Error`.
    public var outcome: String
    /// PASI's fault code, for `Fault`.
    public var faultCode: Int?
    /// The fault or rejection text.
    public var detail: String?
    /// The queue job that made the call, if any.
    public var jobID: Int64?
    /// The SOAP request and answer, kept while the Messages Log setting is on.
    public var requestBody: String?
    public var responseBody: String?

    /// Creates an entry.
    public init(
        clientMessageID: UUID, operation: String, sentAt: Date, durationMilliseconds: Int, outcome: String,
        faultCode: Int? = nil, detail: String? = nil, jobID: Int64? = nil, requestBody: String? = nil, responseBody: String? = nil
    ) {
        self.requestBody = requestBody
        self.responseBody = responseBody
        self.clientMessageID = clientMessageID
        self.operation = operation
        self.sentAt = sentAt
        self.durationMilliseconds = durationMilliseconds
        self.outcome = outcome
        self.faultCode = faultCode
        self.detail = detail
        self.jobID = jobID
    }
}

/// Reads and writes the Messages Log.
public struct MessageLogStore: Sendable {
    private let client: PostgresClient
    private let logger: Logger

    /// Creates a store over `client`.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Appends one call. A fault code is kept only for the `Fault` outcome (the table's rule).
    /// - Throws: `PSQLError` if the row breaks a rule of the table (an unknown outcome, a
    ///   ClientMessageID used before).
    ///
    /// The append commits asynchronously (`synchronous_commit` off for its own transaction only):
    /// it is awaited inside every PASI call, and waiting for its WAL flush took more of a Regular
    /// Sync round than the submits did. A PostgreSQL crash may lose the last fraction of a second of
    /// log lines, never anything else: the data the calls changed commit as before.
    public func append(_ entry: MessageLogEntry) async throws {
        try await append([entry])
    }

    /// Appends several calls in one statement (``MessageLogWriter`` gathers the calls made while
    /// the previous append was running). A row that breaks a rule fails the whole statement.
    ///
    /// Bound as arrays, one per column; arrays of optionals do not bind, so "none" travels as a
    /// value no row can hold (-1, an empty text) and becomes NULL again in the statement.
    public func append(_ entries: [MessageLogEntry]) async throws {
        guard !entries.isEmpty else { return }
        let ids = entries.map(\.clientMessageID)
        let operations = entries.map(\.operation)
        let sentAt = entries.map(\.sentAt.timeIntervalSince1970)
        let durations = entries.map(\.durationMilliseconds)
        let outcomes = entries.map(\.outcome)
        let faultCodes = entries.map { $0.outcome == "Fault" ? $0.faultCode ?? -1 : -1 }
        let details = entries.map { $0.detail ?? "" }
        let jobIDs = entries.map { $0.jobID ?? -1 }
        let requests = entries.map { $0.requestBody ?? "" }
        let responses = entries.map { $0.responseBody ?? "" }
        try await client.query("""
            INSERT INTO sync.message_log (client_message_id, operation, sent_at, duration_ms, outcome, fault_code, detail, job_id,
                                          request_body, response_body)
            SELECT id, operation, to_timestamp(sent_at), duration, outcome, nullif(fault_code, -1), nullif(detail, ''),
                   nullif(job_id, -1), nullif(request, ''), nullif(response, '')
            FROM unnest(\(ids)::uuid[], \(operations)::text[], \(sentAt)::float8[], \(durations)::int[], \(outcomes)::text[],
                        \(faultCodes)::int[], \(details)::text[], \(jobIDs)::bigint[], \(requests)::text[], \(responses)::text[])
                 AS e (id, operation, sent_at, duration, outcome, fault_code, detail, job_id, request, response),
                 (SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit
            """, logger: logger)
    }

    /// The newest `limit` entries, newest first.
    public func recent(limit: Int = 100) async throws -> [MessageLogEntry] {
        let rows = try await client.query("""
            SELECT client_message_id, operation, sent_at, duration_ms, outcome, fault_code, detail, job_id
            FROM sync.message_log ORDER BY id DESC LIMIT \(limit)
            """, logger: logger)
        var entries: [MessageLogEntry] = []
        for try await (id, operation, sentAt, duration, outcome, faultCode, detail, jobID)
            in rows.decode((UUID, String, Date, Int?, String, Int?, String?, Int64?).self) {
            entries.append(MessageLogEntry(
                clientMessageID: id, operation: operation, sentAt: sentAt, durationMilliseconds: duration ?? 0,
                outcome: outcome, faultCode: faultCode, detail: detail, jobID: jobID))
        }
        return entries
    }
}
