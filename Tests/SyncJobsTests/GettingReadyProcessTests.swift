import DistrictSynthesis
import Foundation
import JobQueue
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The seed's "Getting Ready for Synchronization" steps 1 and 4 as an installation runs them on
/// its first day: the SIS loaded, the local store empty, the simulator serving the province over
/// HTTPS, real worker processes.
@Suite("Getting ready: Load Local Copy and Hash Synchronization", .serialized)
struct GettingReadyProcessTests {
    /// The first day: SIS only, the historical years of the synthetic district synchronized.
    static func firstDay(_ fixture: SimulatorFixture) async throws {
        do { try await stage(fixture) } catch { throw TestFailure(String(reflecting: error)) }
    }

    private static func stage(_ fixture: SimulatorFixture) async throws {
        try await SyncJobProcessTests.registerKinds(fixture.database)
        _ = try await DistrictLoader(client: fixture.database.client, logger: TestEnvironment.logger).load(fixture.generator, sisOnly: true)
        let settings = SettingsStore(client: fixture.database.client, logger: TestEnvironment.logger)
        _ = try await settings.set("historical_years_school_enrolment", to: "2", by: "test")
        _ = try await settings.set("local_id", to: "pasisync-test", by: "test")
    }

    /// Whether the local store holds exactly what the province holds, type by type (the hash of
    /// `id|version` of every record, as Hash Synchronization compares them).
    static func storeEqualsProvince(_ fixture: SimulatorFixture) async throws -> [String] {
        let store = PASIStore(client: fixture.database.client, logger: TestEnvironment.logger)
        var differing: [String] = []
        var types: [(RecordType, NotificationType)] = [
            (.student, try NotificationType(.student)), (.school, try NotificationType(.school)),
            (.schoolAuthority, try NotificationType(.schoolAuthority)),
        ]
        for year in fixture.generator.schoolYears {
            types.append((.schoolEnrolment, try NotificationType(.studentSchoolEnrolment, year: SchoolYear(endYear: year))))
        }
        for (entity, type) in types {
            let local = VersionHash.of(try await store.versions(of: entity, schoolYear: type.year))
            if await fixture.province.hash(of: type) != local { differing.append(type.description) }
        }
        return differing
    }

    static func state(_ database: TestDatabase, _ id: Int64) async throws -> String {
        try await database.scalar("SELECT state::text FROM queue.jobs WHERE id = \(id)", as: String.self)
    }

    static func lastJob(_ database: TestDatabase, kind: String) async throws -> Int64 {
        try await database.scalar("SELECT max(id) FROM queue.jobs WHERE kind = \(kind)", as: Int64.self)
    }

    @Test("Load Local Copy from `pasisync run --wait`: every type and year downloaded in batches, equal to PASI, progress per type")
    func loadLocalCopy() async throws {
        try await SimulatorFixture.with(students: 900) { fixture in
            let database = fixture.database
            try await Self.firstDay(fixture)
            #expect(try await database.scalar("SELECT count(*)::int FROM pasi.students", as: Int.self) == 0)
            try await withWorkers(2, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                let (status, output) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], database, within: .seconds(120))
                #expect(status == 0, "\(output)")
                #expect(try await Self.storeEqualsProvince(fixture) == [])
                let job = try await Self.lastJob(database, kind: "load_local_copy")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "Load Local Copy")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message.contains("Student 900 of 900"), "\(message)")
                // 900 students in batches of 400: three GetStudent calls, each once.
                #expect(try await database.scalar("""
                    SELECT count(*)::int FROM sync.message_log m JOIN queue.jobs j ON j.id = m.job_id
                    WHERE m.operation = 'GetStudent' AND j.parent_id = \(job)
                    """, as: Int.self) == 3)
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.download_progress WHERE job_id = \(job) AND done <> items", as: Int.self) == 0)
                // The feed cursors stand where the download read the feed.
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.feed_cursors WHERE updated_by_job = \(job) AND version > 0", as: Int.self) >= 5)
                // The names, addresses and phones came with the students.
                #expect(try await database.scalar("SELECT count(DISTINCT asn)::int FROM pasi.student_names", as: Int.self) == 900)
            }
        }
    }

    @Test("kill -9 of a worker during Load Local Copy: the store still ends equal to PASI, and no finished batch is fetched again")
    func killedWorker() async throws {
        try await SimulatorFixture.with(students: 2_400) { fixture in
            let database = fixture.database
            try await Self.firstDay(fixture)
            var plan = FaultPlan()
            plan.latencyMilliseconds = 150
            fixture.server.faults.plan = plan
            let environment = SyncJobProcessTests.pasiEnvironment(port: fixture.port)
            try await withWorkers(2, database, slots: 2, leaseSeconds: 4, environment: environment) { workers in
                try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('load_local_copy')")
                let job = try await Self.lastJob(database, kind: "load_local_copy")
                try await eventually(within: .seconds(60), "some batches stored and some running") {
                    let stored = try await database.scalar("SELECT count(*)::int FROM sync.download_batches WHERE finished_at IS NOT NULL", as: Int.self)
                    let running = try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'pasi_download' AND state = 'running'", as: Int.self)
                    return stored >= 2 && running >= 1
                }
                workers[0].send(SIGKILL)
                let replacement = try PasisyncProcess.worker(database, slots: 2, leaseSeconds: 4, environment: environment)
                defer { Task { await replacement.stop() } }
                try await eventually(within: .seconds(120), "Load Local Copy to complete") {
                    try await Self.state(database, job) == "completed"
                }
                #expect(try await Self.storeEqualsProvince(fixture) == [])
                // Each batch's records were fetched once, except the batches the killed worker held
                // (at most its two slots), which were fetched again.
                let batches = try await database.scalar("SELECT count(*)::int FROM sync.download_batches WHERE root_job_id = \(job)", as: Int.self)
                let gets = try await database.scalar("""
                    SELECT count(*)::int FROM sync.message_log m JOIN queue.jobs j ON j.id = m.job_id
                    WHERE m.operation LIKE 'Get%' AND m.outcome = 'Success' AND j.parent_id = \(job)
                    """, as: Int.self)
                #expect(gets >= batches && gets <= batches + 2, "\(gets) Get calls for \(batches) batches")
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.download_batches WHERE root_job_id = \(job) AND finished_at IS NULL", as: Int.self) == 0)
                await replacement.stop()
            }
        }
    }

    @Test("a PASI outage when Load Local Copy starts: the job retries and completes")
    func outage() async throws {
        try await SimulatorFixture.with(students: 600) { fixture in
            let database = fixture.database
            try await Self.firstDay(fixture)
            try await withWorkers(1, database, slots: 2, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                // PASI is down when the job starts: its first attempt fails as transient and is retried.
                var plan = FaultPlan()
                plan.outageUntil = Date().addingTimeInterval(3)
                fixture.server.faults.plan = plan
                try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('load_local_copy')")
                let job = try await Self.lastJob(database, kind: "load_local_copy")
                try await eventually(within: .seconds(120), "Load Local Copy to complete after the outage") {
                    try await Self.state(database, job) == "completed"
                }
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(job)", as: Int.self) >= 2)
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.message_log WHERE job_id = \(job) AND outcome <> 'Success'", as: Int.self) >= 1)
                #expect(try await Self.storeEqualsProvince(fixture) == [])
            }
        }
    }

    @Test("Hash Synchronization: equal hashes make no Get call; after /admin/change exactly the changed records are fetched")
    func hashSync() async throws {
        try await SimulatorFixture.with(students: 500) { fixture in
            let database = fixture.database
            try await Self.firstDay(fixture)
            let environment = SyncJobProcessTests.pasiEnvironment(port: fixture.port)
            try await withWorkers(1, database, slots: 3, environment: environment) { _ in
                let (loaded, loadOutput) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], database, within: .seconds(120))
                #expect(loaded == 0, "\(loadOutput)")

                // Off: Run Now is refused, and a job inserted from psql fails once with the same reason.
                let (refused, refusal) = try await SyncJobProcessTests.command(["run", "hash-sync"], database)
                #expect(refused != 0)
                #expect(refusal.contains("Hash On-Demand is disabled when Hash Synchronization is off"), "\(refusal)")
                try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('hash_sync')")
                let off = try await Self.lastJob(database, kind: "hash_sync")
                try await eventually(within: .seconds(30), "the job to fail") { try await Self.state(database, off) == "failed" }
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(off)", as: Int.self) == 1)

                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'hash_synchronization'")
                let (matched, matchedOutput) = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
                #expect(matched == 0, "\(matchedOutput)")
                let first = try await Self.lastJob(database, kind: "hash_sync")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(first)", as: String.self) == "Hash Sync – Manual")
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.hash_results WHERE job_id = \(first) AND status <> 'Matched'", as: Int.self) == 0)
                #expect(try await database.scalar("""
                    SELECT count(*)::int FROM sync.message_log m LEFT JOIN queue.jobs j ON j.id = m.job_id
                    WHERE m.operation LIKE 'Get%' AND (m.job_id = \(first) OR j.parent_id = \(first))
                    """, as: Int.self) == 0)

                // Records changed behind the client's back (a new version each).
                let changed = await fixture.province.touch(.student, count: 6) + fixture.province.touch(.schoolEnrolment, count: 4)
                #expect(changed == 10)
                let (refreshed, refreshedOutput) = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
                #expect(refreshed == 0, "\(refreshedOutput)")
                let second = try await Self.lastJob(database, kind: "hash_sync")
                #expect(try await database.scalar(
                    "SELECT coalesce(sum(to_fetch), 0)::int FROM sync.hash_results WHERE job_id = \(second)", as: Int.self) == 10)
                #expect(try await database.scalar(
                    "SELECT coalesce(sum(items), 0)::int FROM sync.download_batches WHERE root_job_id = \(second)", as: Int.self) == 10)
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.hash_sync_status WHERE status = 'Refreshed' AND job_id = \(second)", as: Int.self) >= 2)
                #expect(try await Self.storeEqualsProvince(fixture) == [])

                // A record PASI's list lacks is asked for: PASI does not know it (Unknown,
                // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_section.html), an access
                // outcome and not a deletion: the local copy stays, marked, and out of the local hash.
                let store = PASIStore(client: database.client, logger: TestEnvironment.logger)
                let stray = try School(code: OrganizationNumber("9998"), name: "Closed School", pasiCoreVersion: 5)
                _ = try await store.upsert(stray)
                let (removed, removedOutput) = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
                #expect(removed == 0, "\(removedOutput)")
                let third = try await Self.lastJob(database, kind: "hash_sync")
                #expect(try await database.scalar(
                    "SELECT removed FROM sync.hash_results WHERE job_id = \(third) AND notification_type = 'School'", as: Int.self) == 1)
                #expect(try await store.school(code: OrganizationNumber("9998")) != nil)
                #expect(try await database.scalar(
                    "SELECT availability FROM sync.unavailable_records WHERE record_type = 'School' AND ref_id = '9998'", as: String.self) == "Unknown")
                try await Self.noAccessAndDeletion(fixture, store: store)
            }
        }
    }

    /// A student PASI answers No Access to stays in the local store, marked, through Hash
    /// Synchronization, which counts it; an enrolment PASI deleted (Created in Error: IsDeleted) stays
    /// in it, flagged, and is counted as deleted; the student comes back Normal when PASI gives it back.
    /// https://extranet.education.alberta.ca/pasidevnet/docs/Business/registration_status.html (no Registration
    /// Status on a 2020-endpoint enrolment: Created in Error is Is Deleted),
    /// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_school_enrolment_2018.html
    /// (Availability Status: Unknown, No Access, Normal), https://extranet.education.alberta.ca/pasidevnet/Docs/Business/is_data_available.html
    /// (the feed carries only what the organization may see).
    static func noAccessAndDeletion(_ fixture: SimulatorFixture, store: PASIStore) async throws {
        let database = fixture.database
        let asn = try #require(try await store.versions(of: .student).first?.id)
        let enrolmentID = try #require(try await store.versions(of: .schoolEnrolment).first?.id)
        let enrolment = try #require(await fixture.province.record(SchoolEnrolment.self, id: enrolmentID))
        let hidden = try await RawRequest.post(to: "https://127.0.0.1:\(fixture.port)/admin/access?type=Student&id=\(asn)&access=NoAccess", body: [])
        #expect(hidden.status == 200, "\(hidden.body)")
        _ = try await fixture.client.delete(SchoolEnrolment.self, id: enrolmentID, version: enrolment.pasiCoreVersion)

        let (status, output) = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
        #expect(status == 0, "\(output)")
        let fourth = try await lastJob(database, kind: "hash_sync")
        #expect(try await store.student(asn: ASN(asn)) != nil, "No Access keeps the local record")
        #expect(try await database.scalar(
            "SELECT availability FROM pasi.record_availability WHERE record_type = 'Student' AND ref_id = \(asn)", as: String.self) == "NoAccess")
        let deleted = try await store.schoolEnrolment(refId: RefId(enrolmentID))
        #expect(deleted?.isDeleted == true, "an enrolment PASI deleted stays in the local copy, IsDeleted")
        #expect(deleted?.pasiCoreVersion == (await fixture.province.record(SchoolEnrolment.self, id: enrolmentID))?.pasiCoreVersion)
        // Hash Synchronization reports both, per type.
        #expect(try await database.scalar(
            "SELECT no_access::int FROM sync.hash_sync_status WHERE job_id = \(fourth) AND notification_type = 'Student'", as: Int.self) == 1)
        #expect(try await database.scalar(
            "SELECT coalesce(sum(deleted), 0)::int FROM sync.hash_sync_status WHERE job_id = \(fourth)", as: Int.self) == 1)

        // Marked, it is no longer fetched: the next run matches the students' hash.
        _ = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
        let fifth = try await lastJob(database, kind: "hash_sync")
        #expect(try await database.scalar(
            "SELECT status FROM sync.hash_results WHERE job_id = \(fifth) AND notification_type = 'Student'", as: String.self) == "Matched")
        // The deleted enrolment is in PASI's hash list and in the local copy alike: its year matches too.
        let enrolmentType = "StudentSchoolEnrolment.\(enrolment.schoolYear.endYear)"
        #expect(try await database.scalar(
            "SELECT status FROM sync.hash_results WHERE job_id = \(fifth) AND notification_type = \(enrolmentType)",
            as: String.self) == "Matched")

        // Given back (a new version in the feed): fetched, Normal again, the mark gone.
        let back = try await RawRequest.post(to: "https://127.0.0.1:\(fixture.port)/admin/access?type=Student&id=\(asn)&access=Normal", body: [])
        #expect(back.status == 200, "\(back.body)")
        _ = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
        #expect(try await database.scalar(
            "SELECT count(*)::int FROM pasi.record_availability WHERE record_type = 'Student' AND ref_id = \(asn)", as: Int.self) == 0)
        #expect(try await store.student(asn: ASN(asn))?.pasiCoreVersion == (await fixture.province.record(Student.self, id: asn))?.pasiCoreVersion)
    }
}
