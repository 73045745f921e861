internal import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// The RefId this client chose for one uploaded SIS row, and PASI's version once PASI accepted it.
public struct UploadRecordState: Sendable, Hashable {
    public let refId: RefId
    /// `nil` while PASI has not accepted the record.
    public let pasiVersion: Int64?
}

/// What PASI (or this client) made of one uploaded row.
public struct UploadOutcome: Sendable, Hashable {
    public let sisID: Int
    /// PASI's version when accepted.
    public let pasiVersion: Int64?
    /// The reason when refused.
    public let rejection: String?

    public init(sisID: Int, pasiVersion: Int64?, rejection: String?) {
        self.sisID = sisID
        self.pasiVersion = pasiVersion
        self.rejection = rejection
    }
}

/// The counts of one upload's rows.
public struct UploadCounts: Sendable, Hashable {
    public var total = 0
    /// Accepted by PASI in this run, or already before it.
    public var accepted = 0
    public var alreadyAccepted = 0
    /// Refused by PASI, or not sent because the record could not be built.
    public var rejected = 0
    public var notSent = 0

    public init(total: Int = 0, accepted: Int = 0, alreadyAccepted: Int = 0, rejected: Int = 0, notSent: Int = 0) {
        self.total = total
        self.accepted = accepted
        self.alreadyAccepted = alreadyAccepted
        self.rejected = rejected
        self.notSent = notSent
    }
}

/// The Initial Upload's side of the database (migration 0015): the school's SIS sections, course
/// enrolments and final stored grades as it reads them, the RefIds it chose for them
/// (`sync.initial_upload_records`), and the uploads that completed (`sync.initial_uploads`).
public struct InitialUploadStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The ids of the school's rows an upload of `type` sends (every year), in order: sections,
    /// course enrolments, or the stored grades ``storedGrades(schoolCode:ids:)`` reads.
    public func rowIDs(_ type: RecordType, schoolCode: String) async throws -> [Int] {
        let query: PostgresQuery = switch type {
        case .section: """
            SELECT s.id FROM sis.sections s JOIN sis.schools sc ON sc.id = s.school_id WHERE sc.school_code = \(schoolCode) ORDER BY s.id
            """
        case .courseEnrolment: """
            SELECT ce.id FROM sis.course_enrolments ce JOIN sis.schools sc ON sc.id = ce.school_id
            WHERE sc.school_code = \(schoolCode) ORDER BY ce.id
            """
        default: """
            SELECT g.id FROM sis.stored_grades g JOIN sis.schools sc ON sc.id = g.school_id
            LEFT JOIN sis.sections s ON s.id = g.section_id LEFT JOIN sis.terms t ON t.id = s.term_id
            WHERE sc.school_code = \(schoolCode) AND (g.section_id IS NULL OR g.store_code = t.final_mark_store_code)
            ORDER BY g.id
            """
        }
        var ids: [Int] = []
        for try await id in try await client.query(query, logger: logger).decode(Int.self) { ids.append(id) }
        return ids
    }

    /// These sections of the school (of any school when `schoolCode` is `nil`: regular
    /// synchronization), with their term's Alternate Term Code and First Day.
    public func sections(schoolCode: String?, ids: [Int]) async throws -> [UploadSection] {
        let rows = try await client.query("""
            SELECT s.id, sc.school_code::text, t.school_year, s.course_number, s.credits_offered, t.alternate_term_code,
                   to_char(t.first_day, 'YYYY-MM-DD')
            FROM sis.sections s JOIN sis.schools sc ON sc.id = s.school_id JOIN sis.terms t ON t.id = s.term_id
            WHERE (\(schoolCode)::text IS NULL OR sc.school_code = \(schoolCode)) AND s.id = ANY(\(ids)::int[])
            ORDER BY s.id
            """, logger: logger)
        var out: [UploadSection] = []
        for try await (id, school, year, course, credits, term, first) in rows.decode((Int, String, Int, String, Int?, String?, String).self) {
            out.append(UploadSection(id: id, schoolCode: school, sisStartYear: year, courseNumber: course, creditsOffered: credits,
                                     alternateTermCode: term, firstDay: first))
        }
        return out
    }

    /// These course enrolments (CC) of the school (of any school when `schoolCode` is `nil`), with
    /// the student's ASN.
    public func courseEnrolments(schoolCode: String?, ids: [Int]) async throws -> [UploadCourseEnrolment] {
        let rows = try await client.query("""
            SELECT ce.id, ce.section_id, sc.school_code::text, t.school_year, s.course_number, st.asn::text,
                   to_char(ce.date_enrolled, 'YYYY-MM-DD'), to_char(ce.date_left, 'YYYY-MM-DD'), ce.status, ce.credits_attempted
            FROM sis.course_enrolments ce
            JOIN sis.sections s ON s.id = ce.section_id JOIN sis.terms t ON t.id = s.term_id
            JOIN sis.schools sc ON sc.id = ce.school_id JOIN sis.students st ON st.id = ce.student_id
            WHERE (\(schoolCode)::text IS NULL OR sc.school_code = \(schoolCode)) AND ce.id = ANY(\(ids)::int[])
            ORDER BY ce.id
            """, logger: logger)
        var out: [UploadCourseEnrolment] = []
        for try await (id, section, school, year, course, asn, enrolled, left, status, credits)
            in rows.decode((Int, Int, String, Int, String, String?, String, String?, String, Int?).self) {
            out.append(UploadCourseEnrolment(id: id, sectionID: section, schoolCode: school, sisStartYear: year, courseNumber: course,
                                             asn: asn, dateEnrolled: enrolled, dateLeft: left, status: status, creditsAttempted: credits))
        }
        return out
    }

    /// These stored grades of the school, as evaluated marks: an upload sends every stored grade
    /// under its section's term's Final Mark Store Code (the final mark, not a progress mark), and
    /// every stored grade without a section (``rowIDs(_:schoolCode:)``). Of any school when
    /// `schoolCode` is `nil` (regular synchronization, which asks ``finalMarkIDs(_:)`` which are final).
    public func storedGrades(schoolCode: String?, ids: [Int]) async throws -> [UploadStoredGrade] {
        let rows = try await client.query("""
            SELECT g.id, sc.school_code::text, g.school_year, g.course_number, st.asn::text, g.mark, g.earned_credits,
                   to_char(t.last_day, 'YYYY-MM-DD')
            FROM sis.stored_grades g
            JOIN sis.schools sc ON sc.id = g.school_id JOIN sis.students st ON st.id = g.student_id
            LEFT JOIN sis.sections s ON s.id = g.section_id LEFT JOIN sis.terms t ON t.id = s.term_id
            WHERE (\(schoolCode)::text IS NULL OR sc.school_code = \(schoolCode)) AND g.id = ANY(\(ids)::int[])
            ORDER BY g.id
            """, logger: logger)
        var out: [UploadStoredGrade] = []
        for try await (id, school, year, course, asn, mark, credits, last)
            in rows.decode((Int, String, Int, String, String?, Int?, Int?, String?).self) {
            out.append(UploadStoredGrade(id: id, schoolCode: school, sisStartYear: year, courseNumber: course, asn: asn,
                                         mark: mark, earnedCredits: credits, termLastDay: last))
        }
        return out
    }

    /// The RefIds of these rows of `type`, choosing a new GUID for each row that has none yet.
    /// - Parameters:
    ///   - type: `Section`, `CourseEnrolment` or `EvaluatedMark`.
    ///   - ids: The SIS rows' ids.
    /// - Returns: Every row's RefId and PASI's version once accepted.
    public func records(_ type: RecordType, ids: [Int], schoolCode: String, jobID: Int64?) async throws -> [Int: UploadRecordState] {
        let rows = try await client.query("""
            WITH wanted AS (SELECT DISTINCT unnest(\(ids)::int[]) AS sis_id),
            made AS (
                INSERT INTO sync.initial_upload_records (record_type, sis_id, school_code, job_id)
                SELECT \(type.rawValue), sis_id, \(schoolCode), \(jobID) FROM wanted
                ON CONFLICT (record_type, sis_id) DO NOTHING
                RETURNING sis_id, ref_id, pasi_version)
            SELECT sis_id, ref_id::text, pasi_version FROM made
            UNION ALL
            SELECT r.sis_id, r.ref_id::text, r.pasi_version FROM sync.initial_upload_records r JOIN wanted w USING (sis_id)
            WHERE r.record_type = \(type.rawValue)
            """, logger: logger)
        var out: [Int: UploadRecordState] = [:]
        for try await (id, ref, version) in rows.decode((Int, String, Int64?).self) {
            let refId = try RowReader(table: "sync.initial_upload_records", key: String(id)).read { () throws(PASIModelError) in try RefId(ref) }
            out[id] = UploadRecordState(refId: refId, pasiVersion: version)
        }
        return out
    }

    /// The RefIds of the sections PASI accepted, by SIS section id.
    public func acceptedSectionRefIds(sectionIDs: [Int]) async throws -> [Int: RefId] {
        let rows = try await client.query("""
            SELECT sis_id, ref_id::text FROM sync.initial_upload_records
            WHERE record_type = 'Section' AND pasi_version IS NOT NULL AND sis_id = ANY(\(sectionIDs)::int[])
            """, logger: logger)
        var out: [Int: RefId] = [:]
        for try await (id, ref) in rows.decode((Int, String).self) {
            out[id] = try RowReader(table: "sync.initial_upload_records", key: String(id)).read { () throws(PASIModelError) in try RefId(ref) }
        }
        return out
    }

    /// Marks these rows as looked at by the upload `run` (sent, or found already accepted), in
    /// the caller's transaction: the run's report counts them.
    public func seen(_ type: RecordType, ids: [Int], run: Int64, on connection: PostgresConnection) async throws {
        try await connection.query("""
            UPDATE sync.initial_upload_records SET last_run = \(run)
            WHERE record_type = \(type.rawValue) AND sis_id = ANY(\(ids)::int[])
            """, logger: logger)
    }

    /// Keeps what PASI made of these rows, in the caller's transaction.
    public func note(_ outcomes: [UploadOutcome], type: RecordType, jobID: Int64?, on connection: PostgresConnection) async throws {
        struct Row: Encodable { let sis_id: Int, pasi_version: Int64?, rejection: String? }
        let json = String(decoding: try JSONEncoder().encode(outcomes.map {
            Row(sis_id: $0.sisID, pasi_version: $0.pasiVersion, rejection: $0.rejection)
        }), as: UTF8.self)
        try await connection.query("""
            UPDATE sync.initial_upload_records r
            SET pasi_version = o.pasi_version, rejection = o.rejection, job_id = \(jobID), updated_at = now()
            FROM jsonb_to_recordset(\(json)::jsonb) AS o (sis_id integer, pasi_version bigint, rejection text)
            WHERE r.record_type = \(type.rawValue) AND r.sis_id = o.sis_id
            """, logger: logger)
    }

    /// What became of the rows the upload `run` looked at.
    public func tally(_ type: RecordType, run: Int64) async throws -> UploadCounts {
        let rows = try await client.query("""
            SELECT count(*)::int, count(*) FILTER (WHERE pasi_version IS NOT NULL)::int,
                   count(*) FILTER (WHERE pasi_version IS NOT NULL AND job_id IS DISTINCT FROM \(run))::int,
                   count(*) FILTER (WHERE pasi_version IS NULL)::int,
                   count(*) FILTER (WHERE pasi_version IS NULL AND rejection LIKE 'not sent:%')::int
            FROM sync.initial_upload_records WHERE record_type = \(type.rawValue) AND last_run = \(run)
            """, logger: logger)
        for try await (total, accepted, already, rejected, notSent) in rows.decode((Int, Int, Int, Int, Int).self) {
            return UploadCounts(total: total, accepted: accepted, alreadyAccepted: already, rejected: rejected, notSent: notSent)
        }
        return UploadCounts()
    }

    /// Whether an upload of the seed's `uploadType` ("Sections") completed for the school.
    public func completed(uploadType: String, schoolCode: String) async throws -> Bool {
        let rows = try await client.query("""
            SELECT EXISTS (SELECT 1 FROM sync.initial_uploads WHERE school_code = \(schoolCode) AND upload_type = \(uploadType))
            """, logger: logger)
        for try await done in rows.decode(Bool.self) { return done }
        return false
    }

    /// Records a completed upload, in the caller's transaction.
    public func complete(uploadType: String, schoolCode: String, jobID: Int64?, accepted: Int, rejected: Int,
                         on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO sync.initial_uploads (school_code, upload_type, job_id, accepted, rejected)
            VALUES (\(schoolCode), \(uploadType), \(jobID), \(accepted)::int, \(rejected)::int)
            """, logger: logger)
    }
}
