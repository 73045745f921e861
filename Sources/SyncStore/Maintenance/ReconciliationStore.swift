public import Foundation
public import Logging
public import PostgresNIO

/// An open alert Core Alerts Reconciliation may resolve: a Conflict, Rejection or Failure this
/// client raised (Initial Synchronization's, regular synchronization's, a failed job's).
public struct ReconcilableAlert: Sendable, Hashable {
    public var id: Int64
    /// `sync.core_alerts.subject`: `sis:…`/`pasi-only:…` (initial_sync), `sis.students:123` (regular_sync).
    public var subject: String?
    /// The process that raised it; `nil` for a failed job's alert.
    public var raisedBy: String?
    public var alertType: String
    public var statusType: String
    public var alertCode: String
    public var studentID: Int?
    public var enrolmentID: Int?
    /// The ASN's nine digits.
    public var asn: String?
    /// PASI's end year.
    public var schoolYear: Int?
    public var createdAt: Date

    public init(id: Int64, subject: String?, raisedBy: String?, alertType: String, statusType: String, alertCode: String,
                studentID: Int?, enrolmentID: Int?, asn: String?, schoolYear: Int?, createdAt: Date) {
        self.id = id
        self.subject = subject
        self.raisedBy = raisedBy
        self.alertType = alertType
        self.statusType = statusType
        self.alertCode = alertCode
        self.studentID = studentID
        self.enrolmentID = enrolmentID
        self.asn = asn
        self.schoolYear = schoolYear
        self.createdAt = createdAt
    }
}

/// The reads and the one write of Core Alerts Reconciliation.
public struct ReconciliationStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The open Conflicts, Rejections and Failures of `raisers`, and the Failure alerts of failed
    /// jobs (status type Synchronization, JOB_FAILED), oldest first.
    /// - Parameters:
    ///   - raisers: The processes whose subject-keyed alerts are looked at.
    ///   - years: Only alerts of these school years (PASI end years) and those of no year; `nil`
    ///     for every year (Full Reconciliation).
    public func openAlerts(raisedBy raisers: [String], years: [Int]?) async throws -> [ReconcilableAlert] {
        let allYears = years == nil
        let rows = try await client.query("""
            SELECT id, subject, raised_by, alert_type, status_type, alert_code, student_id, enrolment_id, asn::text,
                   school_year, created_at
            FROM sync.core_alerts
            WHERE resolved_at IS NULL AND alert_type IN ('Conflict', 'Rejection', 'Failure')
              AND ((subject IS NOT NULL AND raised_by = ANY(\(raisers)))
                   OR (status_type = 'Synchronization' AND alert_code = 'JOB_FAILED'))
              AND (\(allYears) OR school_year IS NULL OR school_year = ANY(\(years ?? [])))
            ORDER BY id
            """, logger: logger)
        var alerts: [ReconcilableAlert] = []
        for try await (id, subject, raisedBy, type, statusType, code, student, enrolment, asn, year, created)
            in rows.decode((Int64, String?, String?, String, String, String, Int?, Int?, String?, Int?, Date).self) {
            alerts.append(ReconcilableAlert(
                id: id, subject: subject, raisedBy: raisedBy, alertType: type, statusType: statusType, alertCode: code,
                studentID: student, enrolmentID: enrolment, asn: asn, schoolYear: year, createdAt: created))
        }
        return alerts
    }

    /// Of these alerts, those whose record was resubmitted and accepted after the alert: a data
    /// event of the subject's table and row (`sis.students:123`) with status Sent handled after
    /// the alert was raised, in the queue or in the archive.
    public func resubmittedAndAccepted(_ ids: [Int64]) async throws -> Set<Int64> {
        try await idSet("""
            SELECT a.id FROM sync.core_alerts a
            CROSS JOIN LATERAL (SELECT split_part(a.subject, ':', 1) AS table_name,
                                       substr(a.subject, strpos(a.subject, ':') + 1) AS row_key) s
            WHERE a.id = ANY(\(ids)) AND strpos(a.subject, ':') > 0
              AND (EXISTS (SELECT 1 FROM sync.data_events e
                           WHERE e.table_name = s.table_name AND e.row_key = s.row_key
                             AND e.status = 'Sent' AND e.handled_at > a.created_at)
                   OR EXISTS (SELECT 1 FROM sync.data_events_archive e
                              WHERE e.table_name = s.table_name AND e.row_key = s.row_key
                                AND e.status = 'Sent' AND e.handled_at > a.created_at))
            """)
    }

    /// Of these Failure alerts of failed jobs, those after which a job of the same kind completed.
    public func followedByCompletedJob(_ ids: [Int64]) async throws -> Set<Int64> {
        try await idSet("""
            SELECT a.id FROM sync.core_alerts a
            WHERE a.id = ANY(\(ids)) AND a.arguments ? 'kind'
              AND EXISTS (SELECT 1 FROM queue.jobs j
                          WHERE j.kind = a.arguments ->> 'kind' AND j.state = 'completed' AND j.finished_at > a.created_at)
            """)
    }

    /// The SIS students that hold one of these ASNs or are matched with one.
    public func studentIDs(holdingOrMatchedTo asns: [String]) async throws -> [Int] {
        let rows = try await client.query("""
            SELECT id FROM sis.students WHERE asn = ANY(CAST(\(asns) AS char(9)[]))
            UNION SELECT student_id FROM sync.student_matches WHERE asn = ANY(CAST(\(asns) AS char(9)[]))
            ORDER BY 1
            """, logger: logger)
        var ids: [Int] = []
        for try await id in rows.decode(Int.self) { ids.append(id) }
        return ids
    }

    /// The student of each of these SIS enrolments that still exists.
    public func studentIDs(ofEnrolments ids: [Int]) async throws -> [Int: Int] {
        let rows = try await client.query(
            "SELECT id, student_id FROM sis.enrolments WHERE id = ANY(\(ids))", logger: logger)
        var students: [Int: Int] = [:]
        for try await (enrolment, student) in rows.decode((Int, Int).self) { students[enrolment] = student }
        return students
    }

    /// Resolves these alerts (those still open); acknowledgements stay as they were.
    /// - Returns: How many were resolved.
    @discardableResult
    public func resolve(_ ids: [Int64]) async throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let rows = try await client.query("""
            WITH done AS (UPDATE sync.core_alerts SET resolved_at = now(), updated_at = now()
                          WHERE id = ANY(\(ids)) AND resolved_at IS NULL RETURNING 1)
            SELECT count(*)::int FROM done
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    private func idSet(_ query: PostgresQuery) async throws -> Set<Int64> {
        let rows = try await client.query(query, logger: logger)
        var ids: Set<Int64> = []
        for try await id in rows.decode(Int64.self) { ids.insert(id) }
        return ids
    }
}
