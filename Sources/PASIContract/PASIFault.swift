/// A fault PASI Core answers with: a numeric code and a text.
///
/// PASI publishes the codes (1001–1004, 1006–1008, 2001, 3001, 3002, 3004, 4001, 4002,
/// 9001, 9014) but not all their meanings; ``Code`` holds this project's reading of each,
/// documented in `docs/pasi-protocol.md`. A request over 65,536 bytes is refused with
/// HTTP 413 and no code at all.
public struct PASIFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The fault codes, and what each means here.
    public enum Code: Int, Sendable, Hashable, CaseIterable {
        /// The client certificate is not registered for the environment.
        case certificateNotRegistered = 1001
        /// The certificate does not represent the organization named.
        case organizationNotRepresented = 1002
        /// The caller's role does not allow the operation.
        case operationNotAllowed = 1003
        /// The request carries no CallerInfo.
        case callerInfoMissing = 1004
        /// A CallerInfo field breaks PASI's string rule or length.
        case callerInfoInvalid = 1006
        /// The ClientMessageID was already used.
        case duplicateMessageID = 1007
        /// The CallerInfo OrganizationCode is not one the caller may act for.
        case wrongOrganizationCode = 1008
        /// The message is not well formed or does not follow the data contract.
        case malformedRequest = 2001
        /// The record named does not exist.
        case recordNotFound = 3001
        /// A business rule refuses the record.
        case businessRule = 3002
        /// The PASICoreVersion sent is not the record's current version.
        case versionConflict = 3004
        /// The operation is not one PASI Core offers.
        case unknownOperation = 4001
        /// A notification type is not one PASI Core knows.
        case unknownNotificationType = 4002
        /// PASI Core failed inside; try again later.
        case internalError = 9001
        /// The version sent is not visible yet; resubmit.
        case resubmit = 9014
        /// Rule 3005 Notification Type is Invalid: an IsDataAvailable type PASI does not know
        /// (case-sensitive) or a year outside 1905–2100; answered as fault 3001
        /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3005.html).
        case notificationTypeInvalid = 3005
        /// Rule 3006 Unexpected School Year Filter: a year on a type without one; answered as
        /// fault 3001 (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3006.html).
        case unexpectedSchoolYearFilter = 3006
        /// Rule 3007 Invalid Wait Time In Minutes; answered as fault 3001.
        case invalidWaitTime = 3007
        /// Rule 3008 Missing School Year Filter: a year-scoped type without its year; answered as
        /// fault 3001 (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3008.html).
        case missingSchoolYearFilter = 3008

        /// How a client should treat the code.
        public var category: Category {
            switch self {
            case .certificateNotRegistered, .organizationNotRepresented, .operationNotAllowed, .callerInfoMissing,
                 .callerInfoInvalid, .duplicateMessageID, .wrongOrganizationCode:
                .authorization
            case .malformedRequest, .recordNotFound, .businessRule, .versionConflict, .unknownOperation,
                 .unknownNotificationType:
                .rejection
            case .internalError, .resubmit:
                .transient
            case .notificationTypeInvalid, .unexpectedSchoolYearFilter, .invalidWaitTime, .missingSchoolYearFilter:
                .rejection
            }
        }
    }

    /// What a client does with a fault.
    public enum Category: String, Sendable, Hashable {
        /// The request was refused on its merits: do not retry; a person reviews it.
        case rejection
        /// Worth retrying later.
        case transient
        /// The caller is not allowed: do not retry; tell a person loudly.
        case authorization
    }

    /// The code; `nil` for a refusal without one (an oversized request).
    public let code: Int?
    /// PASI's text.
    public let message: String

    /// A fault with a known code.
    public init(_ code: Code, _ message: String) { (self.code, self.message) = (code.rawValue, message) }

    /// A fault as read from the wire.
    public init(code: Int?, message: String) { (self.code, self.message) = (code, message) }

    /// The known code, if the number is one.
    public var knownCode: Code? { code.flatMap(Code.init(rawValue:)) }

    /// The category; unknown codes are treated as rejections (not retried), except 9xxx,
    /// which are server-side and transient.
    public var category: Category {
        if let knownCode { return knownCode.category }
        if let code, code >= 9000 { return .transient }
        return .rejection
    }

    /// Whether the client is at fault (SOAP `s:Client`) rather than the server.
    public var isClientFault: Bool { category != .transient }

    /// `PASI fault 3004: …`.
    public var description: String { "PASI fault \(code.map(String.init) ?? "(no code)"): \(message)" }
}
