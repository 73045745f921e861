/// A fault PASI Core answers with: a numeric code and a text.
///
/// The codes and their names are PASI's own, from the Knowledge Base's "Validation Rules
/// between 0 and 9999"
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html),
/// each with its `rule_NNNN.html` page; ``Code/handling`` says what a client does with each,
/// and `docs/pasi-protocol.md` gives the table. A request over 65,536 bytes is refused with
/// HTTP 413 and no code at all ("Error Reporting").
public struct PASIFault: Error, Sendable, Hashable, CustomStringConvertible {
    /// The documented codes below 9002: faults of the call itself rather than business rules
    /// (9014, a Rejection rule PASI may also answer as a fault, is here for its handling).
    public enum Code: Int, Sendable, Hashable, CaseIterable {
        /// Rule 1001 Certificate Not Registered.
        case certificateNotRegistered = 1001
        /// Rule 1002 Certificate Disabled.
        case certificateDisabled = 1002
        /// Rule 1003 PASI Client Disabled.
        case clientDisabled = 1003
        /// Rule 1004 Invalid Certification Information.
        case invalidCertificationInformation = 1004
        /// Rule 1006 Invalid IP Address.
        case invalidIPAddress = 1006
        /// Rule 1007 No Access to Service Requested.
        case noAccessToService = 1007
        /// Rule 1008 Invalid Organization Code: the client may not represent the CallerInfo's
        /// OrganizationCode (rule_1008.html).
        case invalidOrganizationCode = 1008
        /// Rule 2001 PASI Core Not Available.
        case coreNotAvailable = 2001
        /// Rule 3001 Request Doesn't Match Schema: a required field not populated or a value out
        /// of the expected range, with details (rule_3001.html).
        case requestDoesNotMatchSchema = 3001
        /// Rule 3002 Request Not Structured Correctly: the data contract cannot be deserialized,
        /// e.g. the client's WSDL is not in sync with the service (rule_3002.html).
        case requestNotStructuredCorrectly = 3002
        /// Rule 3004 PASI Core Version Mismatch: an update not based on PASI's current version.
        case versionMismatch = 3004
        /// Rule 3005 Notification Type is Invalid (the change feed).
        case notificationTypeInvalid = 3005
        /// Rule 3006 Unexpected School Year Filter (the change feed).
        case unexpectedSchoolYearFilter = 3006
        /// Rule 3007 Invalid Wait Time In Minutes (the change feed).
        case invalidWaitTime = 3007
        /// Rule 3008 Missing School Year Filter (the change feed).
        case missingSchoolYearFilter = 3008
        /// Rule 4001 Unable To Save.
        case unableToSave = 4001
        /// Rule 4002 Connection Timeout in PASI.
        case connectionTimeout = 4002
        /// Rule 5001 Missing Organization Code.
        case missingOrganizationCode = 5001
        /// Rule 9001 Unexpected Problem in PASI.
        case unexpectedProblem = 9001
        /// Rule 9014 PASI Core Out of Date: "Data Unavailable ... Resubmit your request"
        /// (rule_9014.html).
        case coreOutOfDate = 9014

        /// The rule's name as the Knowledge Base lists it.
        public var name: String {
            switch self {
            case .certificateNotRegistered: "Certificate Not Registered"
            case .certificateDisabled: "Certificate Disabled"
            case .clientDisabled: "PASI Client Disabled"
            case .invalidCertificationInformation: "Invalid Certification Information"
            case .invalidIPAddress: "Invalid IP Address"
            case .noAccessToService: "No Access to Service Requested"
            case .invalidOrganizationCode: "Invalid Organization Code"
            case .coreNotAvailable: "PASI Core Not Available"
            case .requestDoesNotMatchSchema: "Request Doesn't Match Schema"
            case .requestNotStructuredCorrectly: "Request Not Structured Correctly"
            case .versionMismatch: "PASI Core Version Mismatch"
            case .notificationTypeInvalid: "Notification Type is Invalid"
            case .unexpectedSchoolYearFilter: "Unexpected School Year Filter"
            case .invalidWaitTime: "Invalid Wait Time In Minutes"
            case .missingSchoolYearFilter: "Missing School Year Filter"
            case .unableToSave: "Unable To Save"
            case .connectionTimeout: "Connection Timeout in PASI"
            case .missingOrganizationCode: "Missing Organization Code"
            case .unexpectedProblem: "Unexpected Problem in PASI"
            case .coreOutOfDate: "PASI Core Out of Date"
            }
        }

        /// The rule's page in the Knowledge Base.
        public var page: String { PASIFault.page(of: rawValue) }

        /// What a client does with it.
        public var handling: Handling {
            switch self {
            case .certificateNotRegistered, .certificateDisabled, .clientDisabled, .invalidCertificationInformation,
                 .invalidIPAddress, .noAccessToService, .invalidOrganizationCode, .missingOrganizationCode:
                .configuration
            // 4001: PASI could not save a request it had accepted; nothing in the request is
            // named, so it is PASI's side, like 4002 (see docs/pasi-protocol.md).
            case .coreNotAvailable, .unableToSave, .connectionTimeout, .unexpectedProblem:
                .outage
            case .requestDoesNotMatchSchema, .requestNotStructuredCorrectly, .notificationTypeInvalid,
                 .unexpectedSchoolYearFilter, .invalidWaitTime, .missingSchoolYearFilter:
                .defect
            case .coreOutOfDate: .resubmit
            case .versionMismatch: .businessRule
            }
        }

        /// For a configuration fault: what a person checks, in the words of the settings.
        public var whatToCheck: String? {
            switch self {
            case .certificateNotRegistered:
                "the client certificate is not registered for this PASI environment: check the certificate setting and its registration with Alberta Education"
            case .certificateDisabled:
                "the client certificate is disabled in PASI: request and install a new PASI certificate"
            case .clientDisabled:
                "this PASI client is disabled: contact PASI Business Support"
            case .invalidCertificationInformation:
                "PASI cannot read the certificate's information: check the certificate setting"
            case .invalidIPAddress:
                "PASI does not accept calls from this host's IP address: check the registration of the certificate and the IP Address setting"
            case .noAccessToService:
                "the certificate's roles do not include this service: ask PASI Business Support for the role"
            case .invalidOrganizationCode:
                "the certificate may not represent the Organization Code: check the Organization Code setting (Caller Information)"
            case .missingOrganizationCode:
                "no Organization Code was sent: set the Organization Code (Caller Information)"
            default: nil
            }
        }
    }

    /// What a client does with a code.
    public enum Handling: String, Sendable, Hashable, CaseIterable {
        /// PASI is down or failed inside: retried with backoff, up to the job's Maximum Attempts.
        case outage
        /// The certificate, the client's registration or the Caller Information is wrong: no
        /// retry can fix it; the job stops at once with a Failure naming what to check.
        case configuration
        /// PASI could not read our request: a defect of this software. A Failure; the request is
        /// kept in the message log under its ClientMessageID.
        case defect
        /// 9014: PASI asks to resubmit; the job comes back later without spending an attempt.
        case resubmit
        /// A business rule (9002 and up, 10000 and up, …) or 3004 refused the record: a
        /// Rejection for a person, carrying the rule's number and PASI's message.
        case businessRule
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

    /// What a client does with this fault: see ``handling(of:)``.
    public var handling: Handling { Self.handling(of: code) }

    /// What a client does with a code: a documented code as ``Code/handling`` says; any other
    /// number from 9002 up is a business rule (the Knowledge Base numbers its rules from there);
    /// a number below that we do not know, or none at all, is read as our defect: a person looks
    /// at it, nothing is retried blindly.
    public static func handling(of code: Int?) -> Handling {
        guard let code else { return .defect }
        if let known = Code(rawValue: code) { return known.handling }
        return code >= 9002 ? .businessRule : .defect
    }

    /// The Knowledge Base page of a rule number: `…/Docs/Business/rule_NNNN.html`.
    public static func page(of code: Int) -> String {
        "https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_\(code).html"
    }

    /// Whether the client is at fault (SOAP `s:Client`) rather than the server.
    public var isClientFault: Bool {
        switch handling {
        case .outage, .resubmit: false
        case .configuration, .defect, .businessRule: true
        }
    }

    /// `PASI fault 3004 (PASI Core Version Mismatch): …`.
    public var description: String {
        let name = knownCode.map { " (\($0.name))" } ?? ""
        return "PASI fault \(code.map(String.init) ?? "(no code)")\(name): \(message)"
    }
}
