public import PASIContract

/// Why a call to PASI Core failed, sorted into what a caller does about it.
public struct PASICoreError: Error, Sendable, CustomStringConvertible {
    /// What a caller does about it.
    public enum Category: String, Sendable, Hashable {
        /// Refused on its merits (a business rule, a stale version, a bad message): do not
        /// retry; a person reviews it.
        case rejection
        /// Network, timeout, 5xx, outage, "resubmit" (9014): retry later.
        case transient
        /// The caller may not do this (1008 and friends, a refused certificate): do not
        /// retry; tell a person loudly.
        case authorization
    }

    /// What a caller does about it.
    public let category: Category
    /// PASI's fault code, if it sent one.
    public let faultCode: Int?
    /// PASI's rejections of a submit, if that is what happened.
    public let rejections: [Rejection]
    /// What happened, for logs and people.
    public let message: String
    /// Whether the call ran out of time (the PASI Web Service Timeout).
    public let isTimeout: Bool

    init(_ category: Category, faultCode: Int? = nil, rejections: [Rejection] = [], message: String, isTimeout: Bool = false) {
        self.category = category
        self.faultCode = faultCode
        self.rejections = rejections
        self.message = message
        self.isTimeout = isTimeout
    }

    /// The error for a fault PASI answered with.
    static func fault(_ fault: PASIFault) -> PASICoreError {
        let category: Category = switch fault.category {
        case .rejection: .rejection
        case .transient: .transient
        case .authorization: .authorization
        }
        return PASICoreError(category, faultCode: fault.code, message: fault.description)
    }

    /// Whether retrying later may succeed.
    public var isRetryable: Bool { category == .transient }

    /// `transient: PASI fault 9014: …`.
    public var description: String { "\(category.rawValue): \(message)" }
}
