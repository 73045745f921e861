public import Foundation
public import PASIModel

/// An alert as it is raised: what it is, which record it hangs off and what the records on
/// either side are, as far as known. A PASI core alert comes with the RefId of its record; a
/// conflict this client finds may have none (an unmatched SIS student).
public struct AlertRecord: Sendable, Hashable {
    /// Conflict, failure, rejection, warning or advice.
    public var type: AlertType
    /// The kind of record the alert is filed under.
    public var statusType: StatusType
    /// PASI's or this client's alert code.
    public var alertCode: String
    /// What a conflict is about; only for conflicts.
    public var conflictType: ConflictType?
    /// PASI's own severity, for core alerts.
    public var severity: CoreAlertSeverity?
    /// The text shown to a person.
    public var message: String?
    /// The key of the PASI record the alert hangs off (a GUID, or an ASN for a student), if any.
    public var refId: String?
    /// The alert's key/value arguments.
    public var arguments: AlertArguments
    /// The student's ASN, if known.
    public var asn: ASN?
    /// The SIS student's id, if known.
    public var studentID: Int?
    /// The SIS enrolment's id, if known.
    public var enrolmentID: Int?
    /// The school, if the alert is about one school's record.
    public var schoolCode: OrganizationNumber?
    /// The school year, if the alert is about one year's record.
    public var schoolYear: SchoolYear?

    /// Creates an alert to raise.
    /// - Throws: ``PASIModel/PASIModelError`` if the code or message breaks the PASI string rule,
    ///   or a conflict type is given for an alert that is not a conflict.
    public init(
        type: AlertType, statusType: StatusType, alertCode: String, conflictType: ConflictType? = nil,
        severity: CoreAlertSeverity? = nil, message: String? = nil, refId: String? = nil,
        arguments: AlertArguments = AlertArguments(), asn: ASN? = nil, studentID: Int? = nil, enrolmentID: Int? = nil,
        schoolCode: OrganizationNumber? = nil, schoolYear: SchoolYear? = nil
    ) throws(PASIModelError) {
        try PASIString.validateRequired(alertCode, field: "AlertRecord.alertCode")
        if let message { try PASIString.validate(message, field: "AlertRecord.message") }
        if let conflictType, type != .conflict {
            throw PASIModelError(
                .inconsistent, field: "AlertRecord.conflictType", expectation: "must be empty unless the alert is a Conflict",
                value: conflictType.rawValue)
        }
        self.type = type
        self.statusType = statusType
        self.alertCode = alertCode
        self.conflictType = conflictType
        self.severity = severity
        self.message = message
        self.refId = refId
        self.arguments = arguments
        self.asn = asn
        self.studentID = studentID
        self.enrolmentID = enrolmentID
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
    }

    /// A PASI core alert with what is known of the records on either side.
    /// - Parameters:
    ///   - alert: The core alert; its RefId, code, kind, severity, arguments and message are kept.
    ///   - asn: The student's ASN, if known.
    ///   - studentID: The SIS student's id, if known.
    ///   - enrolmentID: The SIS enrolment's id, if known.
    ///   - schoolCode: The school, if known.
    ///   - schoolYear: The school year, if known.
    public init(
        _ alert: CoreAlert, asn: ASN? = nil, studentID: Int? = nil, enrolmentID: Int? = nil,
        schoolCode: OrganizationNumber? = nil, schoolYear: SchoolYear? = nil
    ) {
        type = alert.type
        statusType = alert.statusType
        alertCode = alert.alertCode
        conflictType = alert.conflictType
        severity = alert.severity
        message = alert.message
        refId = alert.refId.value
        arguments = alert.arguments
        self.asn = asn
        self.studentID = studentID
        self.enrolmentID = enrolmentID
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
    }
}

/// An alert held in `sync.core_alerts`.
public struct StoredAlert: Sendable, Hashable {
    /// The alert's id.
    public let id: Int64
    /// What the alert says and is about.
    public let record: AlertRecord
    /// How far a person has dealt with it.
    public let acknowledgement: AcknowledgementStatus
    /// When it was first raised.
    public let createdAt: Date
    /// When it was last raised again or changed.
    public let updatedAt: Date
    /// When it was resolved (both sides agree again); `nil` while open.
    public let resolvedAt: Date?
}
