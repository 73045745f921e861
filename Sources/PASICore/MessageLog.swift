public import Foundation

/// One call to PASI Core, as the Messages Log keeps it.
public struct PASICallRecord: Sendable, Hashable {
    /// How a call ended.
    public enum Outcome: String, Sendable, Hashable {
        case success = "Success"
        case rejected = "Rejected"
        case fault = "Fault"
        case timeout = "Timeout"
        case error = "Error"
    }

    /// The CallerInfo.ClientMessageID sent.
    public var clientMessageID: UUID
    /// The operation, e.g. `SubmitStudentSchoolEnrolment`.
    public var operation: String
    /// When it was sent.
    public var sentAt: Date
    /// How long until the answer (or the failure).
    public var duration: Duration
    /// How it ended.
    public var outcome: Outcome
    /// PASI's fault code, for ``Outcome/fault``.
    public var faultCode: Int?
    /// The fault or rejection text.
    public var detail: String?
    /// The SOAP request and answer, only when the log ``PASIMessageLog/keepsBodies`` (the
    /// Messages Log setting); `nil` otherwise or when there was no answer.
    public var requestBody: String? = nil
    public var responseBody: String? = nil
}

/// Where the client records every call (the `sync.message_log` table in production).
public protocol PASIMessageLog: Sendable {
    /// Records one call. Called after every call, whatever its outcome; an error here
    /// is logged by the client and does not fail the call.
    func record(_ call: PASICallRecord) async throws
    /// Whether the next call's request and answer are to be kept; read before every call.
    var keepsBodies: Bool { get }
}

extension PASIMessageLog {
    public var keepsBodies: Bool { false }
}

/// A log that keeps nothing (benchmarks of the transport alone).
public struct DiscardingMessageLog: PASIMessageLog {
    public init() {}
    public func record(_ call: PASICallRecord) async throws {}
}
