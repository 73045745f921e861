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

    @Test("the planted discrepancies are what differs between sis and pasi")
    func plantedDiscrepanciesAreVisible() async throws {
        try await TestDatabase.with { database in
            let generator = DistrictGenerator(students: Self.students, seed: 5)
            let report = try await DistrictLoader(client: database.client, logger: TestEnvironment.logger).load(generator).report
            func asns(_ sql: String) async throws -> [String] {
                var found: [String] = []
                for try await asn in try await database.client.query(PostgresQuery(unsafeSQL: sql), logger: TestEnvironment.logger)
                    .decode(String.self) { found.append(asn) }
                return found
            }
            func planted(_ kind: DiscrepancyKind) -> [String] { (report.keys[kind] ?? []).map(\.asn) }
            #expect(report.counts[.legalName] ?? 0 > 0)

            let legalName = try await asns("""
                SELECT s.asn FROM sis.students s JOIN pasi.student_names n ON n.asn = s.asn AND n.name_type = 'Legal'
                WHERE n.last_name IS DISTINCT FROM s.legal_last_name ORDER BY s.asn
                """)
            #expect(legalName == planted(.legalName))

            let unmatched = try await asns("""
                SELECT s.asn FROM sis.students s WHERE NOT EXISTS (SELECT 1 FROM pasi.students p WHERE p.ref_id = s.asn)
                ORDER BY s.asn
                """)
            #expect(unmatched == planted(.unmatchedASN))

            let birthDate = try await asns("""
                SELECT s.asn FROM sis.students s JOIN pasi.students p ON p.ref_id = s.asn
                WHERE p.birth_date IS DISTINCT FROM s.dob ORDER BY s.asn
                """)
            #expect(birthDate == planted(.birthDate))

            let phone = try await asns("""
                SELECT s.asn FROM sis.students s JOIN pasi.student_phones p ON p.asn = s.asn
                WHERE p.phone_number IS DISTINCT FROM s.home_phone ORDER BY s.asn
                """)
            #expect(phone == planted(.phone))

            // Enrolments compared by (ASN, school code, PASI end year), matched students only.
            let missingInPASI = try await asns("""
                SELECT s.asn FROM sis.enrolments e JOIN sis.students s ON s.id = e.student_id
                JOIN sis.schools sc ON sc.id = e.school_id
                WHERE EXISTS (SELECT 1 FROM pasi.students p WHERE p.ref_id = s.asn)
                  AND NOT EXISTS (SELECT 1 FROM pasi.school_enrolments pe
                                  WHERE pe.asn = s.asn AND pe.school_code = sc.school_code AND pe.school_year = e.school_year + 1)
                ORDER BY s.asn
                """)
            #expect(missingInPASI == planted(.enrolmentMissingInPASI))
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
