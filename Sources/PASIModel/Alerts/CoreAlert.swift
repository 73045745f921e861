/// The key/value arguments of an alert (e.g. `FieldName = BirthDate`).
///
/// Held as a dictionary, so two argument sets are equal, and hash alike, whatever
/// order their keys arrived in; that is what acknowledgement matching needs.
public struct AlertArguments: Sendable, Hashable, Codable {
    /// The arguments by key.
    public let values: [String: String]

    /// Creates arguments from pairs in any order.
    /// - Parameter pairs: Key/value pairs; a key may appear once.
    /// - Throws: ``PASIModelError`` with code `duplicate` if a key repeats.
    public init(_ pairs: [(key: String, value: String)]) throws(PASIModelError) {
        var values: [String: String] = [:]
        for (key, value) in pairs {
            if values.updateValue(value, forKey: key) != nil {
                throw PASIModelError(.duplicate, field: "AlertArguments", expectation: "must not repeat a key", value: key)
            }
        }
        self.values = values
    }

    /// Creates arguments from a dictionary.
    /// - Parameter values: The arguments by key.
    public init(_ values: [String: String] = [:]) { self.values = values }

    /// The arguments sorted by key, for stable display and storage.
    public var sorted: [(key: String, value: String)] { values.sorted { $0.key < $1.key } }

    /// The value for `key`, if present.
    public subscript(key: String) -> String? { values[key] }
}

/// What identifies an alert for acknowledgement: the record's RefId, the alert code
/// and the argument set (key order does not matter).
public struct AlertKey: Sendable, Hashable, Codable {
    /// The RefId of the record the alert is about.
    public var refId: RefId
    /// PASI's alert code.
    public var alertCode: String
    /// The alert's arguments.
    public var arguments: AlertArguments

    /// Creates a key.
    /// - Parameters:
    ///   - refId: The record's RefId.
    ///   - alertCode: The alert code.
    ///   - arguments: The arguments.
    public init(refId: RefId, alertCode: String, arguments: AlertArguments) {
        self.refId = refId
        self.alertCode = alertCode
        self.arguments = arguments
    }
}

/// An alert on a synchronized record: a PASI core alert, or a conflict, rejection or
/// failure raised by this client.
public struct CoreAlert: Sendable, Hashable {
    /// The RefId of the record the alert is about.
    public var refId: RefId
    /// The kind of record.
    public var statusType: StatusType
    /// PASI's (or this client's) alert code.
    public var alertCode: String
    /// The kind of alert.
    public var type: AlertType
    /// PASI's own severity, for core alerts.
    public var severity: CoreAlertSeverity?
    /// What a conflict is about; only for conflicts.
    public var conflictType: ConflictType?
    /// The arguments.
    public var arguments: AlertArguments
    /// How far a person has dealt with it.
    public var acknowledgement: AcknowledgementStatus
    /// The text shown to a person.
    public var message: String?

    /// Creates an alert.
    /// - Throws: ``PASIModelError`` if the code or message breaks the PASI string rule, or
    ///   a conflict type is given for an alert that is not a conflict.
    public init(
        refId: RefId, statusType: StatusType, alertCode: String, type: AlertType, severity: CoreAlertSeverity? = nil,
        conflictType: ConflictType? = nil, arguments: AlertArguments = AlertArguments(),
        acknowledgement: AcknowledgementStatus = .unacknowledged, message: String? = nil
    ) throws(PASIModelError) {
        try Rule.required(alertCode, "CoreAlert.alertCode")
        try Rule.text(message, "CoreAlert.message")
        if let conflictType, type != .conflict {
            throw PASIModelError(.inconsistent, field: "CoreAlert.conflictType", expectation: "must be empty unless the alert is a Conflict", value: conflictType.rawValue)
        }
        self.refId = refId
        self.statusType = statusType
        self.alertCode = alertCode
        self.type = type
        self.severity = severity
        self.conflictType = conflictType
        self.arguments = arguments
        self.acknowledgement = acknowledgement
        self.message = message
    }

    /// The key an acknowledgement must match.
    public var key: AlertKey { AlertKey(refId: refId, alertCode: alertCode, arguments: arguments) }
}

/// A person's acknowledgement of an alert. It carries over to a re-raised alert with
/// the same key, so an alert acknowledged once does not come back as new.
public struct AlertAcknowledgement: Sendable, Hashable, Codable {
    /// The alert it applies to.
    public var key: AlertKey
    /// The status the person set.
    public var status: AcknowledgementStatus

    /// Creates an acknowledgement.
    /// - Parameters:
    ///   - key: The alert's key.
    ///   - status: The status the person set.
    public init(key: AlertKey, status: AcknowledgementStatus) {
        self.key = key
        self.status = status
    }

    /// Whether this acknowledgement applies to `alert`: same RefId, alert code and
    /// argument set, in any key order.
    /// - Parameter alert: The alert to test.
    public func matches(_ alert: CoreAlert) -> Bool { key == alert.key }
}

/// Decoding goes through the validating initializer.
extension CoreAlert: Codable {
    /// Decodes and validates an alert.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), statusType: c.value(.statusType), alertCode: c.value(.alertCode), type: c.value(.type),
            severity: c.optional(.severity), conflictType: c.optional(.conflictType), arguments: c.value(.arguments),
            acknowledgement: c.value(.acknowledgement), message: c.optional(.message))
    }
}
