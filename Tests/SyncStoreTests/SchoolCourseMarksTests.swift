import Foundation
import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

/// School course marks, Getting Ready steps 2 to 4 and 6: the psql views and the event triggers
/// that follow the Course Mark Integration Status and Exclude Events. (The `pasisync schools` and
/// `pasisync validate school-terms` commands are tested in PasisyncCommandTests.)
@Suite("school course marks")
struct SchoolCourseMarksTests: SchoolCourseMarksFixtures {
    @Test("sync.school_term_validations finds what SchoolTermValidations finds, every rule, with the same texts")
    func viewAgreesWithModel() async throws {
        try await TestDatabase.with { database in
            let yearTerm = try await database.addSchool(id: 1042, status: "Active")  // 2025-09-01 to 2026-06-30, 'S1'
            let missing = try await Self.addTerm(database, school: 1042, abbreviation: "Q1", alternate: nil, store: nil)
            _ = try await Self.addSection(database, school: 1042, term: missing)
            let shared = try await Self.addTerm(database, school: 1042, abbreviation: "S2", alternate: "S1", store: nil,
                                                first: "2026-02-01", last: "2026-07-15")
            let section = try await Self.addSection(database, school: 1042, term: shared)
            let student = try await database.addStudent(number: 5001)
            try await Self.enrol(database, student: student, school: 1042, section: section)
            try await database.addSchool(id: 2001, status: nil)
            let elsewhere = try await Self.addTerm(database, school: 2001, abbreviation: "T1", alternate: "1", first: "2025-08-01")
            _ = try await Self.addSection(database, school: 2001, term: elsewhere)

            let store = SchoolCourseMarksStore(client: database.client, logger: TestEnvironment.logger)
            let failures = SchoolTermValidations.validate(try await store.termSetups())
            #expect(failures.map(\.rule) == SchoolTermRule.allCases)
            let model = failures.flatMap { failure in failure.incidents.map { "\($0.rule.code) \($0.term.termID) \($0.detail)" } }
            let view = try await Self.viewRows(database)
            #expect(view == model)
            #expect(Set(view) == [
                "ALTERNATE_TERM_CODE_MISSING \(missing) 1 section",
                "FINAL_MARK_STORE_CODE_MISSING \(missing) 1 section, 0 course enrolments",
                "FINAL_MARK_STORE_CODE_MISSING \(shared) 1 section, 1 course enrolment",
                "ALTERNATE_TERM_CODE_SHARED \(yearTerm) Alternate Term Code S1 is also that of S2",
                "ALTERNATE_TERM_CODE_SHARED \(shared) Alternate Term Code S1 is also that of 25-26",
                "TERM_OUTSIDE_SCHOOL_YEAR \(shared) 2026-02-01 to 2026-07-15 is not within the year 25-26 (2025-09-01 to 2026-06-30)",
                "TERM_OUTSIDE_SCHOOL_YEAR \(elsewhere) 2025-08-01 to 2026-01-31 is not within the year 25-26 (2025-09-01 to 2026-06-30)",
            ])
            #expect(view.count == 7)
            // The school level holds only that school's incidents.
            #expect(try await Self.viewRows(database, school: "2001") ==
                    ["TERM_OUTSIDE_SCHOOL_YEAR \(elsewhere) 2025-08-01 to 2026-01-31 is not within the year 25-26 (2025-09-01 to 2026-06-30)"])

            let rules = try await database.client.query(
                "SELECT code, name, business_rule, steps_to_correct FROM sync.school_term_rules ORDER BY position",
                logger: TestEnvironment.logger)
            var stored: [[String]] = []
            for try await (code, name, rule, steps) in rules.decode((String, String, String, String).self) { stored.append([code, name, rule, steps]) }
            #expect(stored == SchoolTermRule.allCases.map { [$0.code, $0.name, $0.businessRule, $0.stepsToCorrect] })
        }
    }

    @Test("a term with Exclude Events writes no events for its sections, course enrolments and marks; another term of the school does")
    func excludeEventsTerm() async throws {
        try await TestDatabase.with { database in
            let term = try await database.addSchool(id: 1042, status: "Active")
            let excluded = try await Self.addTerm(database, school: 1042, abbreviation: "S2", alternate: "2", store: "S2",
                                                  first: "2026-02-01", last: "2026-06-30", excludesEvents: true)
            let student = try await database.addStudent(number: 7001)
            try await database.setEventMonitoring(true)
            let quiet = try await Self.addSection(database, school: 1042, term: excluded)
            try await Self.enrol(database, student: student, school: 1042, section: quiet)
            try await database.execute("UPDATE sis.stored_grades SET mark = 90 WHERE section_id = \(quiet)")
            try await database.execute("UPDATE sis.sections SET teacher = 'Room 3' WHERE id = \(quiet)")
            #expect(try await database.dataEvents() == [])

            let heard = try await Self.addSection(database, school: 1042, term: term, number: "2")
            try await Self.enrol(database, student: student, school: 1042, section: heard)
            let events = try await database.dataEvents()
            #expect(events.map { "\($0.operation) \($0.table)" } == ["I sis.sections", "I sis.course_enrolments", "I sis.stored_grades"])
            #expect(events.first?.key == String(heard))

            // Unchecked, the term's rows write events again; an update in one statement over both
            // terms writes events only for the rows of the term not excluded.
            try await database.execute("UPDATE sis.stored_grades SET mark = mark + 1")
            #expect(try await database.dataEvents().count == 4)
            try await database.execute("UPDATE sis.terms SET exclude_events = false WHERE id = \(excluded)")
            try await database.execute("UPDATE sis.stored_grades SET mark = mark + 1")
            #expect(try await database.dataEvents().count == 6)
        }
    }

    @Test("psql is refused Active for a school that is not a high school, even with its Initial Upload recorded, as the command is")
    func onlyHighSchoolsActiveInDatabase() async throws {
        try await TestDatabase.with { database in
            try await database.execute("""
                INSERT INTO sis.schools (id, school_code, name, is_high_school, course_mark_integration_status)
                VALUES (3003, '3003', 'Elm Elementary', false, 'Inactive')
                """)
            try await Self.uploaded(database, school: "3003")
            do {
                try await database.execute("UPDATE sis.schools SET course_mark_integration_status = 'Active' WHERE school_code = '3003'")
                Issue.record("the psql UPDATE to Active of an elementary school was not refused")
            } catch {
                #expect(String(reflecting: error).contains(
                    "school 3003 (Elm Elementary) cannot be set Active: it is not a high school"), "\(String(reflecting: error))")
            }
            #expect(try await Self.status(database, "3003") == "Inactive")
            // Inactive stays allowed: only Active is refused.
            try await database.execute("UPDATE sis.schools SET course_mark_integration_status = NULL WHERE school_code = '3003'")
            #expect(try await Self.status(database, "3003") == nil)
        }
    }
}
