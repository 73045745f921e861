import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

/// The real `pasisync seed` binary: it replaces what it wrote, and refuses data it did not write.
@Suite("pasisync seed")
struct SeedCommandTests {
    static let seed = ["seed", "--students", "60", "--seed", "3"]
    static let way = "To replace them anyway: pasisync seed --replace-real-data"

    /// Row counts of every table a seed writes or empties, by name.
    static func counts(_ database: TestDatabase) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in DistrictLoader.tableNames + ["sis.student_record_documents", "sis.classroom_accommodations"] {
            counts[table] = try await database.scalar(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(table)"), as: Int.self)
        }
        return counts
    }

    @Test("seed on a freshly migrated database loads; a second seed over what the first wrote loads again")
    func seedTwice() async throws {
        try await TestDatabase.with { database in
            let first = try await CommandRun.pasisync(Self.seed, database: database)
            #expect(first.status == 0, "stderr: \(first.stderr)")
            #expect(try await database.scalar("SELECT count(*) FROM sis.students", as: Int.self) == 60)
            let second = try await CommandRun.pasisync(Self.seed, database: database)
            #expect(second.status == 0, "stderr: \(second.stderr)")
            #expect(!second.stdout.contains("replaced"), "stdout: \(second.stdout)")
            #expect(try await database.scalar("SELECT count(*) FROM sync.district_loads WHERE NOT replaced_real_data", as: Int.self) == 2)
            #expect(try await database.scalar("SELECT (rows_by_table->>'sis.students')::int FROM sync.district_loads ORDER BY id DESC LIMIT 1", as: Int.self) == 60)
        }
    }

    @Test("a student added with psql: seed refuses, names the table, the counts and the way out, and empties nothing; --replace-real-data goes ahead")
    func addedRowRefused() async throws {
        try await TestDatabase.with { database in
            #expect(try await CommandRun.pasisync(Self.seed, database: database).status == 0)
            try await database.execute("""
                INSERT INTO sis.students (student_number, last_name, first_name) VALUES (990001, 'Canarylast', 'Canaryfirst')
                """)
            let before = try await Self.counts(database)
            let refused = try await CommandRun.pasisync(Self.seed, database: database)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains(
                "seed refused: sis.students holds 61 rows that `pasisync seed` did not write (the last seed wrote 60); seed empties every sis.* and pasi.* table. Nothing was changed."),
                "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains(Self.way), "stderr: \(refused.stderr)")
            #expect(!refused.stderr.contains("Canary"), "stderr: \(refused.stderr)")
            #expect(try await Self.counts(database) == before)
            #expect(try await database.scalar("SELECT count(*) FROM sis.students WHERE last_name = 'Canarylast'", as: Int.self) == 1)

            let replaced = try await CommandRun.pasisync(Self.seed + ["--replace-real-data"], database: database)
            #expect(replaced.status == 0, "stderr: \(replaced.stderr)")
            #expect(replaced.stdout.contains("replaced (--replace-real-data): sis.students holds 61 rows that `pasisync seed` did not write"),
                    "stdout: \(replaced.stdout)")
            #expect(replaced.stdout.contains("emptied: sis.schools "), "stdout: \(replaced.stdout)")
            #expect(replaced.stdout.contains("sis.students 61"), "stdout: \(replaced.stdout)")
            #expect(try await database.scalar("SELECT count(*) FROM sis.students", as: Int.self) == 60)
            #expect(try await database.scalar("SELECT replaced_real_data FROM sync.district_loads ORDER BY id DESC LIMIT 1", as: Bool.self))
            // What it wrote is the seed's again: the next seed needs no flag.
            #expect(try await CommandRun.pasisync(Self.seed, database: database).status == 0)
        }
    }

    @Test("rows in a database no seed wrote: refused")
    func unseededRowsRefused() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO sis.schools (id, school_code, name) VALUES (1, '1042', 'A school')")
            let refused = try await CommandRun.pasisync(Self.seed, database: database)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("seed refused: sis.schools holds 1 row and no `pasisync seed` ever wrote this database"),
                    "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains(Self.way), "stderr: \(refused.stderr)")
            #expect(try await database.scalar("SELECT count(*) FROM sis.schools", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT count(*) FROM sync.district_loads", as: Int.self) == 0)
        }
    }

    @Test("Regular Synchronization switched on once, then off: seed refuses from then on, and empties nothing")
    func regularSynchronizationOnceRefused() async throws {
        try await TestDatabase.with { database in
            #expect(try await CommandRun.pasisync(Self.seed, database: database).status == 0)
            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
            try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'regular_synchronization'")
            let before = try await Self.counts(database)
            let refused = try await CommandRun.pasisync(Self.seed, database: database)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("seed refused: Regular Synchronization has been switched on in this database"), "stderr: \(refused.stderr)")
            #expect(refused.stderr.contains(Self.way), "stderr: \(refused.stderr)")
            #expect(try await Self.counts(database) == before)

            let replaced = try await CommandRun.pasisync(Self.seed + ["--replace-real-data"], database: database)
            #expect(replaced.status == 0, "stderr: \(replaced.stderr)")
            #expect(replaced.stdout.contains("replaced (--replace-real-data): Regular Synchronization has been switched on"), "stdout: \(replaced.stdout)")
            // Once on is for good: the data a SIS and PASI wrote since may be anywhere.
            #expect(try await CommandRun.pasisync(Self.seed, database: database).status != 0)
        }
    }
}
