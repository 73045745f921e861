internal import Foundation
import PASIModel
public import PostgresNIO

/// An alert this client raises about one subject: a SIS student (`student:ID`), a SIS enrolment
/// (`enrolment:ID`), a PASI record no SIS record matches (`pasi-student:ASN`,
/// `pasi-enrolment:REFID`). One open alert per subject and code.
public struct SubjectAlert: Sendable, Hashable {
    public var subject: String
    public var record: AlertRecord

    public init(subject: String, record: AlertRecord) {
        self.subject = subject
        self.record = record
    }
}

/// Which open alerts of a process a run looked at: those about these SIS students, and those
/// whose subject starts with one of these prefixes (`pasi-student:`).
public struct AlertScope: Sendable, Hashable {
    public var studentIDs: [Int]
    public var subjectPrefixes: [String]

    public init(studentIDs: [Int] = [], subjectPrefixes: [String] = []) {
        self.studentIDs = studentIDs
        self.subjectPrefixes = subjectPrefixes
    }
}

extension AlertsStore {
    /// Raises what a process found in `scope` and resolves its open alerts in `scope` that it no
    /// longer finds, in the caller's transaction: an alert found again keeps its id and
    /// acknowledgement (its message and arguments are brought up to date), so a re-run raises
    /// nothing twice and clears what was fixed.
    /// - Returns: How many alerts are new, and how many were resolved.
    public func reconcile(
        _ found: [SubjectAlert], raisedBy process: String, scope: AlertScope, jobID: Int64?, on connection: PostgresConnection
    ) async throws -> (raised: Int, resolved: Int) {
        struct Row: Encodable {
            let subject: String, alert_type: String, status_type: String, conflict_type: String?, alert_code: String
            let message: String?, ref_id: String?, asn: String?, student_id: Int?, enrolment_id: Int?
            let school_code: String?, school_year: Int?, arguments: [String: String]
        }
        let rows = found.map { alert in
            let record = alert.record
            return Row(subject: alert.subject, alert_type: record.type.rawValue, status_type: record.statusType.rawValue,
                       conflict_type: record.conflictType?.rawValue, alert_code: record.alertCode, message: record.message,
                       ref_id: record.refId, asn: record.asn?.digits, student_id: record.studentID, enrolment_id: record.enrolmentID,
                       school_code: record.schoolCode?.description, school_year: record.schoolYear?.endYear,
                       arguments: record.arguments.values)
        }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let raised = try await connection.query("""
            WITH found AS (
                SELECT * FROM jsonb_to_recordset(\(json)::jsonb) AS r (subject text, alert_type text, status_type text,
                    conflict_type text, alert_code text, message text, ref_id text, asn char(9), student_id integer,
                    enrolment_id integer, school_code char(4), school_year integer, arguments jsonb)),
            written AS (
                INSERT INTO sync.core_alerts AS a (subject, raised_by, job_id, alert_type, status_type, conflict_type, alert_code,
                    message, ref_id, asn, student_id, enrolment_id, school_code, school_year, arguments)
                SELECT subject, \(process), \(jobID), alert_type, status_type, conflict_type, alert_code, message, ref_id, asn,
                       student_id, enrolment_id, school_code, school_year, arguments
                FROM found
                ON CONFLICT (subject, alert_code) WHERE resolved_at IS NULL AND subject IS NOT NULL
                DO UPDATE SET message = EXCLUDED.message, arguments = EXCLUDED.arguments, ref_id = EXCLUDED.ref_id,
                    asn = EXCLUDED.asn, school_code = EXCLUDED.school_code, school_year = EXCLUDED.school_year,
                    job_id = EXCLUDED.job_id, updated_at = now()
                RETURNING xmax = 0 AS inserted)
            SELECT count(*) FILTER (WHERE inserted) FROM written
            """, logger: logger)
        var new = 0
        for try await count in raised.decode(Int.self) { new = count }
        let subjects = found.map(\.subject)
        let codes = found.map(\.record.alertCode)
        let prefixes = scope.subjectPrefixes.map { $0.replacingOccurrences(of: "%", with: "\\%") + "%" }
        let resolved = try await connection.query("""
            WITH kept AS (SELECT * FROM unnest(\(subjects)::text[], \(codes)::text[]) AS k (subject, alert_code)),
            done AS (
                UPDATE sync.core_alerts AS a SET resolved_at = now(), updated_at = now()
                WHERE a.resolved_at IS NULL AND a.raised_by = \(process)
                  AND (a.student_id = ANY(\(scope.studentIDs)) OR a.subject LIKE ANY(\(prefixes)::text[]))
                  AND NOT EXISTS (SELECT 1 FROM kept WHERE kept.subject = a.subject AND kept.alert_code = a.alert_code)
                RETURNING 1)
            SELECT count(*) FROM done
            """, logger: logger)
        var cleared = 0
        for try await count in resolved.decode(Int.self) { cleared = count }
        return (new, cleared)
    }
}
