import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import PASIModel
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// The PASI Data Validation Viewer: Choose Validations, the rule, its steps to correct and incidents.
@Suite("console: PASI Data Validation Viewer")
struct ConsoleValidationTests {
    /// School 1042 with a year term and two semesters sharing an Alternate Term Code, one of them
    /// outside the year; school 1043 with a clean year term.
    static func plantTerms(_ console: ConsoleFixture) async throws -> (s1: Int, s2: Int) {
        try await console.database.execute("""
            INSERT INTO sis.schools (id, school_code, name, is_high_school) VALUES (1, '1042', 'Aspen High', true), (2, '1043', 'Birch High', true)
            """)
        try await console.database.execute("""
            INSERT INTO sis.terms (id, school_id, school_year, name, abbreviation, first_day, last_day, is_year, alternate_term_code, final_mark_store_code)
            VALUES (10, 1, 2025, 'Year', 'Y', '2025-09-01', '2026-06-30', true, 'Y', 'F1'),
                   (11, 1, 2025, 'Semester 1', 'S1', '2025-09-01', '2026-01-31', false, 'S', 'F1'),
                   (12, 1, 2025, 'Semester 2', 'S2', '2026-02-01', '2026-07-15', false, 'S', 'F1'),
                   (20, 2, 2025, 'Year', 'Y', '2025-09-01', '2026-06-30', true, 'Y', 'F1')
            """)
        return (11, 12)
    }

    @Test("the viewer lists the failed rules with their incidents, shows the chosen one's rule, steps and results, as pasisync validate does")
    func viewer() async throws {
        try await ConsoleFixture.with { console in
            _ = try await Self.plantTerms(console)
            let viewer = try await console.login("viewer")
            let store = SchoolCourseMarksStore(client: console.database.client, logger: TestEnvironment.logger)
            let failures = SchoolTermValidations.validate(try await store.termSetups(schoolCode: "1042"))
            #expect(failures.map(\.rule) == [.alternateTermCodeShared, .termOutsideSchoolYear])
            let page = try await console.get("/validations?school=1042", as: viewer)
            #expect(page.status == .ok)
            #expect(page.text.contains("School Terms Validations, school 1042 (Aspen High): 3 terms checked."))
            #expect(page.text.contains("Alternate Term Code used by two terms of a school year (2 incidents)"))
            #expect(page.text.contains("Term outside its school year (1 incident)"))
            // The first failed rule is shown until another is chosen.
            let shared = failures[0]
            #expect(page.text.contains(ConsoleSettingsTests.escaped(shared.rule.businessRule)))
            #expect(page.text.contains(ConsoleSettingsTests.escaped(shared.rule.stepsToCorrect)))
            for incident in shared.incidents {
                #expect(page.text.contains("<td>\(incident.term.termID)</td><td>\(ConsoleSettingsTests.escaped(incident.detail))</td>"))
            }
            let outside = try await console.get("/validations?school=1042&rule=TERM_OUTSIDE_SCHOOL_YEAR", as: viewer)
            #expect(outside.text.contains(ConsoleSettingsTests.escaped(SchoolTermRule.termOutsideSchoolYear.stepsToCorrect)))
            #expect(outside.text.contains("<td>1042</td><td>2025-2026</td><td>S2</td><td>Semester 2</td><td>12</td>")
                    || outside.text.contains("<td>S2</td><td>Semester 2</td><td>12</td>"))
            // A clean school: "No validations".
            let clean = try await console.get("/validations?school=1043", as: viewer)
            #expect(clean.text.contains("<option value=\"\">No validations</option>") && clean.text.contains("No validations: every rule holds."))
            // The district level holds every school's terms.
            #expect(try await console.get("/validations", as: viewer).text.contains("School Terms Validations, district: 4 terms checked."))
            #expect(try await console.get("/validations?school=9999", as: viewer).status == .notFound)
        }
    }

    @Test("a school-limited user checks its schools only: no district level, another school answered as unknown")
    func limited() async throws {
        try await ConsoleFixture.with { console in
            _ = try await Self.plantTerms(console)
            let limited = try await console.login("limited")
            let page = try await console.get("/validations", as: limited)
            #expect(page.text.contains("School Terms Validations, school 1042 (Aspen High): 3 terms checked."))
            #expect(!page.text.contains(">District</option>") && !page.text.contains("Birch High"))
            let other = try await console.get("/validations?school=1043", as: limited)
            #expect(other.status == .notFound)
            #expect(!other.text.contains("Birch High"))
        }
    }
}
