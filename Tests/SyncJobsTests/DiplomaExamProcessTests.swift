import DistrictSynthesis
import Foundation
import JobQueue
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// Synchronizing Diploma Exam Courses and the Diploma Exam and Official Marks Updates, on real
/// workers against the simulator over HTTPS: the DER Initial Download, `pasisync validate
/// diploma-sections`, and the exam marks updates' seven criteria.
@Suite("Diploma exams: DER Initial Download, diploma section validations, Exam Marks Updates", .serialized)
struct DiplomaExamProcessTests {
    typealias Ready = GettingReadyProcessTests

    static func prepare(_ fixture: SimulatorFixture, historical: Int = 2) async throws {
        try await Ready.firstDay(fixture)
        do {
            let settings = SettingsStore(client: fixture.database.client, logger: TestEnvironment.logger)
            _ = try await settings.set("historical_years_diploma_exam", to: String(historical), by: "test")
        } catch { throw TestFailure(String(reflecting: error)) }
    }

    /// The fixture, with a database error's details in the failure.
    static func with(students: Int, _ body: @escaping @Sendable (SimulatorFixture) async throws -> Void) async throws {
        try await SimulatorFixture.with(students: students) { fixture in
            do { try await body(fixture) } catch let error as TestFailure { throw error } catch { throw TestFailure(String(reflecting: error)) }
        }
    }

    static func count(_ database: TestDatabase, _ query: PostgresQuery) async throws -> Int {
        try await database.scalar(query, as: Int.self)
    }

    static func insertJob(_ database: TestDatabase, _ kind: String) async throws -> Int64 {
        try await database.scalar("INSERT INTO queue.jobs (kind) VALUES (\(kind)) RETURNING id", as: Int64.self)
    }

    static func completed(_ database: TestDatabase, _ id: Int64) async throws {
        try await eventually(within: .seconds(60), "job \(id) to complete") {
            let state = try await Ready.state(database, id)
            if state == "failed" { throw TestFailure("job \(id) failed: \(try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(id)", as: String.self))") }
            return state == "completed"
        }
    }

    @Test("DER Initial Download from `pasisync run --wait` and from psql: the three types of every year equal PASI's, progress per type")
    func derDownload() async throws {
        try await Self.with(students: 300) { fixture in
            let database = fixture.database
            try await Self.prepare(fixture)
            let province = fixture.province
            let exams = await province.count(of: .diplomaExam)
            let sittings = await province.count(of: .diplomaExamSitting)
            let marks = await province.count(of: .diplomaExamMark)
            #expect(exams > 0 && sittings > 0 && marks > 0)
            try await withWorkers(2, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                let (status, output) = try await SyncJobProcessTests.command(["run", "der-download", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.diploma_exams") == exams)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.diploma_exam_sittings") == sittings)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.diploma_exam_marks") == marks)
                // The marks came with PASI's official mark and credits.
                let some = try #require(await province.all(DiplomaExamMark.self).first)
                #expect(try await database.scalar("SELECT official_mark FROM pasi.diploma_exam_marks WHERE ref_id = \(some.refId.value)::uuid", as: Int.self)
                        == some.officialMark)
                let job = try await Ready.lastJob(database, kind: "der_download")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "DER Initial Download")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                let year = fixture.generator.currentSchoolYear.endYear
                let currentMarks = await province.all(DiplomaExamMark.self).filter { $0.schoolYear.endYear == year }.count
                #expect(message.contains("DiplomaExamMark.\(year) \(currentMarks) of \(currentMarks)"), "\(message)")
                #expect(message.contains("DiplomaExam.\(year)") && message.contains("DiplomaExamSitting.\(year)"), "\(message)")
                #expect(try await Self.count(database, "SELECT count(*)::int FROM sync.download_progress WHERE job_id = \(job) AND done <> items") == 0)

                // From psql, with no history: only the current year; a PASI change since is brought in.
                try await database.execute("UPDATE sync.settings SET value = '0' WHERE key = 'historical_years_diploma_exam'")
                var changed = some
                changed.examMark = some.examMark == 99 ? 98 : 99
                _ = await province.change(changed)
                let again = try await Self.insertJob(database, "der_download")
                try await Self.completed(database, again)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM sync.download_batches WHERE root_job_id = \(again) AND notification_type NOT LIKE '%.' || \(String(year))") == 0)
                #expect(try await database.scalar("SELECT exam_mark FROM pasi.diploma_exam_marks WHERE ref_id = \(some.refId.value)::uuid", as: Int.self)
                        == (some.schoolYear.endYear == year ? changed.examMark : some.examMark))
            }
        }
    }

    @Test("validate diploma-sections: a diploma course not marked Yes, sections without an Exam Registration Date or Writing Center; clean once fixed")
    func validateDiplomaSections() async throws {
        try await Self.with(students: 60) { fixture in
            let database = fixture.database
            try await Self.prepare(fixture)
            var (status, output) = try await SyncJobProcessTests.command(["validate", "diploma-sections"], database)
            #expect(status == 0 && output.contains("No validations"), "\(output)")

            // PASI says Mathematics 31 is a diploma course; the SIS says No. Biology 30 is taught as one but says No.
            let store = PASIStore(client: database.client, logger: TestEnvironment.logger)
            _ = try await store.upsert(try Course(code: "MAT3211", name: "Mathematics 31", credits: 5, isDiplomaCourse: true, pasiCoreVersion: 5))
            try await database.execute("UPDATE sis.courses SET is_diploma_course = false WHERE course_number = 'SCN3230'")
            let noDate = try await database.scalar("SELECT min(id) FROM sis.sections WHERE course_number = 'ELA3104'", as: Int.self)
            let noCentre = try await database.scalar("SELECT max(id) FROM sis.sections WHERE course_number = 'MAT3791'", as: Int.self)
            try await database.execute("UPDATE sis.sections SET exam_registration_date = NULL WHERE id = \(noDate)")
            try await database.execute("UPDATE sis.sections SET exam_writing_centre = '  ' WHERE id = \(noCentre)")
            (status, output) = try await SyncJobProcessTests.command(["validate", "diploma-sections"], database)
            #expect(status == 1, "\(output)")
            #expect(output.contains("[DIPLOMA_COURSE_NOT_YES]") && output.contains("SCN3230") && output.contains("MAT3211"), "\(output)")
            #expect(output.contains("confirm that the Diploma Course field is set to Yes"), "\(output)")
            #expect(output.contains("[EXAM_REGISTRATION_DATE_MISSING]") && output.contains("[EXAM_WRITING_CENTER_MISSING]"), "\(output)")
            #expect(output.contains("ensure there is a value in the Exam Registration Date and Exam Writing Center fields"), "\(output)")
            #expect(output.contains(" \(noDate) ") && output.contains(" \(noCentre) "), "\(output)")
            let mathSections = try await Self.count(database, "SELECT count(*)::int FROM sis.sections WHERE course_number = 'MAT3211'")
            #expect(output.contains("Exam Registration Date (\(1 + mathSections) incident"), "\(output)")

            // The school level lists only its own sections: a school without any has none to fix.
            let other = try await database.scalar("SELECT min(school_code)::text FROM sis.schools WHERE NOT is_high_school", as: String.self)
            (status, output) = try await SyncJobProcessTests.command(["validate", "diploma-sections", "--school", other], database)
            #expect(status == 0 && output.contains("No validations") && !output.contains(" \(noDate) "), "\(output)")

            try await database.execute("UPDATE sis.courses SET is_diploma_course = true WHERE course_number IN ('SCN3230', 'MAT3211')")
            try await database.execute("""
                UPDATE sis.sections SET exam_registration_date = '2026-03-01', exam_writing_centre = 'W01'
                WHERE id = \(noDate) OR id = \(noCentre) OR course_number = 'MAT3211'
                """)
            (status, output) = try await SyncJobProcessTests.command(["validate", "diploma-sections"], database)
            #expect(status == 0 && output.contains("No validations"), "\(output)")
        }
    }

    /// Gives SIS course enrolments their record in the local copy, as the Initial Upload and the
    /// course enrolment synchronization leave it: the RefId this client chose and PASI's record.
    static func intoLocalCopy(_ database: TestDatabase, _ ids: [Int]) async throws {
        try await database.execute("""
            WITH r AS (
                INSERT INTO sync.initial_upload_records (record_type, sis_id, school_code, pasi_version)
                SELECT 'CourseEnrolment', ce.id, s.school_code, 1 FROM sis.course_enrolments ce JOIN sis.schools s ON s.id = ce.school_id
                WHERE ce.id = ANY(\(ids))
                RETURNING sis_id, ref_id
            )
            INSERT INTO pasi.course_enrolments (ref_id, pasi_core_version, asn, section_ref_id, school_code, school_year, course_code, entry_date, status)
            SELECT r.ref_id, 1, st.asn, gen_random_uuid(), s.school_code, t.school_year + 1, sc.course_number, ce.date_enrolled, 'Completed'
            FROM r JOIN sis.course_enrolments ce ON ce.id = r.sis_id JOIN sis.students st ON st.id = ce.student_id
            JOIN sis.sections sc ON sc.id = ce.section_id JOIN sis.terms t ON t.id = sc.term_id JOIN sis.schools s ON s.id = ce.school_id
            """)
    }

    /// Every stored grade as text, to see that a run changed nothing.
    static func grades(_ database: TestDatabase) async throws -> String {
        try await database.scalar("""
            SELECT coalesce(string_agg(concat_ws('|', id, student_id, section_id, store_code, mark, diploma_exam_mark, official_mark,
                                                 earned_credits, is_diploma_mark), ',' ORDER BY id), '') FROM sis.stored_grades
            """, as: String.self)
    }

    /// The stored grade of a course enrolment under its term's Final Mark Store Code.
    static func grade(_ database: TestDatabase, _ enrolment: Int) async throws -> String {
        try await database.scalar("""
            SELECT coalesce((SELECT concat_ws('|', g.mark, g.diploma_exam_mark, g.official_mark, g.earned_credits, g.is_diploma_mark)
                             FROM sis.stored_grades g WHERE g.student_id = ce.student_id AND g.section_id = ce.section_id
                               AND g.store_code = t.final_mark_store_code), 'none')
            FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id JOIN sis.terms t ON t.id = sc.term_id
            WHERE ce.id = \(enrolment)
            """, as: String.self)
    }

    /// PASI's mark for a course enrolment, as the stored grade would hold it: exam|official|credits.
    static func pasiMark(_ database: TestDatabase, _ enrolment: Int) async throws -> String {
        try await database.scalar("""
            SELECT concat_ws('|', m.exam_mark, m.official_mark, m.credits_awarded)
            FROM sis.course_enrolments ce JOIN sis.students st ON st.id = ce.student_id JOIN sis.sections sc ON sc.id = ce.section_id
            JOIN sis.terms t ON t.id = sc.term_id
            JOIN pasi.diploma_exam_marks m ON m.asn = st.asn AND m.course_code = sc.course_number AND m.school_year = t.school_year + 1
            WHERE ce.id = \(enrolment) ORDER BY m.pasi_core_version DESC LIMIT 1
            """, as: String.self)
    }

    @Test("Exam Marks Updates change exactly the enrolments meeting the seven criteria; credits only with Allow Credit Update; a second run changes nothing; a later PASI update is applied")
    func examMarksUpdates() async throws {
        try await Self.with(students: 300) { fixture in
            let database = fixture.database
            try await Self.prepare(fixture, historical: 1)
            let current = fixture.generator.currentSchoolYear
            // Course enrolments of distinct students (the criteria are per student and course).
            let candidates = try await database.scalar("""
                SELECT string_agg(id::text, ',' ORDER BY id) FROM (
                    SELECT DISTINCT ON (ce.student_id) ce.id FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id
                    JOIN sis.terms t ON t.id = sc.term_id JOIN sis.courses c ON c.course_number = sc.course_number
                    JOIN sis.students st ON st.id = ce.student_id
                    WHERE c.is_diploma_course AND t.school_year = \(current.endYear - 1)::int AND st.asn NOT LIKE '9%'
                    ORDER BY ce.student_id, ce.id) x
                """, as: String.self).split(separator: ",").compactMap { Int($0) }
            try #require(candidates.count >= 8, "\(candidates.count) current diploma course enrolments")
            let (good, withGrade, noLocal, noASN, active, deleted, psUpdated, later) = (
                candidates[0], candidates[1], candidates[2], candidates[3], candidates[4], candidates[5], candidates[6], candidates[7])
            let used = Array(candidates[0..<8])
            // Not the current school year: the same student in last year's section of the course, with PASI's mark for that year.
            let pastYear = try await database.scalar("""
                INSERT INTO sis.course_enrolments (section_id, school_id, student_id, date_enrolled, status)
                SELECT p.id, p.school_id, ce.student_id, t.first_day, 'Active'
                FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id
                JOIN sis.sections p ON p.course_number = sc.course_number AND p.school_id = sc.school_id
                JOIN sis.terms t ON t.id = p.term_id AND t.school_year = \(current.endYear - 2)::int
                WHERE ce.id = \(good) ORDER BY p.id LIMIT 1
                RETURNING id
                """, as: Int.self)
            let goodASN = try await database.scalar(
                "SELECT st.asn::text FROM sis.course_enrolments ce JOIN sis.students st ON st.id = ce.student_id WHERE ce.id = \(good)", as: String.self)
            let goodCourse = try await database.scalar(
                "SELECT sc.course_number FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id WHERE ce.id = \(good)", as: String.self)
            _ = await fixture.province.change(try DiplomaExamMark(
                refId: .random(), asn: ASN(goodASN, checkDigit: .ignored), courseCode: goodCourse, schoolYear: try #require(current.previous),
                examMark: 55, officialMark: 60, creditsAwarded: 5))
            // Not a diploma course, for which PASI holds a mark all the same.
            let notDiploma = try await database.scalar("""
                SELECT min(ce.id) FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id
                JOIN sis.terms t ON t.id = sc.term_id JOIN sis.students st ON st.id = ce.student_id
                JOIN sis.courses c ON c.course_number = sc.course_number
                WHERE NOT c.is_diploma_course AND t.school_year = \(current.endYear - 1)::int AND st.asn NOT LIKE '9%'
                  AND ce.student_id NOT IN (SELECT student_id FROM sis.course_enrolments WHERE id = ANY(\(used)))
                """, as: Int.self)
            let notDiplomaCourse = try await database.scalar(
                "SELECT sc.course_number FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id WHERE ce.id = \(notDiploma)", as: String.self)
            let notDiplomaASN = try await database.scalar(
                "SELECT st.asn::text FROM sis.course_enrolments ce JOIN sis.students st ON st.id = ce.student_id WHERE ce.id = \(notDiploma)", as: String.self)
            _ = await fixture.province.change(try DiplomaExamMark(
                refId: .random(), asn: ASN(notDiplomaASN, checkDigit: .ignored), courseCode: notDiplomaCourse, schoolYear: current,
                examMark: 77, officialMark: 80, creditsAwarded: 5))

            try await withWorkers(2, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                var (status, output) = try await SyncJobProcessTests.command(["run", "der-download", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")

                // Off: the job refuses once, with the seed's words.
                let refused = try await Self.insertJob(database, "exam_marks_update")
                try await eventually(within: .seconds(30), "the refusal") { try await Ready.state(database, refused) == "failed" }
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(refused)", as: Int.self) == 1)
                #expect(try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(refused)", as: String.self)
                        .contains("Diploma Exam and Official Mark Synchronization must be active in order for this process to run."))
                try await database.execute("""
                    UPDATE sync.settings SET value = 'on' WHERE key IN ('diploma_exam_synchronization', 'diploma_exam_mark_synchronization',
                        'diploma_exam_sitting_synchronization', 'diploma_exam_mark_dcf_event', 'diploma_exam_sitting_dcf_event')
                    """)

                // Every case meets every criterion but one.
                try await Self.intoLocalCopy(database, [good, withGrade, noASN, active, deleted, psUpdated, later, pastYear, notDiploma])
                try await database.execute("UPDATE sis.course_enrolments SET status = 'Completed' WHERE id = ANY(\([good, withGrade, noLocal, noASN, deleted, psUpdated, pastYear, notDiploma]))")
                try await database.execute("UPDATE sis.students SET asn = NULL WHERE id = (SELECT student_id FROM sis.course_enrolments WHERE id = \(noASN))")
                try await database.execute("""
                    DELETE FROM pasi.course_enrolments WHERE ref_id = (SELECT ref_id FROM sync.initial_upload_records
                                                                      WHERE record_type = 'CourseEnrolment' AND sis_id = \(deleted))
                    """)
                // A school-awarded mark already stored (left alone), and one a person set (PS_UPDATED).
                for (enrolment, psUpdate) in [(withGrade, false), (psUpdated, true)] {
                    try await database.execute("""
                        INSERT INTO sis.stored_grades (student_id, school_id, course_number, section_id, store_code, school_year, mark, earned_credits, is_diploma_mark)
                        SELECT ce.student_id, ce.school_id, sc.course_number, sc.id, t.final_mark_store_code, t.school_year, 71, 3, \(psUpdate)
                        FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id JOIN sis.terms t ON t.id = sc.term_id
                        WHERE ce.id = \(enrolment)
                        """)
                }
                let unchanged = [noLocal, noASN, active, deleted, psUpdated, pastYear, notDiploma]
                var before: [Int: String] = [:]
                for enrolment in unchanged { before[enrolment] = try await Self.grade(database, enrolment) }

                // The grades come from PASI: with Event Monitoring on and the school Active, writing them
                // makes no data event (nothing goes back to PASI).
                // (Active only after its Initial Upload: the upload is written down as done.)
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'event_monitoring'")
                try await database.execute("""
                    INSERT INTO sync.initial_uploads (school_code, upload_type, accepted, rejected)
                    SELECT s.school_code, t, 0, 0 FROM sis.schools s, unnest(ARRAY['Sections', 'Course Enrollments', 'Evaluated Marks']) AS t
                    WHERE s.id = (SELECT school_id FROM sis.course_enrolments WHERE id = \(good))
                    """)
                try await database.execute("""
                    UPDATE sis.schools SET course_mark_integration_status = 'Active'
                    WHERE id = (SELECT school_id FROM sis.course_enrolments WHERE id = \(good))
                    """)
                (status, output) = try await SyncJobProcessTests.command(["run", "exam-marks-update", "--wait"], database)
                #expect(status == 0, "\(output)")
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events WHERE table_name = 'sis.stored_grades'", as: Int.self) == 0)
                let (examG, officialG, _) = Self.split(try await Self.pasiMark(database, good))
                #expect(try await Self.grade(database, good) == "\(examG)|\(officialG)|t", "credits left alone with Allow Credit Update off")
                let (examW, officialW, _) = Self.split(try await Self.pasiMark(database, withGrade))
                #expect(try await Self.grade(database, withGrade) == "71|\(examW)|\(officialW)|3|t")
                for enrolment in unchanged {
                    #expect(try await Self.grade(database, enrolment) == before[enrolment], "course enrolment \(enrolment) changed")
                }
                let job = try await Ready.lastJob(database, kind: "exam_marks_update")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "Exam Marks Updates")
                #expect(try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                        .contains("2 stored grade(s) updated"))

                // Nothing new from PASI: a second run (from psql) changes nothing.
                let snapshot = try await Self.grades(database)
                try await database.execute("UPDATE sis.course_enrolments SET status = 'Completed' WHERE id = \(later)")
                let second = try await Self.insertJob(database, "exam_marks_update")
                try await Self.completed(database, second)
                #expect(try await Self.grades(database) == snapshot)
                #expect(try await database.scalar("SELECT marks_read FROM sync.exam_marks_updates WHERE job_id = \(second)", as: Int.self) == 0)

                // PASI updates one mark after that run; with Allow Credit Update on, the next run applies it, credits included.
                let asn = try await database.scalar(
                    "SELECT st.asn::text FROM sis.course_enrolments ce JOIN sis.students st ON st.id = ce.student_id WHERE ce.id = \(later)", as: String.self)
                let course = try await database.scalar(
                    "SELECT sc.course_number FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id WHERE ce.id = \(later)", as: String.self)
                var mark = try #require(await fixture.province.all(DiplomaExamMark.self).first {
                    $0.asn.digits == asn && $0.courseCode == course && $0.schoolYear == current })
                mark.examMark = 64
                mark.officialMark = 70
                mark.creditsAwarded = 5
                _ = await fixture.province.change(mark)
                (status, output) = try await SyncJobProcessTests.command(["run", "der-download", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'allow_credit_update'")
                (status, output) = try await SyncJobProcessTests.command(["run", "exam-marks-update", "--wait"], database)
                #expect(status == 0, "\(output)")
                #expect(try await Self.grade(database, later) == "64|70|5|t")
                #expect(try await Self.grade(database, good) == "\(examG)|\(officialG)|t", "already applied (PS_UPDATED) and not updated by PASI")
                for enrolment in unchanged {
                    #expect(try await Self.grade(database, enrolment) == before[enrolment], "course enrolment \(enrolment) changed")
                }
            }
        }
    }

    /// PASI's newest diploma exam mark of a course enrolment (its student's ASN, its course, its year): its RefId.
    static func markID(_ database: TestDatabase, _ enrolment: Int) async throws -> String {
        try await database.scalar("""
            SELECT m.ref_id::text
            FROM sis.course_enrolments ce JOIN sis.students st ON st.id = ce.student_id JOIN sis.sections sc ON sc.id = ce.section_id
            JOIN sis.terms t ON t.id = sc.term_id
            JOIN pasi.diploma_exam_marks m ON m.asn = st.asn AND m.course_code = sc.course_number AND m.school_year = t.school_year + 1
            WHERE ce.id = \(enrolment) ORDER BY m.pasi_core_version DESC LIMIT 1
            """, as: String.self)
    }

    /// The local copy's version of one record (0 when it holds none).
    static func localVersion(_ database: TestDatabase, _ table: String, _ id: String) async throws -> Int64 {
        try await database.scalar(PostgresQuery(unsafeSQL: """
            SELECT coalesce((SELECT pasi_core_version FROM pasi.\(table) WHERE lower(ref_id::text) = lower($1)), 0)::bigint
            """, binds: { var binds = PostgresBindings(); binds.append(id); return binds }()), as: Int64.self)
    }

    /// A school renamed in PASI, waited for in the local store: PASI Data Available has finished
    /// the poll that carried it (a type polled then was applied before the rename it answered with
    /// reached the store, or in an earlier round).
    static func pollRound(_ fixture: SimulatorFixture, school: String, name: String) async throws {
        try await PASIDataAvailableProcessTests.post(fixture, "/change?type=School&id=\(school)&name=\(name)")
        try await eventually(within: .seconds(30), "the school renamed \(name) in the local store") {
            try await fixture.database.scalar("SELECT name FROM pasi.schools WHERE ref_id = \(school)", as: String.self) == name
        }
    }

    @Test("PASI Data Available keeps the Diploma Exam Items in step: a rescore reaches the local store, the SIS grade at the next Exam Marks Update; PS_UPDATED holds a later one; a mark read before Completed waits for PASI; each switch off, its type not downloaded")
    func regularSynchronization() async throws {
        try await Self.with(students: 60) { fixture in
            let database = fixture.database
            try await Self.prepare(fixture, historical: 1)
            let current = fixture.generator.currentSchoolYear
            // Current diploma course enrolments of distinct students, without a final stored grade yet.
            let candidates = try await database.scalar("""
                SELECT string_agg(id::text, ',' ORDER BY id) FROM (
                    SELECT DISTINCT ON (ce.student_id) ce.id FROM sis.course_enrolments ce JOIN sis.sections sc ON sc.id = ce.section_id
                    JOIN sis.terms t ON t.id = sc.term_id JOIN sis.courses c ON c.course_number = sc.course_number
                    JOIN sis.students st ON st.id = ce.student_id
                    WHERE c.is_diploma_course AND t.school_year = \(current.endYear - 1)::int AND st.asn NOT LIKE '9%'
                      AND t.final_mark_store_code IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM sis.stored_grades g WHERE g.student_id = ce.student_id AND g.section_id = sc.id
                                                                         AND g.store_code = t.final_mark_store_code)
                    ORDER BY ce.student_id, ce.id) x
                """, as: String.self).split(separator: ",").compactMap { Int($0) }
            try #require(candidates.count >= 2, "\(candidates.count) current diploma course enrolments")
            let (good, pending) = (candidates[0], candidates[1])
            let school = try await database.scalar("SELECT min(school_code)::text FROM sis.schools", as: String.self)

            try await withWorkers(1, database, slots: 4, environment: PASIDataAvailableProcessTests.environment(port: fixture.port)) { _ in
                var (status, output) = try await SyncJobProcessTests.command(["run", "der-download", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")
                try await Self.intoLocalCopy(database, [good, pending])
                try await database.execute("UPDATE sis.course_enrolments SET status = 'Completed' WHERE id = \(good)")
                try await database.execute("UPDATE sis.course_enrolments SET status = 'Active' WHERE id = \(pending)")
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await database.execute("""
                    UPDATE sync.settings SET value = 'on' WHERE key IN ('diploma_exam_synchronization', 'diploma_exam_mark_synchronization',
                        'diploma_exam_sitting_synchronization')
                    """)
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await PASIDataAvailableProcessTests.waiting(database)

                // Rescored in PASI (/admin/change): the local store has the new marks while the job long-polls.
                let goodMark = try await Self.markID(database, good)
                let pendingMark = try await Self.markID(database, pending)
                try await PASIDataAvailableProcessTests.post(fixture, "/change?type=DiplomaExamMark&id=\(goodMark)&examMark=64&officialMark=70")
                try await PASIDataAvailableProcessTests.post(fixture, "/change?type=DiplomaExamMark&id=\(pendingMark)&examMark=58&officialMark=61")
                try await eventually(within: .seconds(30), "the two rescores in pasi.diploma_exam_marks") {
                    let (goodNow, pendingNow) = (try await Self.pasiMark(database, good), try await Self.pasiMark(database, pending))
                    return goodNow.hasPrefix("64|70") && pendingNow.hasPrefix("58|61")
                }
                // Not written at once: the Exam Marks Update is what writes a stored grade.
                #expect(try await Self.grade(database, good) == "none")
                (status, output) = try await SyncJobProcessTests.command(["run", "exam-marks-update", "--wait"], database)
                #expect(status == 0, "\(output)")
                #expect(try await Self.grade(database, good) == "64|70|t")
                #expect(try await Self.grade(database, pending) == "none", "its enrolment is not Completed")

                // Completed after that run, with no new mark from PASI: the next run leaves it (the seed
                // reads the marks PASI updated since the last run). PASI rescores the written one again:
                // it reaches the local store, but PS_UPDATED is set, so the grade stays, and the run says so.
                try await database.execute("UPDATE sis.course_enrolments SET status = 'Completed' WHERE id = \(pending)")
                try await PASIDataAvailableProcessTests.post(fixture, "/change?type=DiplomaExamMark&id=\(goodMark)&examMark=66&officialMark=71")
                try await eventually(within: .seconds(30), "the second rescore in pasi.diploma_exam_marks") {
                    try await Self.pasiMark(database, good).hasPrefix("66|71")
                }
                let held = try await Self.insertJob(database, "exam_marks_update")
                try await Self.completed(database, held)
                #expect(try await Self.grade(database, good) == "64|70|t", "PS_UPDATED is set: the rescore is left alone")
                #expect(try await Self.grade(database, pending) == "none", "read before it was Completed; PASI has not updated it since")
                #expect(try await database.scalar("SELECT held_ps_updated FROM sync.exam_marks_updates WHERE job_id = \(held)", as: Int.self) == 1)
                #expect(try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(held)", as: String.self)
                        .contains("1 left alone: Transcript or Diploma Mark PS_UPDATED is set"))

                // The remedies docs/diploma-exams.md gives: clear PS_UPDATED, forget the runs; the next run
                // reads the year again and applies both (a grade still PS_UPDATED would stay as it is).
                try await database.execute("""
                    UPDATE sis.stored_grades g SET is_diploma_mark = false FROM sis.course_enrolments ce
                    WHERE ce.id = \(good) AND g.student_id = ce.student_id AND g.section_id = ce.section_id
                    """)
                try await database.execute("DELETE FROM sync.exam_marks_updates")
                (status, output) = try await SyncJobProcessTests.command(["run", "exam-marks-update", "--wait"], database)
                #expect(status == 0, "\(output)")
                #expect(try await Self.grade(database, good) == "66|71|t")
                #expect(try await Self.grade(database, pending) == "58|61|t")

                // Each switch off: a change PASI makes to its type is not downloaded (the job's next poll
                // leaves the type out); back on, it comes.
                let exam = try #require(await fixture.province.all(DiplomaExam.self).first { $0.schoolYear == current })
                let sitting = try #require(await fixture.province.all(DiplomaExamSitting.self).first { $0.schoolYear == current })
                let cases: [(String, String, String)] = [
                    ("diploma_exam_mark_synchronization", "diploma_exam_marks", goodMark),
                    ("diploma_exam_sitting_synchronization", "diploma_exam_sittings", sitting.refId.value),
                    ("diploma_exam_synchronization", "diploma_exams", exam.refId.value),
                ]
                for (round, (key, table, id)) in cases.enumerated() {
                    try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = \(key)")
                    // The poll under way when it was turned off ends; the next one reads the switches.
                    try await Self.pollRound(fixture, school: school, name: "Off\(round)A")
                    let before = try await Self.localVersion(database, table, id)
                    #expect(before > 0, "\(table) \(id) in the local store")
                    switch table {
                    case "diploma_exam_marks":
                        try await PASIDataAvailableProcessTests.post(fixture, "/change?type=DiplomaExamMark&id=\(id)&examMark=67")
                    case "diploma_exam_sittings": _ = await fixture.province.change(sitting)
                    default: _ = await fixture.province.change(exam)
                    }
                    try await Self.pollRound(fixture, school: school, name: "Off\(round)B")
                    try await Self.pollRound(fixture, school: school, name: "Off\(round)C")
                    #expect(try await Self.localVersion(database, table, id) == before, "\(key) off, yet \(table) \(id) was downloaded")
                    try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = \(key)")
                    try await Self.pollRound(fixture, school: school, name: "On\(round)")
                    try await eventually(within: .seconds(30), "\(table) \(id) downloaded once \(key) is on again") {
                        try await Self.localVersion(database, table, id) > before
                    }
                }
                #expect(try await Self.pasiMark(database, good).hasPrefix("67|71"))
            }
        }
    }

    static func split(_ text: String) -> (String, String, String) {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init) + ["", "", ""]
        return (parts[0], parts[1], parts[2])
    }
}
