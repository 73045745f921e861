import Foundation
import PostgresNIO

/// Small SIS rows for the schema and event tests.
extension TestDatabase {
    /// Switches event monitoring as a person does in psql.
    public func setEventMonitoring(_ on: Bool) async throws {
        try await execute("UPDATE sync.settings SET value = \(on ? "on" : "off") WHERE key = 'event_monitoring'")
    }

    /// A high school with its course mark integration status ('Active', 'Inactive' or nil for
    /// blank), a course MAT1791 and a year term; returns the term's id.
    @discardableResult
    public func addSchool(id: Int, status: String?) async throws -> Int {
        let code = String(format: "%04d", id)
        try await execute("""
            INSERT INTO sis.schools (id, school_code, name, course_mark_integration_status, is_high_school)
            VALUES (\(id), \(code), \("School \(id)"), \(status), true)
            """)
        try await execute("""
            INSERT INTO sis.courses (course_number, course_name, credit_hours, is_diploma_course)
            VALUES ('MAT1791', 'Mathematics 10', 5, false) ON CONFLICT DO NOTHING
            """)
        return try await scalar("""
            INSERT INTO sis.terms (school_id, school_year, name, abbreviation, first_day, last_day, is_year,
                                   alternate_term_code, final_mark_store_code)
            VALUES (\(id), 2025, '2025-2026', '25-26', '2025-09-01', '2026-06-30', true, 'S1', 'F1')
            RETURNING id
            """, as: Int.self)
    }

    /// A student; returns its id.
    public func addStudent(number: Int, asn: String? = nil) async throws -> Int {
        try await scalar("""
            INSERT INTO sis.students (student_number, asn, last_name, first_name)
            VALUES (\(number), \(asn), 'Doe', 'Jane') RETURNING id
            """, as: Int.self)
    }

    /// The events in the queue, as (table, key, operation, changed columns), in order.
    public func dataEvents() async throws -> [EventRow] {
        let rows = try await client.query("""
            SELECT table_name, row_key, operation::text, changed_columns FROM sync.data_events ORDER BY id
            """, logger: TestEnvironment.logger)
        var events: [EventRow] = []
        for try await (table, key, operation, columns) in rows.decode((String, String, String, [String]).self) {
            events.append(EventRow(table: table, key: key, operation: operation, columns: columns))
        }
        return events
    }
}

/// A data event without its id and time.
public struct EventRow: Hashable, Sendable, CustomStringConvertible {
    public var table: String
    public var key: String
    public var operation: String
    public var columns: [String]

    public init(table: String, key: String, operation: String, columns: [String]) {
        (self.table, self.key, self.operation, self.columns) = (table, key, operation, columns)
    }

    public var description: String { "\(operation) \(table) \(key) \(columns)" }
}
