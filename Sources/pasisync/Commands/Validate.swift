import ArgumentParser
import PASIModel
import SyncStore

/// `pasisync validate`: the seed's Alberta PASI Data Validations (Special Functions).
struct Validate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the Alberta PASI Data Validations.",
        subcommands: [SchoolTerms.self, DiplomaSections.self]
    )

    /// `pasisync validate school-terms [--school CODE]`: School Terms Validations, as the PASI
    /// Data Validation Viewer shows them.
    struct SchoolTerms: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "school-terms",
            abstract: "School Terms Validations: each failed business rule, its Steps to Correct and its incidents.",
            discussion: """
                Checks the Years & Terms of one school (--school) or of the district. Prints "No \
                validations" and exits 0 when every rule holds; otherwise lists each failed rule with \
                its Business Rule, Steps to Correct and Results table, and exits 1. Correct them before \
                the Initial Upload. The same in psql:
                  SELECT * FROM sync.school_term_validations WHERE school_code = '1042';
                The rules are in docs/school-course-marks.md.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Only this school's terms (the school level); otherwise the district's.", valueName: "code"))
        var school: String?

        func validate() throws {
            if let school {
                do { _ = try OrganizationNumber(school, field: "--school") } catch { throw ValidationError(error.description) }
            }
        }

        func run() async throws {
            let school = self.school
            let (terms, schoolName) = try await database.withClient(label: "pasisync.validate") { client, logger -> ([SchoolTermSetup], String?) in
                let store = SchoolCourseMarksStore(client: client, logger: logger)
                var name: String?
                if let school {
                    guard let found = try await store.schools(code: school).first else {
                        throw CommandFailure("no school has code \(school) (pasisync schools lists them)")
                    }
                    name = found.name
                }
                return (try await store.termSetups(schoolCode: school), name)
            }
            let failures = SchoolTermValidations.validate(terms)
            let level = school.map { "school \($0) (\(schoolName ?? ""))" } ?? "district"
            print(ValidateText.report(failures, level: level, terms: terms.count), terminator: "")
            if !failures.isEmpty { throw ExitCode.failure }
        }
    }
}

extension Validate {
    /// `pasisync validate diploma-sections [--school CODE]`: the seed's "Synchronizing Diploma
    /// Exam Courses", Step 3 (Confirm Diploma Exam Course Section Data is Correct) as a check.
    struct DiplomaSections: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "diploma-sections",
            abstract: "Diploma Exam Course Section validations: Diploma Course = Yes, Exam Registration Date, Exam Writing Center.",
            discussion: """
                Every course PASI says is a diploma course (or taught as one: a section with diploma exam \
                fields) must say Diploma Course = Yes, and each of its sections of the current school year \
                for synchronization and later (every year while it is 0000-0000) must carry an Exam \
                Registration Date and an Exam Writing Center. Prints "No validations" and exits 0 when \
                clean; otherwise lists each failed rule with its Steps to Correct and incidents, and exits \
                1. The facts in psql: SELECT * FROM sync.diploma_section_facts; the rules are in \
                docs/diploma-exams.md.
                """)

        @OptionGroup var database: DatabaseOptions

        @Option(help: ArgumentHelp("Only this school's sections; otherwise the district's.", valueName: "code"))
        var school: String?

        func validate() throws {
            if let school {
                do { _ = try OrganizationNumber(school, field: "--school") } catch { throw ValidationError(error.description) }
            }
        }

        func run() async throws {
            let school = self.school
            let (facts, level, year) = try await database.withClient(label: "pasisync.validate") { client, logger -> ([DiplomaSectionFact], String, SchoolYear?) in
                var level = "district"
                if let school {
                    guard let found = try await SchoolCourseMarksStore(client: client, logger: logger).schools(code: school).first else {
                        throw CommandFailure("no school has code \(school) (pasisync schools lists them)")
                    }
                    level = "school \(school) (\(found.name))"
                }
                var year: SchoolYear?
                if case .schoolYear(let current?) = try await SettingsStore(client: client, logger: logger).value(of: .currentSchoolYear) { year = current }
                let facts = try await DiplomaExamsStore(client: client, logger: logger).sectionFacts(schoolCode: school, fromSchoolYear: year)
                return (facts, level, year)
            }
            let failures = DiplomaSectionValidations.validate(facts)
            let courses = Set(facts.filter(\.isDiplomaCourse).map(\.courseNumber)).count
            let sections = facts.filter { $0.section != nil && $0.isDiplomaCourse }.count
            let years = year.map { "school years from \($0)" } ?? "every school year"
            print(ValidateText.report(failures, level: level, courses: courses, sections: sections, years: years), terminator: "")
            if !failures.isEmpty { throw ExitCode.failure }
        }
    }
}

/// The viewer's text.
enum ValidateText {
    /// The Diploma Exam Course Section validations, as the School Terms ones are shown.
    static func report(_ failures: [DiplomaSectionFailure], level: String, courses: Int, sections: Int, years: String) -> String {
        var text = "Diploma Exam Course Section Validations, \(level), \(years): \(courses) diploma course\(courses == 1 ? "" : "s"), "
            + "\(sections) section\(sections == 1 ? "" : "s") checked\n"
        guard !failures.isEmpty else { return text + "Choose Validations: No validations\n" }
        text += "Choose Validations:\n"
        for (number, failure) in failures.enumerated() {
            let count = failure.incidents.count
            text += "  \(number + 1). \(failure.rule.name) (\(count) incident\(count == 1 ? "" : "s"))\n"
        }
        for (number, failure) in failures.enumerated() {
            text += "\n\(number + 1). \(failure.rule.name) [\(failure.rule.code)]\n"
            text += "Business Rule: \(failure.rule.businessRule)\n"
            text += "Steps to Correct: \(failure.rule.stepsToCorrect)\n"
            text += "Results:\n"
            var rows = [["COURSE", "NAME", "SCHOOL", "SCHOOL YEAR", "TERM", "SECTION", "SECTION ID", "DETAIL"]]
            for incident in failure.incidents {
                let section = incident.section
                rows.append([incident.courseNumber, incident.courseName, section?.schoolCode ?? "", section?.schoolYear.description ?? "",
                             section?.term ?? "", section?.sectionNumber ?? "", section.map { String($0.sectionID) } ?? "", incident.detail])
            }
            text += QueueTable.table(rows)
        }
        return text
    }

    /// The Choose Validations menu, then each failed rule with its Business Rule, Steps to
    /// Correct and Results table.
    static func report(_ failures: [SchoolTermFailure], level: String, terms: Int) -> String {
        var text = "School Terms Validations, \(level): \(terms) term\(terms == 1 ? "" : "s") checked\n"
        guard !failures.isEmpty else { return text + "Choose Validations: No validations\n" }
        text += "Choose Validations:\n"
        for (number, failure) in failures.enumerated() {
            let count = failure.incidents.count
            text += "  \(number + 1). \(failure.rule.name) (\(count) incident\(count == 1 ? "" : "s"))\n"
        }
        for (number, failure) in failures.enumerated() {
            text += "\n\(number + 1). \(failure.rule.name) [\(failure.rule.code)]\n"
            text += "Business Rule: \(failure.rule.businessRule)\n"
            text += "Steps to Correct: \(failure.rule.stepsToCorrect)\n"
            text += "Results:\n"
            var rows = [["SCHOOL", "SCHOOL YEAR", "TERM", "NAME", "TERM ID", "DETAIL"]]
            for incident in failure.incidents {
                let term = incident.term
                rows.append([term.schoolCode, term.schoolYear.description, term.abbreviation, term.name, String(term.termID), incident.detail])
            }
            text += QueueTable.table(rows)
        }
        return text
    }
}
