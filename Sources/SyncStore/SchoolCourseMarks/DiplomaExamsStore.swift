public import Logging
public import PASIModel
public import PostgresNIO

/// What one run of the Diploma Exam and Official Marks Updates did (`sync.exam_marks_updates`).
public struct ExamMarksUpdateResult: Sendable, Hashable {
    /// The marks read were those of PASI versions above this one ...
    public let afterVersion: Int64
    /// ... and at most this one: where the next run starts.
    public let highWater: Int64
    /// Diploma exam marks of the current school year PASI updated since the last run.
    public let marksRead: Int
    /// Stored grades written (inserted or updated): the course enrolments that met every criterion.
    public let gradesUpdated: Int
    /// Of those, the ones whose earned credits were written (Allow Credit Update on).
    public let creditsUpdated: Int
    /// Marks read whose course enrolment's stored grade already has its Transcript or Diploma
    /// Mark PS_UPDATED set (criterion 7): left alone, e.g. a rescore after the grade was written.
    public let heldByPSUpdated: Int
}

/// The diploma exam side of the SIS: the facts the Diploma Exam Course Section validations read
/// (the view `sync.diploma_section_facts`), and the stored grades the Diploma Exam and
/// Official Marks Updates write from the local copy.
public struct DiplomaExamsStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The courses and sections the validations check: every diploma course (PASI's list or the
    /// SIS's) with its sections, and every section that carries diploma exam fields, of one school
    /// or of the district, from `fromSchoolYear` on (a course without sections is kept whatever the year).
    /// - Parameters:
    ///   - schoolCode: The school, or `nil` for the district.
    ///   - fromSchoolYear: The first school year whose sections are checked, or `nil` for every year.
    public func sectionFacts(schoolCode: String? = nil, fromSchoolYear: SchoolYear? = nil) async throws -> [DiplomaSectionFact] {
        let sisYear = fromSchoolYear.map { $0.endYear - 1 }
        let rows = try await client.query("""
            SELECT course_number, course_name, is_diploma_in_sis, is_diploma_in_pasi, section_id, school_code, school_year,
                   term, section_number, to_char(exam_registration_date, 'YYYY-MM-DD'), exam_writing_centre
            FROM sync.diploma_section_facts
            WHERE (section_id IS NULL AND \(schoolCode)::text IS NULL)
               OR (section_id IS NOT NULL AND (\(schoolCode)::text IS NULL OR school_code = \(schoolCode))
                   AND (\(sisYear)::int IS NULL OR school_year >= \(sisYear)::int))
            ORDER BY course_number, school_code NULLS FIRST, school_year, term, section_number, section_id
            """, logger: logger)
        var facts: [DiplomaSectionFact] = []
        for try await (course, name, inSIS, inPASI, sectionID, school, year, term, number, registration, centre)
            in rows.decode((String, String, Bool, Bool, Int?, String?, Int?, String?, String?, String?, String?).self) {
            var section: DiplomaSectionFact.Section?
            if let sectionID, let school, let year, let term, let number {
                let reader = RowReader(table: "sis.sections", key: String(sectionID))
                section = .init(
                    sectionID: sectionID, schoolCode: school,
                    schoolYear: try reader.read { () throws(PASIModelError) in try SchoolYear(sisStartYear: year) },
                    term: term, sectionNumber: number, examRegistrationDate: try reader.date(registration), examWritingCentre: centre)
            }
            facts.append(DiplomaSectionFact(courseNumber: course, courseName: name, isDiplomaInSIS: inSIS, isDiplomaInPASI: inPASI, section: section))
        }
        return facts
    }

    /// Writes the Diploma Exam Mark, the Official Mark and (when `allowCreditUpdate`) the Credits
    /// of every diploma exam mark of `schoolYear` PASI updated since the last run into the stored
    /// grade, under its term's Final Mark Store Code, of each course enrolment that meets the
    /// seed's criteria: it has a record in the local copy, is in the current school year, its
    /// student has an ASN, it is for a diploma course, its status is Completed, its record is not
    /// deleted (the local copy still holds it), and the stored grade's Transcript or Diploma Mark
    /// PS_UPDATED (`is_diploma_mark`) is not set. The grade is marked PS_UPDATED; the run and its
    /// high-water mark are written down; all in one transaction, one run at a time.
    /// - Parameters:
    ///   - schoolYear: Current School Year for Synchronization.
    ///   - allowCreditUpdate: Allow Credit Update.
    ///   - jobID: The run's job.
    public func applyExamMarks(schoolYear: SchoolYear, allowCreditUpdate: Bool, jobID: Int64?) async throws -> ExamMarksUpdateResult {
        try await client.inTransaction(logger: logger) { connection in
            // One run at a time: two would both read from the same high-water mark.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('pasisync.exam_marks_update'))", logger: logger)
            // These grades come from PASI: event monitoring must not send them back (`sync.record_data_events`).
            try await connection.query("SELECT set_config('pasisync.origin', 'pasi', true)", logger: logger)
            let after = try await Self.int64(connection.query(
                "SELECT coalesce(max(high_water), 0)::bigint FROM sync.exam_marks_updates", logger: logger))
            let high = try await Self.int64(connection.query(
                "SELECT greatest(coalesce(max(pasi_core_version), 0), \(after)::bigint)::bigint FROM pasi.diploma_exam_marks", logger: logger))
            let year = schoolYear.endYear
            let rows = try await connection.query("""
                WITH marks AS (
                    SELECT DISTINCT ON (asn, course_code) asn, course_code, school_year, exam_mark, official_mark, credits_awarded
                    FROM pasi.diploma_exam_marks
                    WHERE pasi_core_version > \(after)::bigint AND pasi_core_version <= \(high)::bigint AND school_year = \(year)::int
                    ORDER BY asn, course_code, pasi_core_version DESC
                ),
                eligible AS (
                    SELECT DISTINCT ON (ce.id) ce.student_id, ce.school_id, sc.id AS section_id, sc.course_number,
                           t.final_mark_store_code AS store_code, t.school_year, m.exam_mark, m.official_mark, m.credits_awarded
                    FROM marks m
                    JOIN sis.students s ON s.asn = m.asn                                  -- the student has an ASN
                    JOIN sis.course_enrolments ce ON ce.student_id = s.id
                    JOIN sis.sections sc ON sc.id = ce.section_id AND sc.course_number = m.course_code
                    JOIN sis.terms t ON t.id = sc.term_id AND t.school_year + 1 = m.school_year   -- the current school year
                    JOIN sis.courses c ON c.course_number = sc.course_number
                    JOIN sync.initial_upload_records r ON r.record_type = 'CourseEnrolment' AND r.sis_id = ce.id  -- a record in the local copy
                    WHERE c.is_diploma_course                                               -- a diploma course
                      AND ce.status = 'Completed'                                           -- completed
                      AND EXISTS (SELECT 1 FROM pasi.course_enrolments p WHERE p.ref_id = r.ref_id)  -- not deleted
                      AND t.final_mark_store_code IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM sis.stored_grades g                     -- PS_UPDATED is 0
                                      WHERE g.student_id = ce.student_id AND g.section_id = sc.id
                                        AND g.store_code = t.final_mark_store_code AND g.is_diploma_mark)
                    ORDER BY ce.id
                ),
                held AS (                                                                   -- PS_UPDATED is 1: left alone
                    SELECT DISTINCT m.asn, m.course_code
                    FROM marks m
                    JOIN sis.students s ON s.asn = m.asn
                    JOIN sis.course_enrolments ce ON ce.student_id = s.id
                    JOIN sis.sections sc ON sc.id = ce.section_id AND sc.course_number = m.course_code
                    JOIN sis.terms t ON t.id = sc.term_id AND t.school_year + 1 = m.school_year
                    JOIN sis.stored_grades g ON g.student_id = ce.student_id AND g.section_id = sc.id
                                            AND g.store_code = t.final_mark_store_code AND g.is_diploma_mark
                ),
                written AS (
                    INSERT INTO sis.stored_grades AS g (student_id, school_id, course_number, section_id, store_code, school_year,
                                                        diploma_exam_mark, official_mark, earned_credits, is_diploma_mark)
                    SELECT student_id, school_id, course_number, section_id, store_code, school_year, exam_mark, official_mark,
                           CASE WHEN \(allowCreditUpdate)::boolean THEN credits_awarded END, true
                    FROM eligible
                    ON CONFLICT (student_id, section_id, store_code) WHERE section_id IS NOT NULL DO UPDATE
                    SET diploma_exam_mark = EXCLUDED.diploma_exam_mark, official_mark = EXCLUDED.official_mark,
                        earned_credits = CASE WHEN \(allowCreditUpdate)::boolean THEN EXCLUDED.earned_credits ELSE g.earned_credits END,
                        is_diploma_mark = true
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM marks)::int, (SELECT count(*) FROM written)::int,
                       (SELECT count(*) FROM eligible WHERE \(allowCreditUpdate)::boolean AND credits_awarded IS NOT NULL)::int,
                       (SELECT count(*) FROM held)::int
                """, logger: logger)
            var counts = (0, 0, 0, 0)
            for try await row in rows.decode((Int, Int, Int, Int).self) { counts = row }
            try await connection.query("""
                INSERT INTO sync.exam_marks_updates (job_id, school_year, after_version, high_water, marks_read, grades_updated, credits_updated,
                                                     held_ps_updated)
                VALUES (\(jobID), \(year)::int, \(after)::bigint, \(high)::bigint, \(counts.0)::int, \(counts.1)::int, \(counts.2)::int,
                        \(counts.3)::int)
                """, logger: logger)
            return ExamMarksUpdateResult(afterVersion: after, highWater: high, marksRead: counts.0, gradesUpdated: counts.1,
                                         creditsUpdated: counts.2, heldByPSUpdated: counts.3)
        }
    }

    private static func int64(_ rows: PostgresRowSequence) async throws -> Int64 {
        for try await value in rows.decode(Int64.self) { return value }
        return 0
    }
}
