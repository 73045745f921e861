public import Foundation
public import PASIContract

/// Why a call to PASI Core failed, sorted into what a caller does about it
/// (``PASIContract/PASIFault/Handling``, from the Knowledge Base's codes; see
/// `docs/pasi-protocol.md`).
public struct PASICoreError: Error, Sendable, CustomStringConvertible {
    /// What a caller does about it.
    public enum Category: String, Sendable, Hashable {
        /// A business rule (9002 and up, …) or a stale version (3004) refused the record: do not
        /// retry; a person reviews it (a Rejection showing PASI's rule number and message).
        case rejection
        /// An outage: network, timeout, HTTP 5xx, 2001, 4001, 4002, 9001; and 9014 "resubmit".
        /// Retry later.
        case transient
        /// The certificate, the client's registration or the Caller Information is wrong
        /// (1001–1008, 5001, a refused TLS handshake, HTTP 401/403): no retry can fix it; stop and
        /// tell a person what to check.
        case configuration
        /// PASI could not read our request, or we could not read its answer (3001, 3002,
        /// 3005–3008, HTTP 413, an unknown code): a defect of this software. Not retried; a
        /// person finds the request in the message log by its ClientMessageID.
        case defect
    }

    /// What a caller does about it.
    public let category: Category
    /// PASI's fault code, if it sent one (for a submit's rejections, the first rule's number).
    public let faultCode: Int?
    /// PASI's rejections of a submit, if that is what happened.
    public let rejections: [Rejection]
    /// What happened, for logs and people.
    public let message: String
    /// Whether the call ran out of time (the PASI Web Service Timeout).
    public let isTimeout: Bool
    /// The call's ClientMessageID: its row in the message log (`sync.message_log`).
    public internal(set) var clientMessageID: UUID?

    init(_ category: Category, faultCode: Int? = nil, rejections: [Rejection] = [], message: String, isTimeout: Bool = false) {
        self.category = category
        self.faultCode = faultCode
        self.rejections = rejections
        self.message = message
        self.isTimeout = isTimeout
    }

    /// The error for a fault PASI answered with.
    static func fault(_ fault: PASIFault) -> PASICoreError {
        PASICoreError(category(of: fault.handling), faultCode: fault.code, message: fault.description)
    }

    /// The category of a documented handling.
    static func category(of handling: PASIFault.Handling) -> Category {
        switch handling {
        case .outage, .resubmit: .transient
        case .configuration: .configuration
        case .defect: .defect
        case .businessRule: .rejection
        }
    }

    /// Whether retrying later may succeed.
    public var isRetryable: Bool { category == .transient }

    /// For a configuration fault: the cause and what a person checks.
    public var whatToCheck: String? {
        guard category == .configuration else { return nil }
        if let known = faultCode.flatMap(PASIFault.Code.init(rawValue:)), let check = known.whatToCheck { return check }
        return "PASI Core refused this client's certificate: check the certificate, key and trust settings and that the certificate is registered for this PASI environment"
    }

    /// `transient: PASI fault 9014 (PASI Core Out of Date): …`.
    public var description: String { "\(category.rawValue): \(message)" }
}
