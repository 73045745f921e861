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

    /// The alerts with these ids, open or resolved, by id (unknown ids are left out).
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func alerts(ids: [Int64]) async throws -> [Int64: StoredAlert] {
        guard !ids.isEmpty else { return [:] }
        var query = PostgresQuery(unsafeSQL: AlertRow.select)
        query.sql += " WHERE a.id = ANY($1)"
        query.binds.append(ids)
        var out: [Int64: StoredAlert] = [:]
        for row in try await client.jsonRows(AlertRow.self, query, table: "sync.core_alerts", logger: logger) { out[row.id] = try row.model() }
        return out
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

    // MARK: What a person does on the PASI Core Alerts page

    /// The alerts a filter lets through, newest first, with their SIS students' numbers; what
    /// `SELECT * FROM sync.open_alerts` shows, narrowed the same way.
    /// - Parameters:
    ///   - filter: Which alerts (by default every open alert).
    ///   - limit: At most this many (at least 1).
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func list(_ filter: AlertFilter = AlertFilter(), limit: Int = 50) async throws -> [AlertListing] {
        let query = filter.query(AlertListingRow.select, "ORDER BY a.created_at DESC, a.id DESC LIMIT", limit: max(1, limit))
        return try await client.jsonRows(AlertListingRow.self, query, table: "sync.core_alerts", logger: logger).map { try $0.model() }
    }

    /// How many alerts a filter lets through.
    /// - Parameter filter: Which alerts.
    /// - Throws: Database errors.
    public func count(_ filter: AlertFilter = AlertFilter()) async throws -> Int {
        let rows = try await client.query(filter.query("SELECT count(*)::int8 FROM sync.core_alerts AS a"), logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// The alerts a filter lets through, counted per alert type, status type, conflict type and
    /// acknowledgement, in that order; without a filter, the rows of `sync.open_alert_counts`.
    /// - Parameter filter: Which alerts.
    /// - Throws: ``SyncStoreError`` for an unreadable row; database errors.
    public func summary(_ filter: AlertFilter = AlertFilter()) async throws -> [AlertCount] {
        let query = filter.query("""
            SELECT a.alert_type, a.status_type, a.conflict_type, a.acknowledgement, count(*)::int8,
                   to_char(min(a.created_at) AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI')
            FROM sync.core_alerts AS a CROSS JOIN \(Self.clusterZone) AS z
            """, """
            GROUP BY a.alert_type, a.status_type, a.conflict_type, a.acknowledgement, z.zone
            ORDER BY a.alert_type, a.status_type, coalesce(a.conflict_type, ''), a.acknowledgement
            """)
        let rows = try await client.query(query, logger: logger)
        var counts: [AlertCount] = []
        for try await (type, statusType, conflictType, acknowledgement, alerts, oldest)
            in rows.decode((String, String, String?, String, Int64, String).self) {
            let reader = RowReader(table: "sync.core_alerts", key: "\(type)/\(statusType)/\(conflictType ?? "")/\(acknowledgement)")
            counts.append(AlertCount(
                type: try reader.required(reader.enumValue(type, as: AlertType.self), "alert_type"),
                statusType: try reader.required(reader.enumValue(statusType, as: StatusType.self), "status_type"),
                conflictType: try reader.enumValue(conflictType, as: ConflictType.self),
                acknowledgement: try reader.required(reader.enumValue(acknowledgement, as: AcknowledgementStatus.self), "acknowledgement"),
                alerts: Int(alerts), oldestLocal: oldest))
        }
        return counts
    }

    /// Sets the acknowledgement of several alerts, open or resolved, in one transaction: all of
    /// them, or none when an id is unknown.
    /// - Parameters:
    ///   - ids: The alerts' ids (repeats count once).
    ///   - status: The status a person set.
    /// - Returns: What changed, in id order (an alert already in `status` is listed unchanged).
    /// - Throws: ``SyncStoreError`` with code `notFound` naming every unknown id, `notPermitted` for
    ///   Overridden on one of PASI's core alerts (only Alberta Education may set it); database errors.
    public func acknowledge(ids: [Int64], as status: AcknowledgementStatus) async throws -> [AcknowledgementChange] {
        let ids = Array(Set(ids)).sorted()
        guard !ids.isEmpty else { return [] }
        let logger = logger
        return try await client.inTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, acknowledgement, severity IS NOT NULL AND ref_id IS NOT NULL AND subject IS NULL
                FROM sync.core_alerts WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
                """, logger: logger)
            var found: [(id: Int64, acknowledgement: String, isPASIs: Bool)] = []
            for try await (id, value, isPASIs) in rows.decode((Int64, String, Bool).self) { found.append((id, value, isPASIs)) }
            let known = Set(found.map { $0.id })
            let missing = ids.filter { !known.contains($0) }
            guard missing.isEmpty else { throw SyncStoreError(.notFound, Self.noAlerts(missing)) }
            // Only Alberta Education may set Overridden (submit_student_status_acknowledgement.html):
            // refused here, before anything is sent, rather than as PASI's rule 12003 later.
            let pasis = found.filter { $0.isPASIs && $0.acknowledgement != status.rawValue }.map { String($0.id) }
            guard status != .overridden || pasis.isEmpty else {
                throw SyncStoreError(.notPermitted, "only Alberta Education may set PASI's core alerts to Overridden (alerts "
                    + pasis.joined(separator: ", ") + "); a school authority sets Unacknowledged, In Progress or Acknowledged")
            }
            try await connection.query("""
                UPDATE sync.core_alerts SET acknowledgement = \(status.rawValue), updated_at = now()
                WHERE id = ANY(\(ids)) AND acknowledgement <> \(status.rawValue)
                """, logger: logger)
            return try found.map { row in
                let reader = RowReader(table: "sync.core_alerts", key: String(row.id))
                let previous = try reader.required(reader.enumValue(row.acknowledgement, as: AcknowledgementStatus.self), "acknowledgement")
                return AcknowledgementChange(id: row.id, previous: previous, current: status, isPASIs: row.isPASIs)
            }
        }
    }

    /// Deletes alerts by id as a person may, in one transaction: all of them, or none when an id
    /// is unknown or names an Advice or a Warning.
    /// - Parameter ids: The alerts' ids (repeats count once).
    /// - Returns: How many were deleted.
    /// - Throws: ``SyncStoreError`` with code `notFound` naming every unknown id, or `notDeletable`
    ///   naming every Advice and Warning; database errors.
    public func delete(ids: [Int64]) async throws -> Int {
        let ids = Array(Set(ids)).sorted()
        guard !ids.isEmpty else { return 0 }
        let logger = logger
        return try await client.inTransaction(logger: logger) { connection in
            let rows = try await connection.query("""
                SELECT id, alert_type FROM sync.core_alerts WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE
                """, logger: logger)
            var found: [(id: Int64, type: String)] = []
            for try await (id, value) in rows.decode((Int64, String).self) { found.append((id, value)) }
            let known = Set(found.map { $0.id })
            let missing = ids.filter { !known.contains($0) }
            guard missing.isEmpty else { throw SyncStoreError(.notFound, Self.noAlerts(missing)) }
            let refused = found.filter { AlertType(rawValue: $0.type)?.isDeletableByPerson != true }
            if let only = refused.first, refused.count == 1 {
                throw SyncStoreError(.notDeletable, "alert \(only.id) is \(only.type == "Advice" ? "an" : "a") \(only.type): "
                    + Self.deletionRule)
            } else if !refused.isEmpty {
                throw SyncStoreError(.notDeletable, "alerts " + refused.map { "\($0.id) (\($0.type))" }.joined(separator: ", ")
                    + " cannot be deleted: " + Self.deletionRule)
            }
            let deleted = try await connection.query("""
                WITH deleted AS (DELETE FROM sync.core_alerts WHERE id = ANY(\(ids)) RETURNING 1) SELECT count(*)::int8 FROM deleted
                """, logger: logger)
            for try await count in deleted.decode(Int64.self) { return Int(count) }
            return 0
        }
    }

    /// Deletes the alerts a filter lets through, as a person may: the filter must name the type,
    /// and the type must be Conflict, Rejection or Failure.
    /// - Parameter filter: Which alerts; its ``AlertFilter/type`` is required.
    /// - Returns: How many were deleted.
    /// - Throws: ``SyncStoreError`` with code `notDeletable` for no type, Advice or Warning; database errors.
    public func delete(matching filter: AlertFilter) async throws -> Int {
        guard let type = filter.type else {
            throw SyncStoreError(.notDeletable, "a deletion must name the alert type: Conflict, Rejection or Failure")
        }
        guard type.isDeletableByPerson else {
            throw SyncStoreError(.notDeletable, "\(type == .advice ? "Advice" : "\(type.rawValue)s") cannot be deleted: " + Self.deletionRule)
        }
        let query = filter.query("WITH deleted AS (DELETE FROM sync.core_alerts AS a", "RETURNING 1) SELECT count(*)::int8 FROM deleted")
        let rows = try await client.query(query, logger: logger)
        for try await count in rows.decode(Int64.self) { return Int(count) }
        return 0
    }

    /// Why a person cannot delete an Advice or a Warning, as every refusal says it.
    public static let deletionRule =
        "only conflicts, rejections and failures can be deleted; Advice and Warnings come from PASI and go when PASI drops them: acknowledge them instead"

    /// The cluster's time zone as a one-row table with the column `zone`.
    static let clusterZone = "(SELECT coalesce((SELECT time_zone FROM queue.cluster), 'America/Edmonton') AS zone)"

    /// "sync.core_alerts has no alert 7" or "… no alerts 7, 9".
    static func noAlerts(_ ids: [Int64]) -> String {
        "sync.core_alerts has no alert\(ids.count == 1 ? "" : "s") " + ids.map(String.init).joined(separator: ", ")
    }

    /// The arguments as a JSON object's text.
    static func json(_ arguments: AlertArguments) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(arguments.values), as: UTF8.self)
    }
}
