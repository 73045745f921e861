import DistrictSynthesis
import Foundation
import JobQueue
import PASIModel
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// Step 2 and 3 of the seed's "Getting Ready for Synchronization" on a cluster against the
/// simulator: Initial Synchronization finds the planted discrepancies, changes no data, and a
/// re-run after fixes resolves exactly what was fixed.
@Suite("Getting ready: Initial Synchronization", .serialized)
struct InitialSyncProcessTests {
    typealias Ready = GettingReadyProcessTests

    /// The first day up to a downloaded local store, with the extract files on.
    static func downloaded(_ fixture: SimulatorFixture) async throws {
        try await Ready.firstDay(fixture)
        try await fixture.database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'synchronization_extract_files'")
        let (status, output) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], fixture.database, within: .seconds(120))
        guard status == 0 else { throw TestFailure("Load Local Copy failed: \(output)") }
    }

    /// Runs Initial Synchronization with `arguments` to its end; its job id.
    static func initialSync(_ database: TestDatabase, _ arguments: [String] = []) async throws -> Int64 {
        let (status, output) = try await SyncJobProcessTests.command(["run", "initial-sync", "--wait"] + arguments, database, within: .seconds(120))
        guard status == 0 else { throw TestFailure("Initial Synchronization failed: \(output)") }
        return try await Ready.lastJob(database, kind: "initial_sync")
    }

    /// Open Initial Synchronization conflicts: SIS student id per conflict type.
    static func openConflicts(_ database: TestDatabase) async throws -> [String: Set<Int>] {
        let rows = try await database.client.query("""
            SELECT conflict_type, coalesce(student_id, -1) FROM sync.core_alerts
            WHERE raised_by = 'initial_sync' AND resolved_at IS NULL
            """, logger: TestEnvironment.logger)
        var found: [String: Set<Int>] = [:]
        for try await (type, student) in rows.decode((String, Int).self) { found[type, default: []].insert(student) }
        return found
    }

    /// The planted discrepancies as SIS student ids per conflict type.
    static func planted(_ fixture: SimulatorFixture) async throws -> [String: Set<Int>] {
        var planted: [String: Set<Int>] = [:]
        for (kind, keys) in fixture.generator.discrepancyReport.keys where !keys.isEmpty {
            for key in keys {
                let id = try await fixture.database.scalar("SELECT id FROM sis.students WHERE asn = \(key.asn)", as: Int.self)
                planted[kind.conflictType.rawValue, default: []].insert(id)
            }
        }
        return planted
    }

    static func file(_ database: TestDatabase, job: Int64, _ name: String) async throws -> [String] {
        let text = try await database.scalar(
            "SELECT convert_from(content, 'UTF8') FROM sync.job_files WHERE job_id = \(job) AND name = \(name)", as: String.self)
        return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    @Test("district run: every planted discrepancy kind as its conflict type on exactly the planted students, no data changed, the files")
    func district() async throws {
        try await SimulatorFixture.with(students: 600) { fixture in
            let database = fixture.database
            let logDirectory = NSTemporaryDirectory() + "pasisync-logs-\(getpid())"
            defer { try? FileManager.default.removeItem(atPath: logDirectory) }
            let environment = SyncJobProcessTests.pasiEnvironment(port: fixture.port).merging(["PASISYNC_LOG_DIR": logDirectory]) { $1 }
            try await withWorkers(2, database, slots: 3, environment: environment) { _ in
                try await Self.downloaded(fixture)
                let loader = DistrictLoader(client: database.client, logger: TestEnvironment.logger)
                let before = try await loader.digests()
                let job = try await Self.initialSync(database)
                #expect(try await loader.digests() == before, "Initial Synchronization changed sis.* or pasi.*")
                let planted = try await Self.planted(fixture)
                #expect(planted.count == DiscrepancyKind.allCases.count)
                #expect(try await Self.openConflicts(database) == planted)
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "Initial Sync – Manual")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message.hasPrefix("Initial Synchronization done:"), "\(message)")

                // The log holds every difference; the extract files their seed headers and one row per record.
                let log = try await Self.file(database, job: job, "pasi-initialization.log").filter { !$0.hasPrefix("#") }
                let total = planted.values.reduce(0) { $0 + $1.count }
                #expect(log.count >= total)
                for file in InitialSyncExtract.File.allCases {
                    #expect(try await Self.file(database, job: job, file.fileName).first == file.headerLine, "\(file.fileName)")
                }
                let diffStudents = try await Self.file(database, job: job, "pasi-init-diff-students.tab").dropFirst()
                #expect(diffStudents.count == (try await database.scalar("""
                    SELECT count(DISTINCT student_id)::int FROM sync.core_alerts
                    WHERE raised_by = 'initial_sync' AND status_type = 'Student' AND resolved_at IS NULL
                    """, as: Int.self)))
                let unmatchedEnrolments = try await Self.file(database, job: job, "pasi-init-unmatched-enrolments.tab").dropFirst()
                #expect(unmatchedEnrolments.count == (planted["School Enrolment"]?.count ?? 0) + (planted["Missing Enrolment"]?.count ?? 0))
                let diffEnrolments = try await Self.file(database, job: job, "pasi-init-diff-enrolments.tab").dropFirst()
                #expect(diffEnrolments.count == planted["Enrolment Exit Date"]?.count)
                // Every student the SIS and PASI share is matched.
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.student_matches", as: Int.self) == 600)

                // Written under PASISYNC_LOG_DIR too, byte for byte what the database keeps.
                let written = try String(contentsOfFile: logDirectory + "/initial-sync-\(job)/pasi-init-diff-students.tab", encoding: .utf8)
                #expect(written.split(separator: "\n").map(String.init) == Array(try await Self.file(database, job: job, "pasi-init-diff-students.tab")))

                // `pasisync files get` hands them out.
                let folder = NSTemporaryDirectory() + "pasisync-initial-\(job)-\(getpid())"
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(atPath: folder) }
                let (got, output) = try await SyncJobProcessTests.command(["files", "get", "--job", "\(job)", "--out", folder], database)
                #expect(got == 0, "\(output)")
                #expect(FileManager.default.fileExists(atPath: folder + "/pasi-init-diff-students.tab"))
            }
        }
    }

    @Test("a re-run raises nothing twice, keeps acknowledgements, and resolves exactly the conflicts fixed in the SIS")
    func rerun() async throws {
        try await SimulatorFixture.with(students: 500) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                try await Self.downloaded(fixture)
                _ = try await Self.initialSync(database)
                let first = try await Self.openConflicts(database)
                let ids = try await database.scalar(
                    "SELECT string_agg(id::text, ',' ORDER BY id) FROM sync.core_alerts WHERE resolved_at IS NULL", as: String.self)
                let acknowledged = try await database.scalar(
                    "SELECT min(id) FROM sync.core_alerts WHERE conflict_type = 'Mailing Address'", as: Int64.self)
                try await database.execute("UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE id = \(acknowledged)")

                // Nothing fixed: the same open alerts, the same ids.
                _ = try await Self.initialSync(database)
                #expect(try await Self.openConflicts(database) == first)
                #expect(try await database.scalar(
                    "SELECT string_agg(id::text, ',' ORDER BY id) FROM sync.core_alerts WHERE resolved_at IS NULL", as: String.self) == ids)

                // Fix the gender and the birth date of the planted students in the SIS.
                try await database.execute("""
                    UPDATE sis.students s SET gender = CASE p.gender WHEN 'Male' THEN 'M' WHEN 'Female' THEN 'F'
                                                       WHEN 'Unspecified' THEN 'X' ELSE 'U' END,
                                              legal_gender = NULL
                    FROM pasi.students p WHERE p.ref_id = s.asn AND s.id = ANY(\(Array(first["Gender"] ?? [])))
                    """)
                try await database.execute("""
                    UPDATE sis.students s SET dob = p.birth_date FROM pasi.students p
                    WHERE p.ref_id = s.asn AND s.id = ANY(\(Array(first["Birth Date"] ?? [])))
                    """)
                let third = try await Self.initialSync(database)
                var expected = first
                expected["Gender"] = nil
                expected["Birth Date"] = nil
                #expect(try await Self.openConflicts(database) == expected)
                #expect(try await database.scalar("""
                    SELECT count(*)::int FROM sync.core_alerts
                    WHERE conflict_type IN ('Gender', 'Birth Date') AND resolved_at IS NOT NULL
                    """, as: Int.self) == (first["Gender"]?.count ?? 0) + (first["Birth Date"]?.count ?? 0))
                #expect(try await database.scalar("SELECT acknowledgement FROM sync.core_alerts WHERE id = \(acknowledged)", as: String.self) == "Acknowledged")
                #expect(try await database.scalar("SELECT resolved_at IS NULL FROM sync.core_alerts WHERE id = \(acknowledged)", as: Bool.self))
                let log = try await Self.file(database, job: third, "pasi-initialization.log")
                #expect(!log.contains { $0.contains("| Gender |") || $0.contains("| Birth Date |") })
            }
        }
    }

    @Test("school by school on an Inactive school, and the seed's refusals")
    func schoolBySchool() async throws {
        try await SimulatorFixture.with(students: 400) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                try await Self.downloaded(fixture)
                func refused(_ arguments: [String]) async throws -> String {
                    let (status, output) = try await SyncJobProcessTests.command(["run", "initial-sync"] + arguments, database)
                    #expect(status != 0, "\(output)")
                    return output
                }
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                #expect(try await refused([]).contains("When running at a district/authority level, regular synchronization must be turned off"))
                #expect(try await refused(["--school", "1001"]).contains("Process as District is on"))

                try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'process_as_district'")
                #expect(try await refused([]).contains("name the school (pasisync run initial-sync --school CODE)"))
                #expect(try await refused(["--school", "12"]).contains("--school must be a four-digit school code, got \"12\""))
                #expect(try await refused(["--school", "9876"]).contains("no school 9876 in the SIS"))
                // A school PASI files under another authority.
                _ = try await PASIStore(client: database.client, logger: TestEnvironment.logger).upsert(
                    School(code: OrganizationNumber("9877"), name: "Neighbour School", authorityCode: OrganizationNumber("9999"), pasiCoreVersion: 3))
                #expect(try await refused(["--school", "9877"]).contains("school 9877 belongs to school authority 9999, not to this authority"))
                let code = try await database.scalar("SELECT min(school_code) FROM sis.schools", as: String.self)
                try await database.execute("UPDATE sis.schools SET school_type = 'Active' WHERE school_code = \(code)")
                #expect(try await refused(["--school", code]).contains("is Active: when running school-by-school the school you want to initialize must be set to Inactive"))
                // A psql INSERT of the same job fails once, for the same reason.
                try await database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('initial_sync', jsonb_build_object('school', \(code)::text))")
                let refusedJob = try await Ready.lastJob(database, kind: "initial_sync")
                try await eventually(within: .seconds(30), "the job to fail") { try await Ready.state(database, refusedJob) == "failed" }
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(refusedJob)", as: Int.self) == 1)
                #expect(try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(refusedJob)", as: String.self).contains("is Active"))

                // Blank means Inactive: the school's students only, with regular synchronization on.
                try await database.execute("UPDATE sis.schools SET school_type = NULL WHERE school_code = \(code)")
                let job = try await Self.initialSync(database, ["--school", code])
                let students = try await database.scalar("""
                    SELECT count(DISTINCT e.student_id)::int FROM sis.enrolments e JOIN sis.schools s ON s.id = e.school_id
                    WHERE s.school_code = \(code)
                    """, as: Int.self)
                #expect(try await database.scalar("SELECT progress_total::int FROM queue.jobs WHERE id = \(job)", as: Int.self) >= students)
                #expect(try await database.scalar("""
                    SELECT count(*)::int FROM sync.core_alerts a WHERE a.raised_by = 'initial_sync' AND a.resolved_at IS NULL
                      AND NOT EXISTS (SELECT 1 FROM sis.enrolments e JOIN sis.schools s ON s.id = e.school_id
                                      WHERE e.student_id = a.student_id AND s.school_code = \(code))
                    """, as: Int.self) == 0)
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.core_alerts WHERE raised_by = 'initial_sync'", as: Int.self) > 0)
            }
        }
    }

    @Test("Initial Synchronization before Load Local Copy is refused, naming step 1")
    func beforeDownload() async throws {
        try await SimulatorFixture.with(students: 50) { fixture in
            try await Ready.firstDay(fixture)
            let (status, output) = try await SyncJobProcessTests.command(["run", "initial-sync"], fixture.database)
            #expect(status != 0)
            #expect(output.contains("the local PASI data store is empty: download it first"), "\(output)")
        }
    }
}
