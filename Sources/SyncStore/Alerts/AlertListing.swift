internal import Foundation
public import PASIModel

/// An alert as the alerts list shows it: the alert, the SIS student's number, and its times in
/// the cluster's time zone.
public struct AlertListing: Sendable, Hashable {
    /// The alert.
    public let alert: StoredAlert
    /// The student number of the alert's SIS student, if the alert names one that still exists.
    public let studentNumber: Int64?
    /// When it was raised, `YYYY-MM-DD HH:MM` in the cluster's time zone.
    public let raisedLocal: String
    /// When it was resolved, likewise; `nil` while open.
    public let resolvedLocal: String?
}

/// One row of the alerts summary (and of the view `sync.open_alert_counts`): how many alerts
/// have one alert type, status type, conflict type and acknowledgement.
public struct AlertCount: Sendable, Hashable {
    /// The alert type.
    public let type: AlertType
    /// The status type.
    public let statusType: StatusType
    /// The conflict type; `nil` for alerts that are not conflicts.
    public let conflictType: ConflictType?
    /// The acknowledgement status.
    public let acknowledgement: AcknowledgementStatus
    /// How many alerts.
    public let alerts: Int
    /// When the oldest of them was raised, `YYYY-MM-DD HH:MM` in the cluster's time zone.
    public let oldestLocal: String
}

/// What an acknowledgement did to one alert.
public struct AcknowledgementChange: Sendable, Hashable {
    /// The alert's id.
    public let id: Int64
    /// Its acknowledgement before.
    public let previous: AcknowledgementStatus
    /// Its acknowledgement now.
    public let current: AcknowledgementStatus
    /// Whether it is one of PASI's core alerts, whose acknowledgement Regular Sync sends to PASI.
    public var isPASIs: Bool = false
}

/// A row of the alerts list as ``AlertsStore`` selects it: the alert as ``AlertRow`` reads it,
/// with the SIS student's number and the local times.
struct AlertListingRow: Decodable, Sendable {
    var alert: AlertRow
    var studentNumber: Int64?
    var raisedLocal: String
    var resolvedLocal: String?

    enum CodingKeys: String, CodingKey {
        case alert, studentNumber = "student_number", raisedLocal = "raised_local", resolvedLocal = "resolved_local"
    }

    /// The SELECT of one JSON listing per alert of `sync.core_alerts AS a` (a WHERE follows).
    static let select = """
        SELECT jsonb_build_object(
                   'alert', \(AlertRow.json),
                   'student_number', s.student_number,
                   'raised_local', to_char(a.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI'),
                   'resolved_local', to_char(a.resolved_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI'))::text
        FROM sync.core_alerts AS a
        LEFT JOIN sis.students AS s ON s.id = a.student_id
        CROSS JOIN \(AlertsStore.clusterZone) AS z
        """

    func model() throws -> AlertListing {
        AlertListing(alert: try alert.model(), studentNumber: studentNumber, raisedLocal: raisedLocal, resolvedLocal: resolvedLocal)
    }
}
