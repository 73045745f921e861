public import Logging
public import PASIModel
public import PostgresNIO
internal import Foundation

/// One core alert PASI keeps on a record's validation status, as PASI Data Available files it in
/// `sync.core_alerts`: identified by PASI's key (RefId, alert code, argument set).
public struct IncomingStatusAlert: Sendable, Hashable {
    /// The record the status is about: an ASN (Student Status), an enrolment's RefId (Student
    /// Enrolment Status).
    public var refId: String
    public var statusType: StatusType
    public var alertType: AlertType
    /// PASI's own severity, kept as PASI wrote it.
    public var severity: CoreAlertSeverity
    public var alertCode: String
    public var message: String?
    /// PASI's acknowledgement status.
    public var acknowledgement: AcknowledgementStatus
    public var arguments: AlertArguments
    public var schoolYear: SchoolYear?

    public init(refId: String, statusType: StatusType, alertType: AlertType, severity: CoreAlertSeverity, alertCode: String,
                message: String?, acknowledgement: AcknowledgementStatus, arguments: AlertArguments, schoolYear: SchoolYear?) {
        self.refId = refId
        self.statusType = statusType
        self.alertType = alertType
        self.severity = severity
        self.alertCode = alertCode
        self.message = message
        self.acknowledgement = acknowledgement
        self.arguments = arguments
        self.schoolYear = schoolYear
    }
}

/// What the PASI → SIS process (PASI Data Available) writes besides the local PASI store: the
/// one-way items into `sis.*` (as PASI's own changes, so that no data event echoes them back), the
/// students waiting for their comparison with the SIS (`sync.pasi_changes_to_compare`), and PASI's
/// core alerts of the status types in `sync.core_alerts`.
public struct IncomingStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: - Feed cursors

    /// Every type's feed cursor (0 for a type never read), in one query.
    public func cursors(of types: [NotificationType]) async throws -> [NotificationType: Int64] {
        let names = types.map(\.description)
        let rows = try await client.query(
            "SELECT notification_type, version FROM sync.feed_cursors WHERE notification_type = ANY(\(names))", logger: logger)
        var cursors = Dictionary(types.map { ($0, Int64(0)) }, uniquingKeysWith: { first, _ in first })
        for try await (name, version) in rows.decode((String, Int64).self) { cursors[try NotificationType(name)] = version }
        return cursors
    }

    // MARK: - One-way items into the SIS

    /// Says, for the rest of the caller's transaction, that its writes into `sis.*` come from PASI:
    /// the event-monitoring triggers then write no data event (`sync.record_data_events`), so nothing is sent back.
    public func markPASIOrigin(on connection: PostgresConnection) async throws {
        try await connection.query("SELECT set_config('pasisync.origin', 'pasi', true)", logger: logger)
    }

    /// Brings the names of these schools from the local PASI store into `sis.schools` (the SIS
    /// school with the same code; a school the SIS lacks is not created). Call ``markPASIOrigin(on:)`` first.
    /// - Returns: The codes of the SIS schools changed.
    public func applySchools(codes: [String], on connection: PostgresConnection) async throws -> [String] {
        guard !codes.isEmpty else { return [] }
        let rows = try await connection.query("""
            UPDATE sis.schools s SET name = p.name
            FROM pasi.schools p
            WHERE p.ref_id = ANY(CAST(\(codes) AS char(4)[])) AND s.school_code = p.ref_id AND s.name IS DISTINCT FROM p.name
            RETURNING s.school_code::text
            """, logger: logger)
        var changed: [String] = []
        for try await code in rows.decode(String.self) { changed.append(code) }
        return changed.sorted()
    }

    /// Brings the name, credits and diploma flag of these courses from the local PASI store into
    /// `sis.courses` (the SIS course with the same number; PASI's catalogue is not copied whole).
    /// Call ``markPASIOrigin(on:)`` first.
    /// - Returns: The course numbers changed.
    public func applyCourses(codes: [String], on connection: PostgresConnection) async throws -> [String] {
        guard !codes.isEmpty else { return [] }
        let rows = try await connection.query("""
            UPDATE sis.courses c SET course_name = p.name, credit_hours = p.credits, is_diploma_course = p.is_diploma_course
            FROM pasi.courses p
            WHERE p.ref_id = ANY(\(codes)) AND c.course_number = p.ref_id
              AND (c.course_name, c.credit_hours, c.is_diploma_course) IS DISTINCT FROM (p.name, p.credits, p.is_diploma_course)
            RETURNING c.course_number
            """, logger: logger)
        var changed: [String] = []
        for try await code in rows.decode(String.self) { changed.append(code) }
        return changed.sorted()
    }

    // MARK: - Students waiting for their comparison

    /// Marks the PASI students these records are about as waiting for their comparison with the
    /// SIS: the students themselves, and the students of these enrolments as the local store holds
    /// them at the time of the call (call it before deleting enrolments and after storing them, so
    /// that both the old and the new student are compared).
    /// - Returns: How many students are newly waiting.
    @discardableResult
    public func markForComparison(studentASNs: [String], enrolmentRefIds: [String], jobID: Int64?,
                                  on connection: PostgresConnection) async throws -> Int {
        guard !studentASNs.isEmpty || !enrolmentRefIds.isEmpty else { return 0 }
        let rows = try await connection.query("""
            WITH marked AS (
                INSERT INTO sync.pasi_changes_to_compare (asn, marked_by_job)
                SELECT DISTINCT asn, \(jobID)::bigint FROM (
                    SELECT unnest(CAST(\(studentASNs) AS char(9)[])) AS asn
                    UNION ALL
                    SELECT e.asn FROM pasi.school_enrolments e WHERE e.ref_id = ANY(CAST(\(enrolmentRefIds) AS uuid[]))) AS w
                WHERE asn ~ '^[0-9]{9}$'
                ON CONFLICT (asn) DO NOTHING
                RETURNING 1)
            SELECT count(*)::int FROM marked
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Up to `limit` PASI students waiting for their comparison, oldest first. A student whose SIS
    /// record or enrolments have changes on their way to PASI (Pending data events) waits: PASI
    /// does not hold the SIS's change yet, and comparing now would raise a Conflict that the
    /// submit itself is about to clear. PASI's answer to it brings the student back here.
    public func waitingForComparison(limit: Int) async throws -> [String] {
        let rows = try await client.query("""
            SELECT c.asn::text FROM sync.pasi_changes_to_compare AS c
            WHERE NOT EXISTS (
                SELECT 1 FROM sis.students AS s JOIN sync.data_events AS e ON e.status = 'Pending'
                  AND ((e.table_name = 'sis.students' AND e.row_key = s.id::text)
                       OR (e.table_name = 'sis.enrolments'
                           AND e.row_key IN (SELECT n.id::text FROM sis.enrolments AS n WHERE n.student_id = s.id)))
                WHERE s.asn = c.asn)
            ORDER BY c.marked_at, c.asn LIMIT \(limit)::int
            """, logger: logger)
        var asns: [String] = []
        for try await asn in rows.decode(String.self) { asns.append(asn) }
        return asns
    }

    /// The SIS students who stand for these PASI students: those holding the ASN, and those
    /// matched with it (`sync.student_matches`), in id order.
    public func sisStudents(asns: [String]) async throws -> [Int] {
        guard !asns.isEmpty else { return [] }
        let rows = try await client.query("""
            SELECT id FROM sis.students WHERE asn = ANY(CAST(\(asns) AS char(9)[]))
            UNION
            SELECT student_id FROM sync.student_matches WHERE asn = ANY(CAST(\(asns) AS char(9)[]))
            ORDER BY 1
            """, logger: logger)
        var ids: [Int] = []
        for try await id in rows.decode(Int.self) { ids.append(id) }
        return ids
    }

    /// Takes these students off the waiting list, in the transaction that kept their comparison.
    public func compared(asns: [String], on connection: PostgresConnection) async throws {
        guard !asns.isEmpty else { return }
        try await connection.query(
            "DELETE FROM sync.pasi_changes_to_compare WHERE asn = ANY(CAST(\(asns) AS char(9)[]))", logger: logger)
    }

    // MARK: - PASI's core alerts

    /// Files PASI's core alerts of the statuses just fetched, in the caller's transaction: an alert
    /// new to us is raised, one already open takes PASI's message, severity and acknowledgement (but
    /// keeps a person's acknowledgement not yet sent to PASI: its data event is still Pending), and
    /// an open one of these records that PASI no longer reports is resolved. The alerts name the
    /// ASN, the SIS student and enrolment and the school as far as the matches know them.
    /// - Parameters:
    ///   - alerts: Every alert of the statuses fetched.
    ///   - records: Every record whose status was fetched (or is gone), with its status type: the
    ///     scope of resolving.
    /// - Returns: How many alerts are new, and how many were resolved.
    public func fileStatusAlerts(
        _ alerts: [IncomingStatusAlert], of records: [(statusType: StatusType, refId: String)], raisedBy process: String,
        jobID: Int64?, on connection: PostgresConnection
    ) async throws -> (raised: Int, resolved: Int) {
        guard !records.isEmpty else { return (0, 0) }
        struct Row: Encodable {
            let ref_id: String, status_type: String, alert_type: String, severity: String, alert_code: String
            let message: String?, acknowledgement: String, arguments: [String: String], school_year: Int?
        }
        // One row per PASI key: PASI's acknowledgement matching says a status holds each once.
        var seen: Set<String> = []
        let rows = alerts.compactMap { alert -> Row? in
            let key = alert.refId + "\u{1}" + alert.alertCode + "\u{1}" + alert.arguments.sorted.map { "\($0.key)=\($0.value)" }.joined(separator: "\u{1}")
            guard seen.insert(key).inserted else { return nil }
            return Row(ref_id: alert.refId, status_type: alert.statusType.rawValue, alert_type: alert.alertType.rawValue,
                       severity: alert.severity.rawValue, alert_code: alert.alertCode, message: alert.message,
                       acknowledgement: alert.acknowledgement.rawValue, arguments: alert.arguments.values,
                       school_year: alert.schoolYear?.endYear)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        // PASI's acknowledgement coming in is not a person's: it writes no data event (`sync.record_acknowledgement_event`).
        try await markPASIOrigin(on: connection)
        let written = try await connection.query("""
            WITH found AS (
                SELECT * FROM jsonb_to_recordset(\(json)::jsonb) AS r (ref_id text, status_type text, alert_type text,
                    severity text, alert_code text, message text, acknowledgement text, arguments jsonb, school_year integer)),
            located AS (
                SELECT f.*, w.asn, pe.school_code, em.enrolment_id,
                       coalesce(se.student_id,
                                (SELECT min(s.id) FROM sis.students s WHERE s.asn = w.asn),
                                (SELECT m.student_id FROM sync.student_matches m WHERE m.asn = w.asn)) AS student_id
                FROM found f
                LEFT JOIN pasi.school_enrolments pe
                       ON pe.ref_id = (CASE WHEN f.status_type = 'Enrolment' THEN f.ref_id::uuid END)
                LEFT JOIN sync.enrolment_matches em ON em.ref_id = pe.ref_id
                LEFT JOIN sis.enrolments se ON se.id = em.enrolment_id
                CROSS JOIN LATERAL (SELECT CASE WHEN f.status_type = 'Student' THEN f.ref_id
                                                WHEN f.status_type = 'Classroom Accommodation' THEN
                                                    (SELECT ca.asn::text FROM pasi.classroom_accommodations ca
                                                     WHERE ca.ref_id = f.ref_id::uuid)
                                                ELSE pe.asn::text END AS asn) w),
            written AS (
                INSERT INTO sync.core_alerts AS a (raised_by, job_id, alert_type, status_type, severity, alert_code, message,
                    ref_id, asn, student_id, enrolment_id, school_code, school_year, acknowledgement, arguments)
                SELECT \(process), \(jobID)::bigint, alert_type, status_type, severity, alert_code, message, ref_id,
                       CASE WHEN asn ~ '^[0-9]{9}$' THEN asn END, student_id, enrolment_id, school_code, school_year,
                       acknowledgement, arguments
                FROM located
                ON CONFLICT (ref_id, alert_code, arguments) WHERE resolved_at IS NULL AND ref_id IS NOT NULL AND subject IS NULL
                DO UPDATE SET alert_type = EXCLUDED.alert_type, severity = EXCLUDED.severity, message = EXCLUDED.message,
                    acknowledgement = CASE WHEN EXISTS (
                            SELECT 1 FROM sync.data_events e
                            WHERE e.table_name = 'sync.core_alerts' AND e.row_key = a.id::text AND e.status = 'Pending')
                        THEN a.acknowledgement ELSE EXCLUDED.acknowledgement END,
                    asn = EXCLUDED.asn, student_id = EXCLUDED.student_id,
                    enrolment_id = EXCLUDED.enrolment_id, school_code = EXCLUDED.school_code,
                    school_year = EXCLUDED.school_year, job_id = EXCLUDED.job_id, updated_at = now()
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted)::int FROM written
            """, logger: logger)
        var raised = 0
        for try await count in written.decode(Int.self) { raised = count }
        let types = records.map(\.statusType.rawValue)
        let ids = records.map(\.refId)
        let resolved = try await connection.query("""
            WITH scope AS (SELECT * FROM unnest(\(types)::text[], \(ids)::text[]) AS s (status_type, ref_id)),
            found AS (SELECT * FROM jsonb_to_recordset(\(json)::jsonb) AS r (ref_id text, alert_code text, arguments jsonb)),
            done AS (
                UPDATE sync.core_alerts AS a SET resolved_at = now(), updated_at = now()
                FROM scope
                WHERE a.resolved_at IS NULL AND a.raised_by = \(process) AND a.subject IS NULL
                  AND a.status_type = scope.status_type AND a.ref_id = scope.ref_id
                  AND NOT EXISTS (SELECT 1 FROM found f WHERE f.ref_id = a.ref_id AND f.alert_code = a.alert_code
                                                          AND f.arguments = a.arguments)
                RETURNING 1)
            SELECT count(*)::int FROM done
            """, logger: logger)
        var cleared = 0
        for try await count in resolved.decode(Int.self) { cleared = count }
        return (raised, cleared)
    }
}
