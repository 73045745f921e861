import Foundation
import JobQueue
import PASIContract
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// SCM Step 6 and after: a high school set Active after its Initial Upload, its sections, course
/// enrolments and evaluated marks edited with psql reach the simulator over HTTPS through real
/// worker processes running Regular Sync, as updates of the records the upload created.
@Suite("Regular Synchronization of school course marks: an Active school's edits reach PASI", .serialized)
struct RegularSyncCourseMarksTests {
    typealias Sync = RegularSyncProcessTests
    typealias Upload = InitialUploadProcessTests

    /// Steps 1 to 5 of School Course Marks for the high school with the most course enrolments:
    /// the School Course Marks Items on, the school Inactive, Regular Synchronization running.
    static func ready(_ fixture: SimulatorFixture) async throws -> String {
        let database = fixture.database
        // PASI Data Available's long poll at its shortest, so the workers stop soon after a test.
        try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
        try await Sync.synchronizing(fixture)
        for key in ["section_synchronization", "course_enrolment_synchronization", "evaluated_mark_synchronization"] {
            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = \(key)")
        }
        let high = try await database.scalar("""
            SELECT sc.school_code::text FROM sis.schools sc LEFT JOIN sis.course_enrolments ce ON ce.school_id = sc.id
            WHERE sc.is_high_school GROUP BY sc.school_code ORDER BY count(ce.id) DESC, sc.school_code LIMIT 1
            """, as: String.self)
        try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE school_code = \(high)")
        return high
    }

    static func uploadAll(_ high: String, _ database: TestDatabase) async throws {
        for type in ["sections", "course-enrolments", "evaluated-marks"] {
            let (status, output) = try await Upload.upload(high, type, database)
            guard status == 0 else { throw TestFailure("the \(type) upload failed: \(output)") }
        }
    }

    static func setActive(_ high: String, _ database: TestDatabase) async throws -> (Int32?, String) {
        try await SyncJobProcessTests.command(["schools", "set-integration-status", high, "Active"], database)
    }

    /// The start year of the current school year for synchronization (2025 for 2025/2026).
    static func currentYear(_ database: TestDatabase) async throws -> Int {
        try await database.scalar("SELECT (left(value, 4))::int FROM sync.settings WHERE key = 'current_school_year'", as: Int.self)
    }

    /// An uploaded row of the school: its SIS id and the RefId PASI holds it under; the latest
    /// school year first.
    static func uploaded(_ database: TestDatabase, _ type: String, _ high: String, where condition: String) async throws -> (id: Int, refId: String) {
        let table = ["Section": "sis.sections", "CourseEnrolment": "sis.course_enrolments", "EvaluatedMark": "sis.stored_grades"][type]!
        let query = """
            SELECT x.id || ' ' || r.ref_id FROM \(table) x JOIN sync.initial_upload_records r ON r.record_type = '\(type)' AND r.sis_id = x.id
            JOIN sis.schools sc ON sc.id = x.school_id
            LEFT JOIN sis.sections s ON s.id = \(type == "Section" ? "x.id" : "x.section_id") LEFT JOIN sis.terms t ON t.id = s.term_id
            WHERE sc.school_code = '\(high)' AND r.pasi_version IS NOT NULL AND \(condition)
            ORDER BY \(type == "EvaluatedMark" ? "x.school_year" : "t.school_year") DESC, x.id LIMIT 1
            """
        let pair = try await database.scalar(PostgresQuery(unsafeSQL: query), as: String.self).split(separator: " ").map(String.init)
        return (Int(pair[0])!, pair[1])
    }

    /// Sets Historical Years for School Course Marks Integration, a read-only setting the
    /// software changes (as the end-of-year process does), not a person.
    static func historicalYears(_ years: Int, _ database: TestDatabase) async throws {
        try await database.execute(PostgresQuery(unsafeSQL: """
            DO $$ BEGIN
                PERFORM set_config('pasisync.system', 'on', true);
                UPDATE sync.settings SET value = '\(years)' WHERE key = 'historical_years_school_course_marks';
            END $$
            """))
    }

    static func localVersion(_ database: TestDatabase, _ table: String, _ refId: String) async throws -> Int64 {
        var sql = PostgresQuery(unsafeSQL: "SELECT pasi_core_version FROM \(table) WHERE ref_id = $1::uuid")
        sql.binds.append(refId)
        return try await database.scalar(sql, as: Int64.self)
    }

    static func events(_ database: TestDatabase, _ table: String) async throws -> Int {
        try await database.scalar("SELECT count(*)::int FROM sync.data_events WHERE table_name = \(table)", as: Int.self)
    }

    @Test("Active refused before the Initial Upload and accepted after; then a section, a course enrolment and a stored grade edited in psql reach PASI as updates of the uploaded records, and the local store's versions move")
    func editsReachPASI() async throws {
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            try await withWorkers(2, database, slots: 4, environment: Sync.environment(fixture)) { _ in
                try await Sync.explainingFailure(database) {
                    let high = try await Self.ready(fixture)
                    // Inactive: no events for its course marks.
                    try await database.execute("""
                        UPDATE sis.sections SET teacher = 'Inactive edit' WHERE school_id = (SELECT id FROM sis.schools WHERE school_code = \(high))
                        """)
                    #expect(try await Self.events(database, "sis.sections") == 0)

                    // Step 6 before Step 5: refused by the command and by psql.
                    var (status, output) = try await Self.setActive(high, database)
                    #expect(status != 0 && output.contains(
                        "school \(high) cannot be set Active: its Initial Upload has not completed for Sections, Course Enrollments, Evaluated Marks"),
                        "\(output)")
                    #expect(output.contains("pasisync run initial-upload --school \(high) --type sections --wait"), "\(output)")
                    do {
                        try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Active' WHERE school_code = \(high)")
                        Issue.record("the psql UPDATE to Active was not refused")
                    } catch {
                        #expect(String(reflecting: error).contains("cannot be set Active"), "\(String(reflecting: error))")
                    }
                    try await Self.uploadAll(high, database)
                    (status, output) = try await Self.setActive(high, database)
                    #expect(status == 0, "\(output)")

                    let year = try await Self.currentYear(database)
                    let section = try await Self.uploaded(database, "Section", high, where: "t.school_year = \(year)")
                    let enrolment = try await Self.uploaded(database, "CourseEnrolment", high,
                                                            where: "t.school_year = \(year) AND x.section_id <> \(section.id)")
                    // The district's stored grades are the final marks of past years.
                    let grade = try await Self.uploaded(database, "EvaluatedMark", high, where: "x.mark < 99")
                    let gradeYear = try await database.scalar("SELECT school_year FROM sis.stored_grades WHERE id = \(grade.id)", as: Int.self)
                    #expect(gradeYear < year && gradeYear >= year - 2, "\(gradeYear)")
                    // Before the synchronization years (Historical Years for School Course Marks Integration 0): Skipped, saying so.
                    try await database.execute("UPDATE sis.stored_grades SET mark = mark + 1 WHERE id = \(grade.id)")
                    try await eventually(within: .seconds(30), "the past year's mark handled") { try await Sync.pending(database) == 0 }
                    let skipped = try await database.scalar("""
                        SELECT status || ': ' || detail FROM sync.data_events WHERE table_name = 'sis.stored_grades' AND row_key = \(String(grade.id))
                        """, as: String.self)
                    #expect(skipped.hasPrefix("Skipped: ") && skipped.contains("before the synchronization years"), "\(skipped)")
                    #expect(await fixture.province.acceptedSubmitCount(.evaluatedMark, id: grade.refId) == 1)
                    try await Self.historicalYears(year - gradeYear, database)
                    let before = (section: try await Self.localVersion(database, "pasi.sections", section.refId),
                                  enrolment: try await Self.localVersion(database, "pasi.course_enrolments", enrolment.refId),
                                  grade: try await Self.localVersion(database, "pasi.evaluated_marks", grade.refId))
                    let credits = try await database.scalar("SELECT coalesce(credits_offered, 0) + 1 FROM sis.sections WHERE id = \(section.id)", as: Int.self)
                    let attempted = try await database.scalar(
                        "SELECT coalesce(credits_attempted, 0) + 1 FROM sis.course_enrolments WHERE id = \(enrolment.id)", as: Int.self)
                    let mark = try await database.scalar("SELECT mark + 1 FROM sis.stored_grades WHERE id = \(grade.id)", as: Int.self)  // 2 above the upload's
                    // Two edits of the section in a burst: PASI ends with the latest (folded into one submit
                    // when both are pending in one round).
                    try await database.execute("UPDATE sis.sections SET credits_offered = \(credits + 5) WHERE id = \(section.id)")
                    try await database.execute("UPDATE sis.sections SET credits_offered = \(credits) WHERE id = \(section.id)")
                    try await database.execute("UPDATE sis.course_enrolments SET credits_attempted = \(attempted) WHERE id = \(enrolment.id)")
                    try await database.execute("UPDATE sis.stored_grades SET mark = \(mark) WHERE id = \(grade.id)")

                    try await eventually(within: .seconds(30), "the three edits in PASI") {
                        let s = await fixture.province.record(Section.self, id: section.refId)
                        let e = await fixture.province.record(CourseEnrolment.self, id: enrolment.refId)
                        let g = await fixture.province.record(EvaluatedMark.self, id: grade.refId)
                        return s?.creditsOffered == credits && e?.creditsAttempted == attempted && g?.markValue == mark
                    }
                    try await eventually(within: .seconds(10), "the events Sent") { try await Sync.pending(database) == 0 }
                    // The same PASI records, created by the upload and updated once each.
                    #expect(await fixture.province.acceptedSubmitCount(.section, id: section.refId) <= 3)
                    #expect(await fixture.province.acceptedSubmitCount(.courseEnrolment, id: enrolment.refId) == 2)
                    #expect(await fixture.province.acceptedSubmitCount(.evaluatedMark, id: grade.refId) == 2)
                    let pasi = (section: await fixture.province.record(Section.self, id: section.refId)?.pasiCoreVersion,
                                enrolment: await fixture.province.record(CourseEnrolment.self, id: enrolment.refId)?.pasiCoreVersion,
                                grade: await fixture.province.record(EvaluatedMark.self, id: grade.refId)?.pasiCoreVersion)
                    let after = (section: try await Self.localVersion(database, "pasi.sections", section.refId),
                                 enrolment: try await Self.localVersion(database, "pasi.course_enrolments", enrolment.refId),
                                 grade: try await Self.localVersion(database, "pasi.evaluated_marks", grade.refId))
                    #expect(after.section > before.section && after.section == pasi.section, "\(before) → \(after), PASI \(pasi)")
                    #expect(after.enrolment > before.enrolment && after.enrolment == pasi.enrolment, "\(before) → \(after), PASI \(pasi)")
                    #expect(after.grade > before.grade && after.grade == pasi.grade, "\(before) → \(after), PASI \(pasi)")
                    #expect(try await database.scalar(
                        "SELECT count(*)::int FROM sync.data_events WHERE status IN ('Pending', 'Rejected', 'Conflict', 'Failed')",
                        as: Int.self) == 0)
                }
            }
        }
    }

    @Test("a section and its course enrolment added in one burst reach PASI, the enrolment naming the section's RefId; a course PASI does not have is a Rejection alert with PASI's message; a deleted course enrolment is deleted in PASI")
    func insertRejectDelete() async throws {
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            try await withWorkers(2, database, slots: 4, environment: Sync.environment(fixture)) { _ in
                try await Sync.explainingFailure(database) {
                    let high = try await Self.ready(fixture)
                    try await Self.uploadAll(high, database)
                    let (status, output) = try await Self.setActive(high, database)
                    #expect(status == 0, "\(output)")
                    let model = try await Self.uploaded(database, "Section", high, where: "t.school_year = \(try await Self.currentYear(database))")
                    let student = try await database.scalar("""
                        SELECT s.id FROM sis.students s JOIN pasi.students p ON p.ref_id = s.asn ORDER BY s.id LIMIT 1
                        """, as: Int.self)
                    let newSection = try await database.scalar("""
                        INSERT INTO sis.sections (school_id, course_number, term_id, section_number, credits_offered)
                        SELECT school_id, course_number, term_id, 'RS-1', 3 FROM sis.sections WHERE id = \(model.id) RETURNING id
                        """, as: Int.self)
                    let newEnrolment = try await database.scalar("""
                        INSERT INTO sis.course_enrolments (section_id, school_id, student_id, date_enrolled, credits_attempted)
                        SELECT s.id, s.school_id, \(student), t.first_day, 3 FROM sis.sections s JOIN sis.terms t ON t.id = s.term_id
                        WHERE s.id = \(newSection) RETURNING id
                        """, as: Int.self)
                    try await eventually(within: .seconds(30), "the new section and course enrolment handled") { try await Sync.pending(database) == 0 }
                    let sectionRef = try await database.scalar(
                        "SELECT ref_id::text FROM sync.initial_upload_records WHERE record_type = 'Section' AND sis_id = \(newSection)", as: String.self)
                    let enrolmentRef = try await database.scalar(
                        "SELECT ref_id::text FROM sync.initial_upload_records WHERE record_type = 'CourseEnrolment' AND sis_id = \(newEnrolment)", as: String.self)
                    #expect(await fixture.province.record(Section.self, id: sectionRef)?.creditsOffered == 3)
                    #expect(await fixture.province.record(CourseEnrolment.self, id: enrolmentRef)?.sectionRefId.value == sectionRef)
                    #expect(try await database.scalar(
                        "SELECT count(*)::int FROM sync.initial_upload_records WHERE ref_id = ANY(ARRAY[\(sectionRef), \(enrolmentRef)]::uuid[]) AND pasi_version IS NOT NULL",
                        as: Int.self) == 2)

                    // A business rule: the course is not PASI's.
                    try await database.execute("INSERT INTO sis.courses (course_number, course_name) VALUES ('ZZZ9999', 'Not provincial')")
                    try await database.execute("UPDATE sis.sections SET course_number = 'ZZZ9999' WHERE id = \(newSection)")
                    try await eventually(within: .seconds(30), "the rejection") { try await Sync.pending(database) == 0 }
                    let message = try await database.scalar("""
                        SELECT message FROM sync.core_alerts WHERE subject = \("sis.sections:\(newSection)") AND alert_type = 'Rejection'
                          AND status_type = 'Section' AND resolved_at IS NULL
                        """, as: String.self)
                    // https://extranet.education.alberta.ca/pasidevnet/docs/Business/rule_9015.html
                    #expect(message.contains("Rule 9015 Invalid Course Code: Invalid Course Code. The Course Code provided (ZZZ9999) does not exist within PASI."), "\(message)")
                    #expect(await fixture.province.record(Section.self, id: sectionRef)?.courseCode != "ZZZ9999")

                    try await database.execute("DELETE FROM sis.course_enrolments WHERE id = \(newEnrolment)")
                    try await eventually(within: .seconds(30), "the deletion handled") { try await Sync.pending(database) == 0 }
                    #expect(await fixture.province.acceptedSubmitCount(.courseEnrolment, id: enrolmentRef) == 2)
                    #expect(try await database.scalar(
                        "SELECT count(*)::int FROM pasi.course_enrolments WHERE ref_id = \(enrolmentRef)::uuid", as: Int.self) == 0)

                    // Course information: PASI's provincial record, not submitted (docs/regular-sync.md).
                    try await database.execute("UPDATE sis.courses SET course_name = 'Renamed' WHERE course_number = 'ZZZ9999'")
                    // Classroom accommodations with their DCF Events switch off: Skipped, saying which switch.
                    try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'classroom_accommodation_dcf_events'")
                    try await database.execute("""
                        INSERT INTO sis.classroom_accommodations (student_id, school_year, accommodation_code) VALUES (\(student), 2025, 'RS1')
                        """)
                    try await eventually(within: .seconds(30), "the course and accommodation handled") { try await Sync.pending(database) == 0 }
                    let course = try await database.scalar(
                        "SELECT status || ': ' || detail FROM sync.data_events WHERE table_name = 'sis.courses' ORDER BY id DESC LIMIT 1", as: String.self)
                    #expect(course.hasPrefix("Skipped: a course is PASI's provincial record"), "\(course)")
                    let accommodation = try await database.scalar(
                        "SELECT status || ': ' || detail FROM sync.data_events WHERE table_name = 'sis.classroom_accommodations' ORDER BY id DESC LIMIT 1",
                        as: String.self)
                    #expect(accommodation.hasPrefix("Skipped: Classroom Accommodation DCF Events is off"), "\(accommodation)")
                }
            }
        }
    }
}
