public import Logging
public import PASIModel
public import PostgresNIO

/// A school with its Course Mark Integration Status, as the PASI Configuration page lists it.
public struct SchoolIntegration: Sendable, Hashable {
    /// The four-digit school code.
    public let schoolCode: String
    /// The school's name.
    public let name: String
    /// Whether it is a high school (only high schools are uploaded and set Active).
    public let isHighSchool: Bool
    /// The status; blank reads as Inactive.
    public let status: CourseMarkIntegrationStatus
    /// Whether the stored status is blank (the seed's Step 2: "if it is blank, change it to Inactive").
    public let isBlank: Bool
}

/// The school course marks side of the SIS: each school's Course Mark Integration Status and the
/// Years & Terms the PASI Data Validations read (`sync.school_integration_status`,
/// `sync.school_term_facts`, views of migrations/views).
public struct SchoolCourseMarksStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every school, by code, or the one with `schoolCode`.
    /// - Throws: ``SyncStoreError`` for a status the CHECK should have refused; database errors.
    public func schools(code schoolCode: String? = nil) async throws -> [SchoolIntegration] {
        let rows = try await client.query("""
            SELECT school_code, name, is_high_school, stored_value FROM sync.school_integration_status
            WHERE \(schoolCode)::text IS NULL OR school_code = \(schoolCode)
            ORDER BY school_code
            """, logger: logger)
        var schools: [SchoolIntegration] = []
        for try await (code, name, isHighSchool, stored) in rows.decode((String, String, Bool, String?).self) {
            guard let status = CourseMarkIntegrationStatus(stored: stored) else {
                throw SyncStoreError(.unreadableRow, "sis.schools \(code) holds an unknown Course Mark Integration Status \(stored ?? "")")
            }
            schools.append(SchoolIntegration(
                schoolCode: code, name: name, isHighSchool: isHighSchool, status: status,
                isBlank: stored.map { $0.allSatisfy(\.isWhitespace) } ?? true))
        }
        return schools
    }

    /// Sets a school's Course Mark Integration Status. It takes effect for the data events from
    /// the next statement on (the triggers read it once per statement).
    /// - Returns: The school as it was before, or `nil` when no school has that code.
    /// - Throws: Database errors.
    public func setIntegrationStatus(schoolCode: String, to status: CourseMarkIntegrationStatus) async throws -> SchoolIntegration? {
        let before = try await schools(code: schoolCode).first
        guard before != nil else { return nil }
        try await client.query("""
            UPDATE sis.schools SET course_mark_integration_status = \(status.rawValue)
            WHERE school_code = \(schoolCode) AND course_mark_integration_status IS DISTINCT FROM \(status.rawValue)
            """, logger: logger)
        return before
    }

    /// The terms the School Terms Validations check: every term of one school (school level) or
    /// of every school (district level), with their sections and course enrolments counted.
    /// - Parameter schoolCode: The school, or `nil` for the district.
    /// - Throws: ``SyncStoreError`` for a term whose school year or days this binary refuses; database errors.
    public func termSetups(schoolCode: String? = nil) async throws -> [SchoolTermSetup] {
        let rows = try await client.query("""
            SELECT term_id, school_code, school_year, term_name, abbreviation,
                   to_char(first_day, 'YYYY-MM-DD'), to_char(last_day, 'YYYY-MM-DD'), is_year,
                   alternate_term_code, final_mark_store_code, exclude_events, sections, course_enrolments
            FROM sync.school_term_facts
            WHERE \(schoolCode)::text IS NULL OR school_code = \(schoolCode)
            ORDER BY school_code, school_year, first_day, term_id
            """, logger: logger)
        var terms: [SchoolTermSetup] = []
        for try await (id, school, year, name, abbreviation, first, last, isYear, alternate, store, excludes, sections, enrolments)
            in rows.decode((Int, String, Int, String, String, String, String, Bool, String?, String?, Bool, Int, Int).self) {
            let reader = RowReader(table: "sis.terms", key: String(id))
            terms.append(SchoolTermSetup(
                termID: id, schoolCode: school,
                schoolYear: try reader.read { () throws(PASIModelError) in try SchoolYear(sisStartYear: year) },
                name: name, abbreviation: abbreviation,
                firstDay: try reader.required(reader.date(first), "first_day"),
                lastDay: try reader.required(reader.date(last), "last_day"),
                isYear: isYear, alternateTermCode: alternate, finalMarkStoreCode: store, excludesEvents: excludes,
                sections: sections, courseEnrolments: enrolments))
        }
        return terms
    }
}
