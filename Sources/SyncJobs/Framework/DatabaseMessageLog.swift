import JobQueue
public import PASICore
public import SyncStore

/// The client's message log, kept in `sync.message_log`.
public struct DatabaseMessageLog: PASIMessageLog {
    private let writer: MessageLogWriter
    private let jobID: Int64?
    private let bodies: @Sendable () -> Bool

    /// A log writing through `store`; `jobID` names the queue job making the calls (without it,
    /// the job the calling task runs, ``SyncJobContext/currentJobID``).
    /// - Parameter keepsBodies: Whether the calls' SOAP bodies are kept too (the Messages Log
    ///   setting, e.g. ``SyncEnvironment/logs``); never by default.
    public init(store: MessageLogStore, jobID: Int64? = nil, keepsBodies: @escaping @Sendable () -> Bool = { false }) {
        self.writer = MessageLogWriter(store: store, deadline: Self.deadline)
        self.jobID = jobID
        self.bodies = keepsBodies
    }

    public var keepsBodies: Bool { bodies() }

    /// How long an append may take before the call goes on without its log line.
    static let deadline = Duration.seconds(10)

    /// Appends the call to `sync.message_log`, with the lines of the calls that end at the same
    /// time (``MessageLogWriter``).
    ///
    /// Under a deadline: the append is awaited inside every PASI call, and a statement written on
    /// a connection PostgreSQL has just closed is never answered (PostgresNIO 1.33), which held a
    /// Regular Sync round forever after a restart. A late append fails (the client logs it).
    public func record(_ call: PASICallRecord) async throws {
        let milliseconds = call.duration.components.seconds * 1000 + call.duration.components.attoseconds / 1_000_000_000_000_000
        try await writer.append(MessageLogEntry(
            clientMessageID: call.clientMessageID, operation: call.operation, sentAt: call.sentAt,
            durationMilliseconds: Int(milliseconds), outcome: call.outcome.rawValue, faultCode: call.faultCode,
            detail: call.detail, jobID: jobID ?? SyncJobContext.currentJobID,
            requestBody: call.requestBody, responseBody: call.responseBody))
    }
}
