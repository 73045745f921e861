import Foundation
import JobQueue
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// SCM Step 5, Initial Upload, on real workers against the simulator over HTTPS: the refusals of
/// `pasisync run` and of a psql INSERT, a whole school's three types, and a rejected record.
@Suite("Initial Upload: a high school's sections, course enrolments and evaluated marks reach PASI", .serialized)
struct InitialUploadProcessTests {
    typealias Ready = GettingReadyProcessTests

    /// The SIS loaded (PASI holds the courses, no school course marks); a high school and a school
    /// that is not a high school.
    static func prepare(_ fixture: SimulatorFixture) async throws -> (highSchool: String, other: String) {
        try await Ready.firstDay(fixture)
        let database = fixture.database
        // The high school with the most course enrolments, so that every type has rows.
        let high = try await database.scalar("""
            SELECT sc.school_code::text FROM sis.schools sc LEFT JOIN sis.course_enrolments ce ON ce.school_id = sc.id
            WHERE sc.is_high_school GROUP BY sc.school_code ORDER BY count(ce.id) DESC, sc.school_code LIMIT 1
            """, as: String.self)
        let other = try await database.scalar("SELECT min(school_code)::text FROM sis.schools WHERE NOT is_high_school", as: String.self)
        return (high, other)
    }

    static func upload(_ school: String, _ type: String, _ database: TestDatabase) async throws -> (Int32?, String) {
        try await SyncJobProcessTests.command(["run", "initial-upload", "--school", school, "--type", type, "--wait"], database,
                                              within: .seconds(180))
    }

    /// A job inserted with psql, as a person without the command would.
    static func insert(_ school: String, _ type: String, _ database: TestDatabase) async throws -> Int64 {
        try await database.scalar("""
            INSERT INTO queue.jobs (kind, args) VALUES ('initial_upload', jsonb_build_object('school', \(school)::text, 'type', \(type)::text)::text::jsonb)
            RETURNING id
            """, as: Int64.self)
    }

    static func failedOnce(_ database: TestDatabase, _ id: Int64) async throws -> String {
        try await eventually(within: .seconds(30), "job \(id) to fail") { try await Ready.state(database, id) == "failed" }
        #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 1)
        return try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(id)", as: String.self)
    }

    static func count(_ database: TestDatabase, _ query: PostgresQuery) async throws -> Int {
        try await database.scalar(query, as: Int.self)
    }

    @Test("refused for a school that is not a high school, one that is Active, one whose validations fail, and course enrolments before sections")
    func refusals() async throws {
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            let (high, other) = try await Self.prepare(fixture)
            try await withWorkers(1, database, slots: 2, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                var (status, output) = try await Self.upload(other, "sections", database)
                #expect(status != 0 && output.contains("school \(other) is not a high school"), "\(output)")
                #expect(try await Self.failedOnce(database, try await Self.insert(other, "sections", database)).contains("is not a high school"))

                // Active only after an Initial Upload (sync.before_school_set_active): recorded as done, then forgotten again.
                try await database.execute("""
                    INSERT INTO sync.initial_uploads (school_code, upload_type, accepted, rejected)
                    SELECT \(high), t, 0, 0 FROM unnest(ARRAY['Sections', 'Course Enrollments', 'Evaluated Marks']) AS t
                    """)
                try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Active' WHERE school_code = \(high)")
                try await database.execute("DELETE FROM sync.initial_uploads WHERE school_code = \(high)")
                (status, output) = try await Self.upload(high, "evaluated-marks", database)
                #expect(status != 0 && output.contains("is Active; it must be set to inactive prior to the Initial Upload"), "\(output)")
                #expect(try await Self.failedOnce(database, try await Self.insert(high, "sections", database)).contains("must be set to inactive"))

                // Blank means Inactive; a term with sections and no Alternate Term Code fails the validations.
                try await database.execute("UPDATE sis.schools SET course_mark_integration_status = NULL WHERE school_code = \(high)")
                let term = try await database.scalar("""
                    SELECT min(s.term_id) FROM sis.sections s JOIN sis.schools sc ON sc.id = s.school_id WHERE sc.school_code = \(high)
                    """, as: Int.self)
                let code = try await database.scalar("SELECT alternate_term_code FROM sis.terms WHERE id = \(term)", as: String.self)
                try await database.execute("UPDATE sis.terms SET alternate_term_code = NULL WHERE id = \(term)")
                (status, output) = try await Self.upload(high, "sections", database)
                #expect(status != 0 && output.contains("PASI Data Validations of school \(high) fail (ALTERNATE_TERM_CODE_MISSING)"), "\(output)")
                #expect(try await Self.failedOnce(database, try await Self.insert(high, "sections", database)).contains("ALTERNATE_TERM_CODE_MISSING"))
                try await database.execute("UPDATE sis.terms SET alternate_term_code = \(code) WHERE id = \(term)")

                (status, output) = try await Self.upload(high, "course-enrolments", database)
                #expect(status != 0 && output.contains("all sections must be uploaded before course enrolments can be uploaded"), "\(output)")
                #expect(try await Self.failedOnce(database, try await Self.insert(high, "course-enrollments", database))
                        .contains("all sections must be uploaded"))
                (status, output) = try await Self.upload(high, "marks", database)
                #expect(status != 0 && output.contains("sections, course-enrolments or evaluated-marks"), "\(output)")
                #expect(try await Self.failedOnce(database, try await Self.insert("12", "sections", database)).contains("four-digit school code"))
                #expect(try await Self.failedOnce(database, try await Self.insert(high, "grades", database))
                        .contains("must be sections, course-enrolments or evaluated-marks, got grades"))
                // Nothing reached PASI.
                #expect(await fixture.province.count(of: .section) == 0)
                #expect(await fixture.province.count(of: .courseEnrolment) == 0)
            }
        }
    }

    @Test("a whole school: sections, then course enrolments, then evaluated marks; PASI and the local store hold what the SIS holds; a second run sends nothing")
    func fullUpload() async throws {
        try await SimulatorFixture.with(students: 600) { fixture in
            let database = fixture.database
            let (high, _) = try await Self.prepare(fixture)
            try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE school_code = \(high)")
            let sections = try await Self.count(database, "SELECT count(*)::int FROM sis.sections s JOIN sis.schools sc ON sc.id = s.school_id WHERE sc.school_code = \(high)")
            let enrolments = try await Self.count(database, "SELECT count(*)::int FROM sis.course_enrolments ce JOIN sis.schools sc ON sc.id = ce.school_id WHERE sc.school_code = \(high)")
            let marks = try await Self.count(database, "SELECT count(*)::int FROM sis.stored_grades g JOIN sis.schools sc ON sc.id = g.school_id WHERE sc.school_code = \(high)")
            #expect(sections > 0, "\(sections) sections")
            #expect(enrolments > 250, "\(enrolments) course enrolments: more than one batch")
            #expect(marks > 250, "\(marks) marks: more than one batch")
            try await withWorkers(2, database, slots: 2, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                for (type, seedName, total) in [("sections", "Sections", sections), ("course-enrolments", "Course Enrollments", enrolments),
                                                ("evaluated-marks", "Evaluated Marks", marks)] {
                    let (status, output) = try await Self.upload(high, type, database)
                    #expect(status == 0, "\(output)")
                    let job = try await Ready.lastJob(database, kind: "initial_upload")
                    #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "Initial Sync – Upload")
                    let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                    #expect(message == "Initial Upload of school \(high), \(seedName): \(total.formattedCount) in the SIS, \(total.formattedCount) accepted by PASI, 0 rejected")
                    // Fanned out: one batch job per 250 rows and the report, children of the upload.
                    #expect(try await Self.count(database, "SELECT count(*)::int FROM queue.jobs WHERE parent_id = \(job) AND kind = 'initial_upload_batch'")
                            == (total + 249) / 250)
                    #expect(try await Self.count(database, "SELECT count(*)::int FROM queue.jobs WHERE parent_id = \(job) AND kind = 'initial_upload_report'") == 1)
                }
                #expect(await fixture.province.count(of: .section) == sections)
                #expect(await fixture.province.count(of: .courseEnrolment) == enrolments)
                #expect(await fixture.province.count(of: .evaluatedMark) == marks)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.sections") == sections)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.course_enrolments") == enrolments)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM pasi.evaluated_marks") == marks)
                // Every course enrolment names a section PASI holds, by the RefId the Sections upload chose.
                let enrolled = await fixture.province.all(CourseEnrolment.self)
                let held = Set(await fixture.province.all(Section.self).map(\.refId))
                #expect(enrolled.allSatisfy { held.contains($0.sectionRefId) })
                // The local store holds PASI's versions.
                let mark = try #require(enrolled.first)
                let version = try await database.scalar(
                    "SELECT pasi_core_version FROM pasi.course_enrolments WHERE ref_id = \(mark.refId.value)::uuid", as: Int64.self)
                #expect(version == mark.pasiCoreVersion && version > 0)

                let submits = await fixture.province.acceptedSubmitTotal
                let (status, output) = try await Self.upload(high, "sections", database)
                #expect(status == 0, "\(output)")
                let job = try await Ready.lastJob(database, kind: "initial_upload")
                #expect(try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                        .contains("(\(sections.formattedCount) of them already before this run), 0 rejected"))
                #expect(await fixture.province.acceptedSubmitTotal == submits)
            }
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_evaluated_mark.html ("Each record on the
    // request will be processed individually. Therefore, some of the updates may be successful while others may fail")
    @Test("a record PASI rejects in a list submit raises its Rejection alert and does not stop the others")
    func rejection() async throws {
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            let (high, _) = try await Self.prepare(fixture)
            try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE school_code = \(high)")
            // A course the SIS has and PASI does not, and a transferred-in mark for it.
            try await database.execute("INSERT INTO sis.courses (course_number, course_name, credit_hours) VALUES ('ZZZ3999', 'Local Course', 3)")
            try await database.execute("""
                INSERT INTO sis.stored_grades (id, student_id, school_id, course_number, store_code, school_year, mark, earned_credits)
                SELECT (SELECT max(id) + 1 FROM sis.stored_grades), g.student_id, g.school_id, 'ZZZ3999', 'Y1', g.school_year, 71, 3
                FROM sis.stored_grades g JOIN sis.schools sc ON sc.id = g.school_id WHERE sc.school_code = \(high) ORDER BY g.id LIMIT 1
                """)
            let marks = try await Self.count(database, "SELECT count(*)::int FROM sis.stored_grades g JOIN sis.schools sc ON sc.id = g.school_id WHERE sc.school_code = \(high)")
            try await withWorkers(1, database, slots: 2, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                let (status, output) = try await Self.upload(high, "evaluated-marks", database)
                #expect(status == 0, "\(output)")
                let job = try await Ready.lastJob(database, kind: "initial_upload")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message.contains("\((marks - 1).formattedCount) accepted by PASI, 1 rejected"), "\(message)")
                #expect(await fixture.province.count(of: .evaluatedMark) == marks - 1)
                // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9015.html
                #expect(try await Self.count(database, """
                    SELECT count(*)::int FROM sync.core_alerts WHERE raised_by = 'initial_upload' AND resolved_at IS NULL AND alert_type = 'Rejection'
                      AND status_type = 'Evaluated Mark' AND school_code = \(high)
                      AND message LIKE '%Rule 9015 Invalid Course Code: Invalid Course Code. The Course Code provided (ZZZ3999) does not exist within PASI.%'
                    """) == 1)
                #expect(try await Self.count(database, "SELECT count(*)::int FROM sync.core_alerts WHERE raised_by = 'initial_upload'") == 1)
                // The marks went in lists (SubmitEvaluatedMark answered by a MultipleSubmitResponse): fewer
                // calls than marks, one of them answered with the one refusal.
                let calls = try await Self.count(database, "SELECT count(*)::int FROM sync.message_log WHERE operation = 'SubmitEvaluatedMark'")
                let lists = stride(from: 0, to: marks, by: 250).map { (min(250, marks - $0) + 99) / 100 }.reduce(0, +)
                #expect(calls >= lists && calls < marks, "\(calls) calls for \(marks) marks")
                #expect(try await Self.count(database, """
                    SELECT count(*)::int FROM sync.message_log WHERE operation = 'SubmitEvaluatedMark' AND outcome = 'Rejected'
                    """) == 1)
            }
        }
    }
}

extension Int {
    /// Thousands separated by commas, as the job's messages print counts.
    fileprivate var formattedCount: String {
        let digits = String(self)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return out
    }
}
