public import PASIModel

/// A status Get: the validation status (core alerts) of records.
public struct GetStatusesRequest: Codable, Sendable {
    /// One status asked for.
    public struct Key: Codable, Sendable, Hashable {
        /// The record's id.
        public var id: String
        /// The status version the client holds; an unchanged status is answered without alerts.
        public var knownSourceVersion: Int64
        public init(_ id: String, knownSourceVersion: Int64 = 0) { (self.id, self.knownSourceVersion) = (id, knownSourceVersion) }
    }

    public var callerInfo: CallerInfoElement
    public var key: [Key]
    public init(callerInfo: CallerInfoElement, key: [Key]) { (self.callerInfo, self.key) = (callerInfo, key) }
}

/// An alert argument as it travels (keys are free text, so not element names).
public struct AlertArgument: Codable, Sendable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) { (self.key, self.value) = (key, value) }
}

/// A core alert on a record's validation status.
public struct StatusAlert: Codable, Sendable, Hashable {
    public var alertCode: String
    public var severity: CoreAlertSeverity
    public var message: String?
    public var acknowledgementStatus: AcknowledgementStatus
    public var argument: [AlertArgument]

    public init(alertCode: String, severity: CoreAlertSeverity, message: String? = nil, acknowledgementStatus: AcknowledgementStatus = .unacknowledged, arguments: AlertArguments = AlertArguments()) {
        self.alertCode = alertCode
        self.severity = severity
        self.message = message
        self.acknowledgementStatus = acknowledgementStatus
        argument = arguments.sorted.map { AlertArgument(key: $0.key, value: $0.value) }
    }

    /// The arguments as a set, for matching.
    public var arguments: AlertArguments {
        AlertArguments(Dictionary(argument.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}

/// One record's validation status.
public struct RecordStatus: Codable, Sendable, Hashable {
    public var id: String
    /// The status's own version; grows when its alerts change.
    public var sourceVersion: Int64
    /// Whether the status changed since the known version (else ``alert`` is empty).
    public var isChanged: Bool
    public var alert: [StatusAlert]

    public init(id: String, sourceVersion: Int64, isChanged: Bool, alert: [StatusAlert]) {
        self.id = id
        self.sourceVersion = sourceVersion
        self.isChanged = isChanged
        self.alert = alert
    }
}

/// A status Get's answer.
public struct GetStatusesResponse: Codable, Sendable {
    public var status: [RecordStatus]
    public init(status: [RecordStatus]) { self.status = status }
}

/// `AcknowledgeStatus`: a person's acknowledgement of one core alert, matched on
/// record + alert code + argument set (key order does not matter).
public struct AcknowledgeStatusRequest: Codable, Sendable {
    public var callerInfo: CallerInfoElement
    public var recordType: RecordType
    public var id: String
    public var alertCode: String
    public var argument: [AlertArgument]
    public var acknowledgementStatus: AcknowledgementStatus

    public init(callerInfo: CallerInfoElement, recordType: RecordType, id: String, alertCode: String, arguments: AlertArguments, status: AcknowledgementStatus) {
        self.callerInfo = callerInfo
        self.recordType = recordType
        self.id = id
        self.alertCode = alertCode
        argument = arguments.sorted.map { AlertArgument(key: $0.key, value: $0.value) }
        acknowledgementStatus = status
    }

    /// The arguments as a set.
    public var arguments: AlertArguments {
        AlertArguments(Dictionary(argument.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first }))
    }
}
