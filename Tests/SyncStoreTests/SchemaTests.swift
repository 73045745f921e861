import PostgresNIO
import Testing
import PasisyncTesting

/// The `sis`, `pasi` and `sync` schemas refuse bad rows, naming the rule broken.
@Suite("sis, pasi and sync schemas")
struct SchemaTests {
    /// Expects `query` to be refused by the constraint `rule`.
    private static func expectRefused(_ query: PostgresQuery, by rule: String, in database: TestDatabase,
                                      sourceLocation: SourceLocation = #_sourceLocation) async {
        let refusal = await database.refusal(query)
        #expect(refusal?.contains("\"\(rule)\"") == true, "expected a refusal by \(rule), got \(refusal ?? "acceptance")",
                sourceLocation: sourceLocation)
    }

    @Test("a malformed ASN is refused as asn_is_nine_digits, in the SIS, the PASI store and the sync state")
    func malformedASN() async throws {
        try await TestDatabase.with { database in
            for asn in ["12345678", "1234-5678", "12345678X", " 12345678"] {
                await Self.expectRefused(
                    "INSERT INTO sis.students (student_number, asn, last_name, first_name) VALUES (1, \(asn), 'Doe', 'Jane')",
                    by: "asn_is_nine_digits", in: database)
            }
            // The displayed form is too long for char(9) before the rule is reached.
            let displayed = await database.refusal(
                "INSERT INTO sis.students (student_number, asn, last_name, first_name) VALUES (1, '1234-5678-9', 'Doe', 'Jane')")
            #expect(displayed == "value too long for type character(9)")
            await Self.expectRefused(
                "INSERT INTO pasi.students (ref_id, pasi_core_version) VALUES ('12345678', 1)",
                by: "asn_is_nine_digits", in: database)
            await Self.expectRefused(
                "INSERT INTO sync.student_matches (student_id, asn, quality) VALUES (1, '1234', 'High')",
                by: "asn_is_nine_digits", in: database)
            let id = try await database.addStudent(number: 1, asn: "123456789")
            let stored = try await database.scalar("SELECT asn::text FROM sis.students WHERE id = \(id)", as: String.self)
            #expect(stored == "123456789")
            // A student without an ASN yet is allowed; two with the same ASN are not.
            _ = try await database.addStudent(number: 2)
            let duplicate = await database.refusal(
                "INSERT INTO sis.students (student_number, asn, last_name, first_name) VALUES (3, '123456789', 'Roe', 'R')")
            #expect(duplicate?.contains("students_asn_key") == true, "\(duplicate ?? "accepted")")
        }
    }

    @Test("schools: a four-digit code, and an integration status of Inactive, Active or blank")
    func schoolRules() async throws {
        try await TestDatabase.with { database in
            await Self.expectRefused(
                "INSERT INTO sis.schools (id, school_code, name) VALUES (1, '123', 'A')",
                by: "school_code_is_four_digits", in: database)
            await Self.expectRefused(
                "INSERT INTO sis.schools (id, school_code, name, course_mark_integration_status) VALUES (1, '0123', 'A', 'active')",
                by: "course_mark_integration_status_is_inactive_active_or_blank", in: database)
            try await database.addSchool(id: 1, status: nil)
            try await database.addSchool(id: 2, status: "Active")
        }
    }

    @Test("enrolments, terms, sections and course enrolments refuse rows that break their rules")
    func enrolmentAndScheduleRules() async throws {
        try await TestDatabase.with { database in
            let term = try await database.addSchool(id: 1, status: "Active")
            let otherTerm = try await database.addSchool(id: 2, status: "Active")
            let student = try await database.addStudent(number: 1)
            await Self.expectRefused("""
                INSERT INTO sis.enrolments (student_id, school_id, school_year, grade_level, entry_date, exit_date)
                VALUES (\(student), 1, 2025, '10', '2025-09-02', '2025-09-01')
                """, by: "exit_date_not_before_entry_date", in: database)
            await Self.expectRefused("""
                INSERT INTO sis.enrolments (student_id, school_id, school_year, grade_level, entry_date)
                VALUES (\(student), 1, 2025, '10th', '2025-09-02')
                """, by: "grade_is_two_characters", in: database)
            await Self.expectRefused("""
                INSERT INTO sis.enrolments (student_id, school_id, school_year, grade_level, entry_date, french_hours)
                VALUES (\(student), 1, 2025, '10', '2025-09-02', 0)
                """, by: "french_hours_between_1_and_9999", in: database)
            await Self.expectRefused("""
                INSERT INTO sis.terms (school_id, school_year, name, abbreviation, first_day, last_day)
                VALUES (1, 2025, 'S1', 'S1', '2026-01-31', '2025-09-01')
                """, by: "last_day_not_before_first_day", in: database)
            await Self.expectRefused("""
                INSERT INTO sis.sections (school_id, course_number, term_id, section_number)
                VALUES (1, 'MAT1791', \(otherTerm), '1')
                """, by: "section_term_of_same_school", in: database)
            let section = try await database.scalar("""
                INSERT INTO sis.sections (school_id, course_number, term_id, section_number)
                VALUES (1, 'MAT1791', \(term), '1') RETURNING id
                """, as: Int.self)
            await Self.expectRefused("""
                INSERT INTO sis.course_enrolments (section_id, school_id, student_id, date_enrolled, status)
                VALUES (\(section), 1, \(student), '2025-09-02', 'Maybe')
                """, by: "course_enrolment_status_is_known", in: database)
            await Self.expectRefused("""
                INSERT INTO sis.course_enrolments (section_id, school_id, student_id, date_enrolled)
                VALUES (\(section), 2, \(student), '2025-09-02')
                """, by: "course_enrolment_of_section_school", in: database)
            await Self.expectRefused("""
                INSERT INTO sis.stored_grades (student_id, school_id, course_number, store_code, school_year, mark)
                VALUES (\(student), 1, 'MAT1791', 'F1', 2025, 101)
                """, by: "mark_is_a_percent", in: database)
        }
    }

    @Test("the PASI store holds one current school year, and versions are not negative")
    func pasiStoreRules() async throws {
        try await TestDatabase.with { database in
            try await database.execute("""
                INSERT INTO pasi.school_years (school_year, status)
                VALUES (2025, 'Historical'), (2026, 'Current'), (2027, 'Future')
                """)
            let second = await database.refusal("INSERT INTO pasi.school_years (school_year, status) VALUES (2028, 'Current')")
            #expect(second?.contains("school_years_one_current") == true, "\(second ?? "accepted")")
            await Self.expectRefused(
                "INSERT INTO pasi.school_years (school_year, status) VALUES (2024, 'Past')",
                by: "status_is_current_historical_or_future", in: database)
            await Self.expectRefused(
                "INSERT INTO pasi.courses (ref_id, pasi_core_version, name) VALUES ('MAT1791', -1, 'Math')",
                by: "pasi_core_version_is_not_negative", in: database)
            await Self.expectRefused("""
                INSERT INTO pasi.school_enrolments (ref_id, pasi_core_version, asn, school_code, school_year, grade, entry_date)
                VALUES (gen_random_uuid(), 1, '123456789', '0001', 1900, '10', '2025-09-02')
                """, by: "school_year_is_between_1905_and_2100", in: database)
        }
    }

    @Test("core alerts: known types and acknowledgements, conflict types only on conflicts, arguments an object of strings")
    func coreAlertRules() async throws {
        try await TestDatabase.with { database in
            await Self.expectRefused("""
                INSERT INTO sync.core_alerts (alert_type, status_type, alert_code) VALUES ('Error', 'Student', '1')
                """, by: "alert_type_is_known", in: database)
            await Self.expectRefused("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code)
                VALUES ('Warning', 'Student', 'Gender', '1')
                """, by: "conflict_type_only_on_conflicts", in: database)
            await Self.expectRefused("""
                INSERT INTO sync.core_alerts (alert_type, status_type, alert_code, acknowledgement)
                VALUES ('Warning', 'Student', '1', 'Done')
                """, by: "acknowledgement_is_known", in: database)
            for arguments in ["[]", "{\"a\": 1}"] {
                await Self.expectRefused("""
                    INSERT INTO sync.core_alerts (alert_type, status_type, alert_code, arguments)
                    VALUES ('Warning', 'Student', '1', \(arguments)::jsonb)
                    """, by: "arguments_is_object_of_strings", in: database)
            }
            try await database.execute("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, ref_id, arguments)
                VALUES ('Conflict', 'Student', 'Gender', 'C1', '123456789', '{"a": "1", "b": "2"}')
                """)
            // The same RefId, code and arguments in another key order is the same open alert.
            let duplicate = await database.refusal("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, ref_id, arguments)
                VALUES ('Conflict', 'Student', 'Gender', 'C1', '123456789', '{"b": "2", "a": "1"}')
                """)
            #expect(duplicate?.contains("core_alerts_open_key") == true, "\(duplicate ?? "accepted")")
            let count = try await database.scalar("""
                SELECT alerts::int FROM sync.open_alert_counts WHERE alert_type = 'Conflict' AND conflict_type = 'Gender'
                """, as: Int.self)
            #expect(count == 1)
        }
    }

    @Test("matches and the message log refuse unknown qualities and outcomes; the psql views read")
    func matchAndMessageRules() async throws {
        try await TestDatabase.with { database in
            await Self.expectRefused(
                "INSERT INTO sync.enrolment_matches (enrolment_id, ref_id, quality) VALUES (1, gen_random_uuid(), 'Perfect')",
                by: "match_quality_is_high_medium_or_low", in: database)
            await Self.expectRefused("""
                INSERT INTO sync.message_log (client_message_id, operation, sent_at, outcome, fault_code)
                VALUES (gen_random_uuid(), 'GetStudent', now(), 'Success', 3004)
                """, by: "fault_code_only_on_faults", in: database)
            try await database.execute("""
                INSERT INTO sync.message_log (client_message_id, operation, sent_at, duration_ms, outcome, fault_code)
                VALUES (gen_random_uuid(), 'SubmitSection', now(), 120, 'Fault', 3004)
                """)
            let calls = try await database.scalar(
                "SELECT calls::int FROM sync.message_outcomes WHERE operation = 'SubmitSection'", as: Int.self)
            #expect(calls == 1)
            for view in ["sync.open_alerts", "sync.open_alert_counts", "sync.data_event_backlog", "sync.message_outcomes"] {
                let rows = try await database.scalar(PostgresQuery(unsafeSQL: "SELECT count(*)::int FROM \(view)"), as: Int.self)
                #expect(rows >= 0)
            }
        }
    }
}
