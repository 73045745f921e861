import DistrictSynthesis
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("Seeding a synthetic district")
struct SeedTests {
    static let students = 800

    /// Every loaded table and the generator table whose lines feed it.
    static let sources: [(table: String, source: DistrictTable)] = [
        ("sis.schools", .sisSchools), ("sis.courses", .sisCourses), ("sis.terms", .sisTerms),
        ("sis.sections", .sisSections), ("sis.students", .sisStudents), ("sis.enrolments", .sisEnrolments),
        ("sis.course_enrolments", .sisCourseEnrolments), ("sis.stored_grades", .sisStoredGrades),
        ("pasi.schools", .pasiSchools), ("pasi.students", .pasiStudents), ("pasi.student_names", .pasiStudents),
        ("pasi.student_addresses", .pasiStudents), ("pasi.student_phones", .pasiStudents),
        ("pasi.school_enrolments", .pasiEnrolments),
    ]

    @Test("seeding the same seed twice leaves identical rows in every table; another seed does not")
    func sameSeedSameData() async throws {
        try await TestDatabase.with { database in
            let loader = DistrictLoader(client: database.client, logger: TestEnvironment.logger)
            _ = try await loader.load(students: Self.students, seed: 7)
            let first = try await loader.digests()
            _ = try await loader.load(students: Self.students, seed: 7)
            let second = try await loader.digests()
            #expect(Set(first.keys) == Set(DistrictLoader.tableNames))
            #expect(first == second)
            #expect(!first.values.contains(""))
            _ = try await loader.load(students: Self.students, seed: 8)
            let other = try await loader.digests()
            #expect(other["sis.students"] != first["sis.students"])
        }
    }

    @Test("the local PASI store changed since the last load (as Load Local Copy changes it) does not stop a load; sis.* changed does, unless told")
    func onlySISChangesRefuse() async throws {
        try await TestDatabase.with { database in
            let loader = DistrictLoader(client: database.client, logger: TestEnvironment.logger)
            _ = try await loader.load(students: 200, seed: 2)
            try await database.execute("DELETE FROM pasi.student_phones")
            _ = try await loader.load(students: 200, seed: 2)
            try await database.execute("DELETE FROM sis.stored_grades WHERE id IN (SELECT min(id) FROM sis.stored_grades)")
            let grades = try await database.scalar("SELECT count(*) FROM sis.stored_grades", as: Int.self)
            await #expect(throws: DistrictLoadRefused.self) { _ = try await loader.load(students: 200, seed: 2) }
            #expect(try await database.scalar("SELECT count(*) FROM sis.stored_grades", as: Int.self) == grades)
            let replaced = try await loader.load(students: 200, seed: 2, replacingRealData: true)
            #expect(replaced.tables.first { $0.name == "sis.stored_grades" }?.rows == grades + 1)
        }
    }

    @Test("row counts match the generator, in the load's report and in the tables")
    func countsMatchGenerator() async throws {
        try await TestDatabase.with { database in
            let generator = DistrictGenerator(students: Self.students, seed: 3)
            let load = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(generator)
            #expect(load.tables.map(\.name) == Self.sources.map(\.table))
            #expect(load.report == generator.discrepancyReport)
            for (loaded, (table, source)) in zip(load.tables, Self.sources) {
                var expected = 0
                generator.forEachLine(of: source) { _ in expected += 1 }
                let stored = try await database.scalar(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), as: Int.self)
                #expect(loaded.rows == expected, "\(table)")
                #expect(stored == expected, "\(table)")
            }
            #expect(try await database.scalar("SELECT count(*) FROM sis.students", as: Int.self) == Self.students)
        }
    }

    @Test("every planted discrepancy, of each of the nine kinds, is exactly what differs between sis and pasi")
    func plantedDiscrepanciesAreVisible() async throws {
        try await TestDatabase.with { database in
            let generator = DistrictGenerator(students: Self.students, seed: 5)
            let report = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(generator).report
            for kind in DiscrepancyKind.allCases {
                #expect(report.counts[kind] == generator.discrepanciesPerKind, "\(kind)")
            }
            #expect(generator.discrepanciesPerKind > 0)

            var found: [DiscrepancyKind: [DiscrepancyKey]] = [:]
            for kind in DiscrepancyKind.allCases {
                found[kind] = try await Self.keys(kind.isEnrolmentKind ? .enrolment : .student, Self.differenceQueries[kind]!, in: database)
                #expect(found[kind] == report.keys[kind], "\(kind): found \(found[kind] ?? []), planted \(report.keys[kind] ?? [])")
            }

            // No student differs but those planted: every PASI student without a SIS student by
            // its ASN is an unmatched student's, and the students with any difference are the planted ones.
            #expect(try await database.scalar("""
                SELECT count(*) FROM pasi.students p WHERE NOT EXISTS (SELECT 1 FROM sis.students s WHERE s.asn = p.ref_id)
                """, as: Int.self) == report.counts[.unmatchedASN])
            let planted = Set(report.keys.values.flatMap { $0.map(\.asn) })
            let differing = Set(found.values.flatMap { $0.map(\.asn) })
            #expect(differing == planted)
            #expect(planted.count == DiscrepancyKind.allCases.count * generator.discrepanciesPerKind)
        }
    }

    enum KeyShape { case student, enrolment }

    /// Per kind, a query for the keys where sis and pasi differ in what that kind plants. Each
    /// compares every field of its concern (a legal name's three parts, an address's four), so a
    /// difference nobody planted shows up as an extra key. Students are compared by ASN, enrolments
    /// by (ASN, school code, PASI end year), both only where the ASN is on both sides.
    static let differenceQueries: [DiscrepancyKind: String] = [
        .unmatchedASN: """
            SELECT s.asn FROM sis.students s WHERE NOT EXISTS (SELECT 1 FROM pasi.students p WHERE p.ref_id = s.asn)
            """,
        .legalName: """
            SELECT s.asn FROM sis.students s JOIN pasi.student_names n ON n.asn = s.asn AND n.name_type = 'Legal'
            WHERE (n.last_name, n.first_name, n.middle_name) IS DISTINCT FROM (s.legal_last_name, s.legal_first_name, s.legal_middle_name)
            """,
        .gender: """
            SELECT s.asn FROM sis.students s JOIN pasi.students p ON p.ref_id = s.asn
            WHERE p.gender IS DISTINCT FROM CASE s.legal_gender WHEN 'M' THEN 'Male' WHEN 'F' THEN 'Female'
                                                                WHEN 'X' THEN 'Unspecified' WHEN 'U' THEN 'Unknown' END
               OR s.gender IS DISTINCT FROM s.legal_gender
            """,
        .birthDate: """
            SELECT s.asn FROM sis.students s JOIN pasi.students p ON p.ref_id = s.asn WHERE p.birth_date IS DISTINCT FROM s.dob
            """,
        .mailingAddress: """
            SELECT s.asn FROM sis.students s JOIN pasi.student_addresses a ON a.asn = s.asn AND a.address_type = 'Mailing'
            WHERE (a.street, a.city, a.province, a.postal_code) IS DISTINCT FROM (s.mailing_street, s.mailing_city, s.mailing_state, s.mailing_zip)
            """,
        .phone: """
            SELECT s.asn FROM sis.students s JOIN pasi.student_phones p ON p.asn = s.asn
            WHERE p.phone_number IS DISTINCT FROM s.home_phone
            """,
        .enrolmentExitDate: """
            SELECT s.asn, sc.school_code, e.school_year + 1 FROM sis.enrolments e
            JOIN sis.students s ON s.id = e.student_id JOIN sis.schools sc ON sc.id = e.school_id
            JOIN pasi.school_enrolments pe ON pe.asn = s.asn AND pe.school_code = sc.school_code AND pe.school_year = e.school_year + 1
            WHERE (pe.exit_date, pe.entry_date, pe.grade) IS DISTINCT FROM (e.exit_date, e.entry_date, e.grade_level)
            """,
        .enrolmentMissingInPASI: """
            SELECT s.asn, sc.school_code, e.school_year + 1 FROM sis.enrolments e
            JOIN sis.students s ON s.id = e.student_id JOIN sis.schools sc ON sc.id = e.school_id
            WHERE EXISTS (SELECT 1 FROM pasi.students p WHERE p.ref_id = s.asn)
              AND NOT EXISTS (SELECT 1 FROM pasi.school_enrolments pe
                              WHERE pe.asn = s.asn AND pe.school_code = sc.school_code AND pe.school_year = e.school_year + 1)
            """,
        .enrolmentMissingInSIS: """
            SELECT pe.asn, pe.school_code, pe.school_year FROM pasi.school_enrolments pe
            WHERE EXISTS (SELECT 1 FROM sis.students s WHERE s.asn = pe.asn)
              AND NOT EXISTS (SELECT 1 FROM sis.enrolments e JOIN sis.students s ON s.id = e.student_id
                              JOIN sis.schools sc ON sc.id = e.school_id
                              WHERE s.asn = pe.asn AND sc.school_code = pe.school_code AND e.school_year + 1 = pe.school_year)
            """,
    ]

    /// The keys a difference query finds, sorted as the report sorts them.
    static func keys(_ shape: KeyShape, _ sql: String, in database: TestDatabase) async throws -> [DiscrepancyKey] {
        let rows = try await database.client.query(PostgresQuery(unsafeSQL: "SELECT DISTINCT * FROM (\(sql)) AS found"), logger: TestEnvironment.logger)
        var keys: [DiscrepancyKey] = []
        switch shape {
        case .student:
            for try await asn in rows.decode(String.self) { keys.append(DiscrepancyKey(asn: asn)) }
        case .enrolment:
            for try await (asn, school, year) in rows.decode((String, String, Int).self) {
                keys.append(DiscrepancyKey(asn: asn, schoolCode: school, schoolYear: year))
            }
        }
        return keys.sorted()
    }

    @Test("every school's School Type is the generator's, blank loaded as NULL")
    func schoolTypesAreLoaded() async throws {
        try await TestDatabase.with { database in
            let generator = DistrictGenerator(students: 2_000, seed: 9)
            _ = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(generator)
            var stored: [String: String?] = [:]
            for try await (code, type) in try await database.client.query(
                "SELECT school_code::text, school_type FROM sis.schools", logger: TestEnvironment.logger
            ).decode((String, String?).self) { stored[code] = type }
            let schools = Array(generator.schools())
            #expect(stored.count == schools.count)
            for school in schools {
                #expect(stored[school.schoolNumber] == .some(school.schoolType.isEmpty ? nil : school.schoolType), "\(school.schoolNumber)")
            }
            #expect(stored.values.contains { $0 != nil })
        }
    }

    @Test("a seed with event monitoring on writes no data events and leaves monitoring on")
    func seedWritesNoEvents() async throws {
        try await TestDatabase.with { database in
            try await database.inTransaction([
                "SET LOCAL pasisync.system = 'on'",
                "UPDATE sync.settings SET value = 'on' WHERE key = 'event_monitoring'",
            ])
            _ = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(students: 200, seed: 1)
            #expect(try await database.scalar("SELECT count(*) FROM sync.data_events", as: Int.self) == 0)
            #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'event_monitoring'", as: String.self) == "on")
            // Identity columns continue after the loaded ids.
            try await database.execute("""
                INSERT INTO sis.students (student_number, last_name, first_name) VALUES (999999, 'New', 'Student')
                """)
            #expect(try await database.scalar("SELECT count(*) FROM sync.data_events WHERE table_name = 'sis.students'", as: Int.self) == 1)
        }
    }
}
