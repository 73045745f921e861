import Foundation
import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

/// School course marks, Getting Ready steps 2 to 4 and 6: the real `pasisync schools` and
/// `pasisync validate school-terms` binaries, and the event triggers as that status changes.
/// (The psql views and the triggers alone are tested in SyncStoreTests.)
@Suite("school course marks")
struct SchoolCourseMarksTests: SchoolCourseMarksFixtures {

    @Test("validate school-terms finds a term without an Alternate Term Code and a section in it, and passes once fixed")
    func missingAlternateTermCode() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: "Inactive")
            let term = try await Self.addTerm(database, school: 1042, abbreviation: "S1", alternate: nil)
            _ = try await Self.addSection(database, school: 1042, term: term)
            // A term without sections needs no code; another school's incident is not this school's.
            _ = try await Self.addTerm(database, school: 1042, abbreviation: "S2", alternate: nil, first: "2026-02-01", last: "2026-06-30")
            try await database.addSchool(id: 2001, status: nil)
            let otherTerm = try await Self.addTerm(database, school: 2001, abbreviation: "S1", alternate: nil)
            _ = try await Self.addSection(database, school: 2001, term: otherTerm)

            let failing = try await CommandRun.pasisync(["validate", "school-terms", "--school", "1042"], database: database)
            #expect(failing.status == 1, "stdout: \(failing.stdout) stderr: \(failing.stderr)")
            let rule = SchoolTermRule.alternateTermCodeMissing
            #expect(failing.stdout.contains("School Terms Validations, school 1042 (School 1042): 3 terms checked"), "\(failing.stdout)")
            #expect(failing.stdout.contains("  1. \(rule.name) (1 incident)"), "\(failing.stdout)")
            #expect(failing.stdout.contains("Business Rule: \(rule.businessRule)"))
            #expect(failing.stdout.contains("Steps to Correct: \(rule.stepsToCorrect)"))
            let results = failing.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(results.contains("1042 2025/2026 S1 Term S1 \(term) 1 section"), "\(failing.stdout)")
            #expect(!failing.stdout.contains("2001"), "\(failing.stdout)")
            #expect(!failing.stdout.contains(SchoolTermRule.finalMarkStoreCodeMissing.name))
            #expect(try await Self.viewRows(database, school: "1042") == ["ALTERNATE_TERM_CODE_MISSING \(term) 1 section"])

            // The district level lists both schools' incidents.
            let district = try await CommandRun.pasisync(["validate", "school-terms"], database: database)
            #expect(district.status == 1)
            #expect(district.stdout.contains("School Terms Validations, district: 5 terms checked"), "\(district.stdout)")
            #expect(district.stdout.contains("\(rule.name) (2 incidents)"), "\(district.stdout)")

            try await database.execute("UPDATE sis.terms SET alternate_term_code = '1' WHERE id = \(term)")
            let passing = try await CommandRun.pasisync(["validate", "school-terms", "--school", "1042"], database: database)
            #expect(passing.status == 0, "stdout: \(passing.stdout) stderr: \(passing.stderr)")
            #expect(passing.stdout.contains("Choose Validations: No validations"), "\(passing.stdout)")
            #expect(try await Self.viewRows(database, school: "1042") == [])
        }
    }

    @Test("validate school-terms refuses an unknown school and a malformed code")
    func validateRefusals() async throws {
        try await TestDatabase.with { database in
            let unknown = try await CommandRun.pasisync(["validate", "school-terms", "--school", "9999"], database: database)
            #expect(unknown.status != 0 && unknown.stderr.contains("no school has code 9999"), "\(unknown.stderr)")
            #expect(!unknown.stdout.contains("No validations"))
            let malformed = try await CommandRun.pasisync(["validate", "school-terms", "--school", "12a"], database: database)
            #expect(malformed.status != 0 && malformed.stderr.contains("--school must be four digits (NNNN), got 12a"), "\(malformed.stderr)")
        }
    }

    @Test("schools lists each school's status, blank as Inactive (blank); set-integration-status changes it and says what it means")
    func setIntegrationStatus() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: nil)
            try await database.addSchool(id: 2001, status: "Active")
            try await database.execute("""
                INSERT INTO sis.schools (id, school_code, name, course_mark_integration_status, is_high_school)
                VALUES (3003, '3003', 'Elm Elementary', NULL, false)
                """)
            let list = try await CommandRun.pasisync(["schools"], database: database)
            #expect(list.status == 0, "\(list.stderr)")
            let lines = list.stdout.split(separator: "\n").map { $0.split(separator: " ").joined(separator: " ") }
            #expect(lines == ["CODE NAME HIGH SCHOOL COURSE MARK INTEGRATION STATUS",
                              "1042 School 1042 yes Inactive (blank)", "2001 School 2001 yes Active", "3003 Elm Elementary no Inactive (blank)"],
                    "\(list.stdout)")
            let high = try await CommandRun.pasisync(["schools", "list", "--high-schools"], database: database)
            #expect(high.stdout.split(separator: "\n").count == 3, "\(high.stdout)")

            // Step 2: a blank status is changed to Inactive.
            let inactive = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Inactive"], database: database)
            #expect(inactive.status == 0, "\(inactive.stderr)")
            #expect(inactive.stdout.contains("school 1042 (School 1042): Course Mark Integration Status Inactive (blank) → Inactive"), "\(inactive.stdout)")
            #expect(inactive.stdout.contains("Caution: No events are generated for it"), "\(inactive.stdout)")
            #expect(inactive.stdout.contains("not synchronized later"))
            #expect(try await Self.status(database, "1042") == "Inactive")

            try await Self.uploaded(database, school: "1042")
            let active = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "active"], database: database)
            #expect(active.status == 0, "\(active.stderr)")
            #expect(active.stdout.contains("Course Mark Integration Status Inactive → Active"), "\(active.stdout)")
            #expect(active.stdout.contains("Only now is it synchronized automatically"), "\(active.stdout)")
            #expect(active.stdout.contains("Event Monitoring is off: no data event is written until it is on"), "\(active.stdout)")
            #expect(try await Self.status(database, "1042") == "Active")
            let again = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Active"], database: database)
            #expect(again.status == 0 && again.stdout.contains("is already Active; nothing changed"), "\(again.stdout)")

            let back = try await CommandRun.pasisync(["schools", "set-integration-status", "2001", "Inactive"], database: database)
            #expect(back.status == 0 && back.stdout.contains("Active → Inactive"), "\(back.stdout)")
            #expect(back.stdout.contains("Caution: No events are generated for it: from now on"), "\(back.stdout)")
            #expect(try await Self.status(database, "2001") == "Inactive")
        }
    }

    @Test("set-integration-status refuses Active for a school that is not a high school or fails its validations, and bad input")
    func setIntegrationStatusRefusals() async throws {
        try await TestDatabase.with { database in
            try await database.addSchool(id: 1042, status: "Inactive")
            let term = try await Self.addTerm(database, school: 1042, abbreviation: "S1", alternate: nil)
            _ = try await Self.addSection(database, school: 1042, term: term)
            try await database.execute("""
                INSERT INTO sis.schools (id, school_code, name, is_high_school) VALUES (3003, '3003', 'Elm Elementary', false)
                """)
            let failing = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Active"], database: database)
            #expect(failing.status != 0)
            #expect(failing.stderr.contains("refused: the PASI Data Validations of school 1042 fail (1 rule, 1 incident)"), "\(failing.stderr)")
            #expect(failing.stderr.contains("pasisync validate school-terms --school 1042"))
            #expect(try await Self.status(database, "1042") == "Inactive")

            let elementary = try await CommandRun.pasisync(["schools", "set-integration-status", "3003", "Active"], database: database)
            #expect(elementary.status != 0 && elementary.stderr.contains("refused: school 3003 (Elm Elementary) is not a high school"),
                    "\(elementary.stderr)")
            #expect(try await Self.status(database, "3003") == nil)
            // Inactive is always allowed: it is the state the seed's steps start from.
            let elementaryInactive = try await CommandRun.pasisync(["schools", "set-integration-status", "3003", "Inactive"], database: database)
            #expect(elementaryInactive.status == 0, "\(elementaryInactive.stderr)")

            let unknown = try await CommandRun.pasisync(["schools", "set-integration-status", "9999", "Active"], database: database)
            #expect(unknown.status != 0 && unknown.stderr.contains("no school has code 9999"), "\(unknown.stderr)")
            let word = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "On"], database: database)
            #expect(word.status != 0 && word.stderr.contains("Course Mark Integration Status must be Active or Inactive, got On"),
                    "\(word.stderr)")
            let code = try await CommandRun.pasisync(["schools", "set-integration-status", "42", "Active"], database: database)
            #expect(code.status != 0 && code.stderr.contains("school code must be four digits (NNNN), got 42"), "\(code.stderr)")

            try await database.execute("UPDATE sis.terms SET alternate_term_code = '1' WHERE id = \(term)")
            // SCM Step 6: only after the Initial Upload, of the three Upload Types.
            try await Self.uploaded(database, school: "1042", types: ["Sections"])
            let early = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Active"], database: database)
            #expect(early.status != 0)
            #expect(early.stderr.contains(
                "refused: school 1042 cannot be set Active: its Initial Upload has not completed for Course Enrollments, Evaluated Marks; run it first "
                + "(pasisync run initial-upload --school 1042 --type course-enrolments --wait; pasisync run initial-upload --school 1042 --type evaluated-marks --wait)"),
                "\(early.stderr)")
            #expect(try await Self.status(database, "1042") == "Inactive")
            // psql is refused the same way, by the trigger of sync.before_school_set_active.
            do {
                try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Active' WHERE school_code = '1042'")
                Issue.record("the psql UPDATE to Active was not refused")
            } catch {
                #expect(String(reflecting: error).contains(
                    "school 1042 cannot be set Active: its Initial Upload has not completed for Course Enrollments, Evaluated Marks"),
                    "\(String(reflecting: error))")
            }
            let refusal = try await database.scalar("""
                SELECT array_to_string(sync.missing_initial_uploads('1042'), ', ')
                """, as: String.self)
            #expect(refusal == "Course Enrollments, Evaluated Marks")
            #expect(try await Self.status(database, "1042") == "Inactive")
            try await Self.uploaded(database, school: "1042", types: ["Course Enrollments", "Evaluated Marks"])
            let fixed = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Active"], database: database)
            #expect(fixed.status == 0, "\(fixed.stderr)")
            #expect(try await Self.status(database, "1042") == "Active")
        }
    }

    @Test("an Inactive school sends no course-mark events but its course information changes do; set Active by the command, it does")
    func inactiveSchoolSendsNoCourseMarkEvents() async throws {
        try await TestDatabase.with { database in
            let term = try await database.addSchool(id: 1042, status: "Inactive")
            let student = try await database.addStudent(number: 6001)
            try await database.setEventMonitoring(true)
            let section = try await Self.addSection(database, school: 1042, term: term)
            try await Self.enrol(database, student: student, school: 1042, section: section)
            try await database.execute("UPDATE sis.stored_grades SET mark = 80")
            try await database.execute("UPDATE sis.sections SET credits_offered = 5")
            // Course information is synchronized whatever the status.
            try await database.execute("""
                UPDATE sis.courses SET course_name = 'Mathematics 10-1', credit_hours = 6, alternate_course_number = 'MAT1791A'
                WHERE course_number = 'MAT1791'
                """)
            #expect(try await database.dataEvents() == [EventRow(
                table: "sis.courses", key: "MAT1791", operation: "U", columns: ["alternate_course_number", "course_name", "credit_hours"])])

            try await Self.uploaded(database, school: "1042")
            let active = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Active"], database: database)
            #expect(active.status == 0, "\(active.stderr)")
            #expect(!active.stdout.contains("Event Monitoring is off"), "\(active.stdout)")
            try await database.execute("UPDATE sis.stored_grades SET mark = 81")
            try await database.execute("UPDATE sis.course_enrolments SET credits_attempted = 4")
            try await database.execute("UPDATE sis.sections SET teacher = 'Room 12'")
            #expect(try await database.dataEvents().dropFirst().map { "\($0.operation) \($0.table) \($0.columns)" } == [
                "U sis.stored_grades [\"mark\"]", "U sis.course_enrolments [\"credits_attempted\"]", "U sis.sections [\"teacher\"]"])

            let inactive = try await CommandRun.pasisync(["schools", "set-integration-status", "1042", "Inactive"], database: database)
            #expect(inactive.status == 0, "\(inactive.stderr)")
            try await database.execute("UPDATE sis.stored_grades SET mark = 82")
            try await database.execute("DELETE FROM sis.course_enrolments")
            #expect(try await database.dataEvents().count == 4)
        }
    }
}
