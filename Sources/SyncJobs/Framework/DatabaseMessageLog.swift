public import PASICore
public import SyncStore

/// The client's message log, kept in `sync.message_log`.
public struct DatabaseMessageLog: PASIMessageLog {
    private let store: MessageLogStore
    private let jobID: Int64?
    private let bodies: @Sendable () -> Bool

    /// A log writing through `store`; `jobID` names the queue job making the calls (without it,
    /// the job the calling task runs, ``SyncJobContext/currentJobID``).
    /// - Parameter keepsBodies: Whether the calls' SOAP bodies are kept too (the Messages Log
    ///   setting, e.g. ``SyncEnvironment/logs``); never by default.
    public init(store: MessageLogStore, jobID: Int64? = nil, keepsBodies: @escaping @Sendable () -> Bool = { false }) {
        self.store = store
        self.jobID = jobID
        self.bodies = keepsBodies
    }

    public var keepsBodies: Bool { bodies() }

    /// Appends the call to `sync.message_log`.
    public func record(_ call: PASICallRecord) async throws {
        let milliseconds = call.duration.components.seconds * 1000 + call.duration.components.attoseconds / 1_000_000_000_000_000
        try await store.append(MessageLogEntry(
            clientMessageID: call.clientMessageID, operation: call.operation, sentAt: call.sentAt,
            durationMilliseconds: Int(milliseconds), outcome: call.outcome.rawValue, faultCode: call.faultCode,
            detail: call.detail, jobID: jobID ?? SyncJobContext.currentJobID,
            requestBody: call.requestBody, responseBody: call.responseBody))
    }
}
