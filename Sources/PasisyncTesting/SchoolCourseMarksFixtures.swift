import PostgresNIO

/// The SIS rows of the school course marks suites: the `schools` and `validate school-terms`
/// commands' suite (PasisyncCommandTests) and the views' and triggers' suite (SyncStoreTests).
/// A protocol so that both suites, each named `SchoolCourseMarksTests`, call them as `Self.…`.
public protocol SchoolCourseMarksFixtures {}

extension SchoolCourseMarksFixtures {
    /// A term of a school; returns its id.
    public static func addTerm(
        _ database: TestDatabase, school: Int, abbreviation: String, alternate: String?, store: String? = "S1",
        first: String = "2025-09-01", last: String = "2026-01-31", excludesEvents: Bool = false
    ) async throws -> Int {
        try await database.scalar("""
            INSERT INTO sis.terms (school_id, school_year, name, abbreviation, first_day, last_day,
                                   alternate_term_code, final_mark_store_code, exclude_events)
            VALUES (\(school), 2025, \("Term \(abbreviation)"), \(abbreviation), \(first)::date, \(last)::date,
                    \(alternate), \(store), \(excludesEvents))
            RETURNING id
            """, as: Int.self)
    }

    /// A section of MAT1791 in a term; returns its id.
    public static func addSection(_ database: TestDatabase, school: Int, term: Int, number: String = "1") async throws -> Int {
        try await database.scalar("""
            INSERT INTO sis.sections (school_id, course_number, term_id, section_number)
            VALUES (\(school), 'MAT1791', \(term), \(number)) RETURNING id
            """, as: Int.self)
    }

    /// A course enrolment and a final mark of a student in a section.
    public static func enrol(_ database: TestDatabase, student: Int, school: Int, section: Int) async throws {
        try await database.execute("""
            INSERT INTO sis.course_enrolments (section_id, school_id, student_id, date_enrolled, credits_attempted)
            VALUES (\(section), \(school), \(student), '2025-09-02', 5)
            """)
        try await database.execute("""
            INSERT INTO sis.stored_grades (student_id, school_id, course_number, section_id, store_code, school_year, mark, earned_credits)
            VALUES (\(student), \(school), 'MAT1791', \(section), 'S1', 2025, 71, 5)
            """)
    }

    /// The rows of sync.school_term_validations as (rule code, term id, detail), in the view's order.
    public static func viewRows(_ database: TestDatabase, school: String? = nil) async throws -> [String] {
        let rows = try await database.client.query("""
            SELECT rule_code, term_id, detail FROM sync.school_term_validations
            WHERE \(school)::text IS NULL OR school_code = \(school)
            """, logger: TestEnvironment.logger)
        var found: [String] = []
        for try await (code, term, detail) in rows.decode((String, Int, String).self) { found.append("\(code) \(term) \(detail)") }
        return found
    }

    /// The school's stored Course Mark Integration Status (nil: blank).
    public static func status(_ database: TestDatabase, _ code: String) async throws -> String? {
        try await database.scalar(
            "SELECT course_mark_integration_status FROM sis.schools WHERE school_code = \(code)", as: String?.self)
    }

    /// Records the school's Initial Upload as completed for these Upload Types, as its report job does.
    public static func uploaded(_ database: TestDatabase, school: String,
                                types: [String] = ["Sections", "Course Enrollments", "Evaluated Marks"]) async throws {
        for type in types {
            try await database.execute("""
                INSERT INTO sync.initial_uploads (school_code, upload_type, accepted, rejected) VALUES (\(school), \(type), 0, 0)
                """)
        }
    }
}
