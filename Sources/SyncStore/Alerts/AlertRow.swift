internal import Foundation
internal import PASIModel

/// A row of `sync.core_alerts` as ``AlertsStore`` selects it: timestamps as seconds since 1970.
struct AlertRow: Decodable, Sendable {
    var id: Int64
    var alertType: String
    var statusType: String
    var conflictType: String?
    var severity: String?
    var alertCode: String
    var message: String?
    var refId: String?
    var asn: String?
    var studentID: Int?
    var enrolmentID: Int?
    var schoolCode: String?
    var schoolYear: Int?
    var acknowledgement: String
    var arguments: [String: String]
    var createdAt: Double
    var updatedAt: Double
    var resolvedAt: Double?

    enum CodingKeys: String, CodingKey {
        case id, alertType = "alert_type", statusType = "status_type", conflictType = "conflict_type", severity
        case alertCode = "alert_code", message, refId = "ref_id", asn, studentID = "student_id"
        case enrolmentID = "enrolment_id", schoolCode = "school_code", schoolYear = "school_year", acknowledgement
        case arguments, createdAt = "created_at", updatedAt = "updated_at", resolvedAt = "resolved_at"
    }

    /// The jsonb of one alert of `sync.core_alerts AS a`, as this type decodes it.
    static let json = """
        (to_jsonb(a) - 'created_at' - 'updated_at' - 'resolved_at' || jsonb_build_object(
            'created_at', extract(epoch FROM a.created_at), 'updated_at', extract(epoch FROM a.updated_at),
            'resolved_at', extract(epoch FROM a.resolved_at)))
        """

    /// The SELECT that makes one JSON row per alert of `sync.core_alerts AS a`.
    static let select = "SELECT \(json)::text\nFROM sync.core_alerts AS a"

    func model() throws -> StoredAlert {
        let reader = RowReader(table: "sync.core_alerts", key: String(id))
        let type = try reader.required(reader.enumValue(alertType, as: AlertType.self), "alert_type")
        let statusType = try reader.required(reader.enumValue(statusType, as: StatusType.self), "status_type")
        let conflictType = try reader.enumValue(conflictType, as: ConflictType.self)
        let severity = try reader.enumValue(severity, as: CoreAlertSeverity.self)
        let acknowledgement = try reader.required(reader.enumValue(acknowledgement, as: AcknowledgementStatus.self), "acknowledgement")
        let asn = try reader.asn(asn)
        let record = try reader.read { () throws(PASIModelError) in
            try AlertRecord(
                type: type, statusType: statusType, alertCode: alertCode, conflictType: conflictType, severity: severity,
                message: message, refId: refId, arguments: AlertArguments(arguments), asn: asn, studentID: studentID,
                enrolmentID: enrolmentID,
                schoolCode: schoolCode.map { code throws(PASIModelError) in try OrganizationNumber(code, field: "school_code") },
                schoolYear: schoolYear.map { year throws(PASIModelError) in try SchoolYear(endYear: year) })
        }
        return StoredAlert(
            id: id, record: record, acknowledgement: acknowledgement, createdAt: Date(timeIntervalSince1970: createdAt),
            updatedAt: Date(timeIntervalSince1970: updatedAt), resolvedAt: resolvedAt.map(Date.init(timeIntervalSince1970:)))
    }
}
