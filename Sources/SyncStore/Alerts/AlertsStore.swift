internal import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// The alerts a person works through (`sync.core_alerts`): PASI's core alerts and the conflicts,
/// rejections and failures this client raises, with their arguments and acknowledgement.
///
/// An open alert is identified as PASI identifies it: RefId, alert code and argument set, the
/// order of the arguments' keys not mattering (they are a jsonb object). Raising an alert that is
/// already open with the same key keeps the one alert, and the acknowledgement a person gave it.
public struct AlertsStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Raises an alert, or raises again the open alert with the same RefId, code and arguments
    /// (its message is replaced and its acknowledgement kept).
    /// - Parameter alert: The alert.
    /// - Returns: The alert's id, new or existing.
    /// - Throws: Database errors (a CHECK names a rule the alert breaks).
    @discardableResult
    public func raise(_ alert: AlertRecord) async throws -> Int64 {
        let arguments = try Self.json(alert.arguments)
        let rows = try await client.query("""
            INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, severity, alert_code, message, ref_id,
                                          asn, student_id, enrolment_id, school_code, school_year, arguments)
            VALUES (\(alert.type.rawValue), \(alert.statusType.rawValue), \(alert.conflictType?.rawValue),
                    \(alert.severity?.rawValue), \(alert.alertCode), \(alert.message), \(alert.refId), \(alert.asn?.digits),
                    \(alert.studentID), \(alert.enrolmentID), \(alert.schoolCode?.description), \(alert.schoolYear?.endYear),
                    \(arguments)::jsonb)
            ON CONFLICT (ref_id, alert_code, arguments) WHERE resolved_at IS NULL AND ref_id IS NOT NULL AND subject IS NULL
            DO UPDATE SET message = EXCLUDED.message, updated_at = now()
            RETURNING id
            """, logger: logger)
        for try await id in rows.decode(Int64.self) { return id }
        throw SyncStoreError(.notFound, "sync.core_alerts returned no id for the raised alert")
    }

    /// The open (unresolved) alerts, newest first, as the PASI Core Alerts page filters them.
    /// - Parameters:
    ///   - type: Only this alert type (e.g. Conflict).
    ///   - statusType: Only this status type (e.g. Student).
    ///   - conflictType: Only this conflict type.
    ///   - acknowledgement: Only alerts in this acknowledgement status (e.g. Unacknowledged).
    ///   - limit: At most this many.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func openAlerts(
        type: AlertType? = nil, statusType: StatusType? = nil, conflictType: ConflictType? = nil,
        acknowledgement: AcknowledgementStatus? = nil, limit: Int = 1_000
    ) async throws -> [StoredAlert] {
        var query = PostgresQuery(unsafeSQL: AlertRow.select)
        query.sql += " WHERE a.resolved_at IS NULL"
        var next = 1
        for (column, value) in [("alert_type", type?.rawValue), ("status_type", statusType?.rawValue),
                                ("conflict_type", conflictType?.rawValue), ("acknowledgement", acknowledgement?.rawValue)] {
            guard let value else { continue }
            query.sql += " AND a.\(column) = $\(next)"
            query.binds.append(value)
            next += 1
        }
        query.sql += " ORDER BY a.created_at DESC, a.id DESC LIMIT $\(next)"
        query.binds.append(max(1, limit))
        return try await client.jsonRows(AlertRow.self, query, table: "sync.core_alerts", logger: logger).map { try $0.model() }
    }

    /// The alert with an id, open or resolved.
    /// - Parameter id: The alert's id.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func alert(id: Int64) async throws -> StoredAlert? {
        var query = PostgresQuery(unsafeSQL: AlertRow.select)
        query.sql += " WHERE a.id = $1"
        query.binds.append(id)
        return try await client.jsonRows(AlertRow.self, query, table: "sync.core_alerts", logger: logger).first?.model()
    }

    /// Sets the acknowledgement of one alert.
    /// - Parameters:
    ///   - id: The alert's id.
    ///   - status: The status a person set.
    /// - Throws: ``SyncStoreError`` with code `notFound`; database errors.
    public func acknowledge(id: Int64, as status: AcknowledgementStatus) async throws {
        let rows = try await client.query("""
            UPDATE sync.core_alerts SET acknowledgement = \(status.rawValue), updated_at = now() WHERE id = \(id) RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(Int64.self) { return }
        throw SyncStoreError(.notFound, "sync.core_alerts has no alert \(id)")
    }

    /// Applies an acknowledgement to the open alerts it matches: same RefId, alert code and
    /// argument set, in any key order (PASI's rule).
    /// - Parameter acknowledgement: The key and the status a person set.
    /// - Returns: How many open alerts it matched.
    /// - Throws: Database errors.
    @discardableResult
    public func acknowledge(_ acknowledgement: AlertAcknowledgement) async throws -> Int {
        let key = acknowledgement.key
        let arguments = try Self.json(key.arguments)
        let rows = try await client.query("""
            WITH changed AS (
                UPDATE sync.core_alerts SET acknowledgement = \(acknowledgement.status.rawValue), updated_at = now()
                WHERE ref_id = \(key.refId.value) AND alert_code = \(key.alertCode) AND arguments = \(arguments)::jsonb
                  AND resolved_at IS NULL
                RETURNING 1
            )
            SELECT count(*) FROM changed
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Marks an alert resolved (both sides agree again); it leaves the open list.
    /// - Parameter id: The alert's id.
    /// - Throws: ``SyncStoreError`` with code `notFound` when no open alert has the id; database errors.
    public func resolve(id: Int64) async throws {
        let rows = try await client.query("""
            UPDATE sync.core_alerts SET resolved_at = now(), updated_at = now()
            WHERE id = \(id) AND resolved_at IS NULL RETURNING id
            """, logger: logger)
        for try await _ in rows.decode(Int64.self) { return }
        throw SyncStoreError(.notFound, "sync.core_alerts has no open alert \(id)")
    }

    /// Deletes an alert as a person may: conflicts, rejections and failures only (advice and
    /// warnings mirror PASI and go when PASI drops them).
    /// - Parameter id: The alert's id.
    /// - Throws: ``SyncStoreError`` with code `notFound`, or `notDeletable` for advice and warnings;
    ///   database errors.
    public func delete(id: Int64) async throws {
        let deletable = AlertType.allCases.filter(\.isDeletableByPerson).map(\.rawValue)
        let rows = try await client.query("""
            WITH target AS (SELECT id, alert_type FROM sync.core_alerts WHERE id = \(id) FOR UPDATE),
                 deleted AS (DELETE FROM sync.core_alerts AS a USING target
                             WHERE a.id = target.id AND target.alert_type = ANY(\(deletable)) RETURNING a.id)
            SELECT target.alert_type, (SELECT count(*) FROM deleted) FROM target
            """, logger: logger)
        for try await (type, deleted) in rows.decode((String, Int).self) {
            if deleted == 1 { return }
            throw SyncStoreError(.notDeletable, "alert \(id) is \(type == "Advice" ? "an" : "a") \(type): only conflicts, rejections and failures can be deleted")
        }
        throw SyncStoreError(.notFound, "sync.core_alerts has no alert \(id)")
    }

    /// Deletes the alerts PASI no longer reports, whatever their type (for the software's own
    /// alert reconciliation, not for a person).
    /// - Parameter ids: The alerts' ids.
    /// - Returns: How many were deleted.
    /// - Throws: Database errors.
    @discardableResult
    public func deleteAll(ids: [Int64]) async throws -> Int {
        let rows = try await client.query("""
            WITH deleted AS (DELETE FROM sync.core_alerts WHERE id = ANY(\(ids)) RETURNING 1) SELECT count(*) FROM deleted
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// The arguments as a JSON object's text.
    static func json(_ arguments: AlertArguments) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(arguments.values), as: UTF8.self)
    }
}
