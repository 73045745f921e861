import Foundation
import JobQueue
import PASIContract
@testable import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
@testable import SyncJobs
import SyncStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The sync job framework as people use it: `pasisync run`, psql INSERTs, real worker processes,
/// the simulator over HTTPS with client certificates.
@Suite("Sync jobs on worker processes", .serialized)
struct SyncJobProcessTests {
    /// The PASI endpoint variables of `../shared/PROCESSES.md` for a simulator on `port`.
    static func pasiEnvironment(port: Int) -> [String: String] {
        let certificates = SimulatorFixture.certificates
        return ["PASISYNC_PASI_URL": "https://127.0.0.1:\(port)/pasi", "PASISYNC_PASI_CERT": certificates.clientCertificate,
                "PASISYNC_PASI_KEY": certificates.clientKey, "PASISYNC_PASI_CA": certificates.caCertificate]
    }

    /// Runs `pasisync ARGUMENTS` to its end: its exit status and what it printed.
    static func command(_ arguments: [String], _ database: TestDatabase, within timeout: Duration = .seconds(60)) async throws -> (Int32?, String) {
        let process = try PasisyncProcess(arguments, database: database)
        let status = await process.waitForExit(within: timeout)
        let log = process.log
        await process.stop()
        return (status, log)
    }

    /// `pasisync migrate`: registers every kind of this binary, as an installation does before
    /// anything is run.
    static func registerKinds(_ database: TestDatabase) async throws {
        let (status, output) = try await command(["migrate"], database)
        guard status == 0 else { throw TestFailure("pasisync migrate failed: \(output)") }
    }

    @Test("code_values over HTTPS: `pasisync run code-values --wait` and a psql INSERT fill the code values and the current school year")
    func codeValues() async throws {
        try await SimulatorFixture.with(students: 20) { fixture in
            let database = fixture.database
            try await Self.registerKinds(database)
            let expected = await fixture.province.codeValues(since: 0)
            try await withWorkers(1, database, slots: 2, environment: Self.pasiEnvironment(port: fixture.port)) { _ in
                let (status, output) = try await Self.command(["run", "code-values", "--wait"], database)
                #expect(status == 0, "\(output)")
                #expect(output.contains("completed"), "\(output)")
                #expect(try await database.scalar("SELECT count(*)::int FROM pasi.code_values", as: Int.self) == expected.codeValue.count)
                #expect(try await database.scalar("SELECT count(*)::int FROM pasi.school_years", as: Int.self) == expected.acceptedSchoolYear.count)
                let current = try #require(expected.acceptedSchoolYear.first { $0.status == .current }).schoolYear
                // The seed's spelling, 2017-2018, in the table, the psql view and `pasisync settings show`
                // (issue 20 item 7; /work/shared/seed: "Current School Year for Synchronization").
                #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'current_school_year'", as: String.self)
                        == current.hyphenated)
                #expect(try await database.scalar("SELECT value FROM sync.settings_page WHERE key = 'current_school_year'", as: String.self)
                        == "\(current.endYear - 1)-\(current.endYear)")
                let (shown, listing) = try await Self.command(["settings", "show"], database)
                #expect(shown == 0, "\(listing)")
                let line = listing.split(separator: "\n").first { $0.contains(" current_school_year ") } ?? ""
                #expect(line.contains(" \(current.endYear - 1)-\(current.endYear) ") && !line.contains("/"), "\(line)")
                let job = try await database.scalar("SELECT max(id) FROM queue.jobs WHERE kind = 'code_values'", as: Int64.self)
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.message_log WHERE operation = 'GetCodeValues' AND job_id = \(job)", as: Int.self) == 1)

                // The same job from psql; it asks only for what changed since the last version.
                try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('code_values')")
                let second = try await database.scalar("SELECT max(id) FROM queue.jobs WHERE kind = 'code_values'", as: Int64.self)
                try await eventually(within: .seconds(30), "the psql job to complete") {
                    try await database.scalar("SELECT state::text FROM queue.jobs WHERE id = \(second)", as: String.self) == "completed"
                }
                #expect(try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(second)", as: String.self)
                        .hasPrefix("0 code value(s) new or changed; current school year \(current)"))
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(second)", as: String.self) == "Code Values Download")
                // Read-only for people: written by this job, which names itself, run after run.
                #expect(try await database.scalar("SELECT updated_by FROM sync.settings WHERE key = 'current_school_year'", as: String.self)
                        == "code_values")
                let refusal = await database.refusal("UPDATE sync.settings SET value = '2030/2031' WHERE key = 'current_school_year'")
                #expect(refusal == "current_school_year is read-only: only the software sets it")
            }
        }
    }

    /// How many of Regular Synchronization's two jobs wait for the Start Delay until `due`
    /// (within a second or two: the database's clock and the worker's are the same machine's).
    static func waitingForStartDelay(_ database: TestDatabase, until due: Date) async throws -> Int {
        try await database.scalar("""
            SELECT count(*)::int FROM queue.jobs
            WHERE kind IN ('regular_sync', 'pasi_data_available') AND state = 'pending'
              AND progress_message = \(StartDelay.waitingReason)
              AND abs(extract(epoch FROM run_at) - \(due.timeIntervalSince1970)) < 2
            """, as: Int.self)
    }

    /// A cluster started now (no PASI: the Start Delay holds the jobs before they need it).
    static func clusterStartingNow() -> (Date, [String: String]) {
        let start = Date()
        return (start, ["PASISYNC_CLUSTER_STARTED_AT": "\(start.timeIntervalSince1970)"])
    }

    @Test("the Start Delay counts from the cluster's latest start: on with 5 minutes, set to 1, restarted, the jobs wait 1 minute from the restart")
    func startDelayAfterRestart() async throws {
        try await TestDatabase.with { database in
            try await Self.registerKinds(database)
            let (first, firstEnvironment) = Self.clusterStartingNow()
            try await withWorkers(2, database, slots: 2, environment: firstEnvironment) { _ in
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await eventually(within: .seconds(30), "both jobs waiting 5 minutes from the first start") {
                    try await Self.waitingForStartDelay(database, until: first.addingTimeInterval(300)) == 2
                }
            }
            try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'start_delay_minutes'")
            let (restart, restartEnvironment) = Self.clusterStartingNow()
            try await withWorkers(2, database, slots: 2, environment: restartEnvironment) { _ in
                try await eventually(within: .seconds(30), "both jobs waiting 1 minute from the restart") {
                    try await Self.waitingForStartDelay(database, until: restart.addingTimeInterval(60)) == 2
                }
            }
        }
    }

    @Test("the Start Delay starts again when the cluster restarts, the setting unchanged")
    func startDelayRestartsWithCluster() async throws {
        try await TestDatabase.with { database in
            try await Self.registerKinds(database)
            // A cluster started 4 minutes ago: its jobs wait one more minute.
            let first = Date().addingTimeInterval(-240)
            try await withWorkers(1, database, slots: 2, environment: ["PASISYNC_CLUSTER_STARTED_AT": "\(first.timeIntervalSince1970)"]) { _ in
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await eventually(within: .seconds(30), "both jobs waiting 5 minutes from the first start") {
                    try await Self.waitingForStartDelay(database, until: first.addingTimeInterval(300)) == 2
                }
            }
            let (restart, environment) = Self.clusterStartingNow()
            try await withWorkers(1, database, slots: 2, environment: environment) { _ in
                try await eventually(within: .seconds(30), "both jobs waiting 5 minutes from the restart") {
                    try await Self.waitingForStartDelay(database, until: restart.addingTimeInterval(300)) == 2
                }
            }
        }
    }

    @Test("the Start Delay follows its setting: shortened while the jobs wait, they wait the new delay from the cluster's start")
    func startDelayFollowsSetting() async throws {
        try await TestDatabase.with { database in
            try await Self.registerKinds(database)
            let (start, environment) = Self.clusterStartingNow()
            try await withWorkers(2, database, slots: 2, environment: environment) { _ in
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await eventually(within: .seconds(30), "both jobs waiting 5 minutes from the start") {
                    try await Self.waitingForStartDelay(database, until: start.addingTimeInterval(300)) == 2
                }
                try await database.execute("UPDATE sync.settings SET value = '2' WHERE key = 'start_delay_minutes'")
                try await eventually(within: .seconds(30), "both jobs waiting 2 minutes from the start") {
                    try await Self.waitingForStartDelay(database, until: start.addingTimeInterval(120)) == 2
                }
                // Lengthened: they wait longer, from the same start.
                try await database.execute("UPDATE sync.settings SET value = '7' WHERE key = 'start_delay_minutes'")
                try await eventually(within: .seconds(30), "both jobs waiting 7 minutes from the start") {
                    try await Self.waitingForStartDelay(database, until: start.addingTimeInterval(420)) == 2
                }
            }
        }
    }

    @Test("a sync job that runs out of Maximum Attempts fails and raises its Failure alert")
    func outOfAttempts() async throws {
        try await SimulatorFixture.with(students: 5) { fixture in
            let database = fixture.database
            try await Self.registerKinds(database)
            _ = try await SettingsStore(client: database.client, logger: TestEnvironment.logger).set("maximum_attempts", to: "2", by: "test")
            // Nothing listens on port 9 of the loopback: every call is refused, a transient failure.
            try await withWorkers(1, database, slots: 1, environment: Self.pasiEnvironment(port: 9)) { _ in
                try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('code_values')")
                let id = try await database.scalar("SELECT max(id) FROM queue.jobs", as: Int64.self)
                try await eventually(within: .seconds(40), "the job to fail") {
                    try await database.scalar("SELECT state::text FROM queue.jobs WHERE id = \(id)", as: String.self) == "failed"
                }
                #expect(try await database.scalar("SELECT attempt || '/' || max_attempts FROM queue.jobs WHERE id = \(id)", as: String.self) == "2/2")
                let message = try await database.scalar(
                    "SELECT message FROM sync.core_alerts WHERE alert_type = 'Failure' AND job_id = \(id)", as: String.self)
                #expect(message.hasPrefix("Code Values Download (job \(id)) failed after 2 of 2 attempts: transient"), "\(message)")
            }
        }
    }

    @Test("without PASI's endpoint a sync job fails once, naming what to set")
    func noEndpoint() async throws {
        try await TestDatabase.with { database in
            try await Self.registerKinds(database)
            let unset = ["PASISYNC_PASI_URL": "", "PASISYNC_PASI_CERT": "", "PASISYNC_PASI_KEY": "", "PASISYNC_PASI_CA": ""]
            try await withWorkers(1, database, slots: 1, environment: unset) { _ in
                let (status, output) = try await Self.command(["run", "code-values", "--wait"], database)
                #expect(status != 0)
                #expect(output.contains("PASI is not configured: set PASISYNC_PASI_URL, PASISYNC_PASI_CERT, PASISYNC_PASI_KEY"), "\(output)")
            }
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE kind = 'code_values'", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.core_alerts WHERE alert_type = 'Failure'", as: Int.self) == 1)
        }
    }

    @Test("pasisync run: the job a psql INSERT makes; the seed's refusals; processes not built; unknown names")
    func runRefusals() async throws {
        try await TestDatabase.with { database in
            try await Self.registerKinds(database)
            let (queued, printed) = try await Self.command(["run", "code-values"], database)
            #expect(queued == 0, "\(printed)")
            #expect(try await database.scalar("SELECT kind || ' ' || args::text || ' ' || state::text FROM queue.jobs", as: String.self)
                    == "code_values {} pending")

            let (hashOff, hashOutput) = try await Self.command(["run", "hash-sync"], database)
            #expect(hashOff != 0)
            #expect(hashOutput.contains("Hash On-Demand is disabled when Hash Synchronization is off"), "\(hashOutput)")
            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'hash_synchronization'")
            let (hashOn, hashQueued) = try await Self.command(["run", "hash-sync"], database)
            #expect(hashOn == 0, "\(hashQueued)")
            // Exam Marks Updates On-Demand is always available: its checks are the job's.
            let (exams, examsOutput) = try await Self.command(["run", "exam-marks-update"], database)
            #expect(exams == 0, "\(examsOutput)")

            let (unknown, unknownOutput) = try await Self.command(["run", "hash-synch"], database)
            #expect(unknown != 0)
            #expect(unknownOutput.contains(#"no process is named "hash-synch""#), "\(unknownOutput)")
            #expect(try await database.scalar("SELECT string_agg(kind, ',' ORDER BY id) FROM queue.jobs", as: String.self) == "code_values,hash_sync,exam_marks_update")
        }
    }

    @Test("a cluster started with a password in its database URL: no child's command line and no log line holds it")
    func noPasswordOnCommandLines() async throws {
        try await TestDatabase.with { database in
            let secret = "pw-\(UInt32.random(in: 0...UInt32.max))"
            // The test server trusts loopback connections: the password is carried, not checked.
            let url = database.url.replacingOccurrences(of: "://postgres@", with: "://postgres:\(secret)@")
            #expect(url.contains(secret))
            let cluster = try PasisyncProcess(["cluster", "--processes", "2", "--slots", "2", "--database-url", url], database: database)
            do {
                try await eventually(within: .seconds(60), "two workers registered") {
                    try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 2
                }
                let pids = try await database.scalar("SELECT string_agg(pid::text, ',') FROM queue.workers", as: String.self)
                for pid in pids.split(separator: ",") {
                    let commandLine = try Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline"))
                    let text = String(decoding: commandLine.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                    #expect(text.contains("worker"), "\(text)")
                    #expect(!text.contains(secret), "worker \(pid): \(text)")
                }
                try await database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('noop', '{\"fail_permanently\": true}')")
                try await eventually(within: .seconds(20), "the failing job to fail") {
                    try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'noop' AND state = 'failed'", as: Int.self) == 1
                }
                cluster.send(SIGTERM)
                #expect(await cluster.waitForExit(within: .seconds(30)) == 0)
                #expect(cluster.log.contains("worker started"), "\(cluster.log)")
                #expect(!cluster.log.contains(secret), "\(cluster.log)")
            } catch {
                await cluster.stop()
                throw error
            }
            await cluster.stop()
        }
    }

    @Test("the threading and history flags are held to their settings' ranges")
    func flagRanges() async throws {
        try await TestDatabase.with { database in
            let (slots, slotsOutput) = try await Self.command(["worker", "--slots", "65"], database)
            #expect(slots != 0)
            #expect(slotsOutput.contains("--slots must be from 1 to 64 (the Thread Count Factor setting's range), got 65"), "\(slotsOutput)")
            let (processes, processesOutput) = try await Self.command(["cluster", "--processes", "0"], database)
            #expect(processes != 0)
            #expect(processesOutput.contains("--processes must be from 1 to 64 (the Processes setting's range), got 0"), "\(processesOutput)")
            let (history, historyOutput) = try await Self.command(["worker", "--keep-history", "1001"], database)
            #expect(history != 0)
            #expect(historyOutput.contains("--keep-history must be from 1 to 1000"), "\(historyOutput)")
        }
    }
}

@Suite("Sync job framework")
struct SyncFrameworkUnitTests {
    @Test("the Start Delay holds regular synchronization back for its minutes after the cluster started")
    func startDelay() {
        let start = Date(timeIntervalSince1970: 1_000_000)
        let delay = StartDelay(minutes: 5)
        #expect(delay.remaining(since: start, now: start.addingTimeInterval(60)) == .seconds(240))
        #expect(delay.remaining(since: start, now: start.addingTimeInterval(300)) == nil)
        #expect(delay.remaining(since: start, now: start.addingTimeInterval(301)) == nil)
        #expect(delay.end(since: start) == start.addingTimeInterval(300))
        // The setting as it is now decides: shortened, the same start is over sooner.
        #expect(StartDelay(minutes: 1).remaining(since: start, now: start.addingTimeInterval(60)) == nil)
        #expect(StartDelay(minutes: 1).remaining(since: start, now: start.addingTimeInterval(30)) == .seconds(30))
        // From the latest start: a cluster restarted a minute later waits a minute longer.
        #expect(delay.remaining(since: start.addingTimeInterval(60), now: start.addingTimeInterval(60)) == .seconds(300))
    }

    @Test("PASI's endpoint from the environment, or the names of what is missing")
    func endpoint() {
        let missing = PASIEndpoint.fromEnvironment(["PASISYNC_PASI_URL": "https://pasi/", "PASISYNC_PASI_KEY": ""])
        guard case .failure(let what) = missing else { Issue.record("accepted"); return }
        #expect(what.variables == ["PASISYNC_PASI_CERT", "PASISYNC_PASI_KEY"])
        #expect(what.description.contains("--pasi-cert, --pasi-key"))
        let found = PASIEndpoint.fromEnvironment(["PASISYNC_PASI_URL": "u", "PASISYNC_PASI_CERT": "c", "PASISYNC_PASI_KEY": "k"])
        #expect((try? found.get()) == PASIEndpoint(url: "u", certificatePath: "c", privateKeyPath: "k", trustRootsPath: nil))
    }

    @Test("the current school year: the one PASI marks Current; several is a question for a person")
    func currentSchoolYear() throws {
        let years = [AcceptedSchoolYear(schoolYear: try SchoolYear(endYear: 2026), status: .current),
                     AcceptedSchoolYear(schoolYear: try SchoolYear(endYear: 2027), status: .future)]
        #expect(try CurrentSchoolYear.from(years) == SchoolYear(endYear: 2026))
        #expect(try CurrentSchoolYear.from([]) == nil)
        #expect(throws: JobError.self) {
            try CurrentSchoolYear.from(years + [AcceptedSchoolYear(schoolYear: try SchoolYear(endYear: 2025), status: .current)])
        }
    }

    @Test("PASI's 9014 snoozes the job; other transient faults retry; rejections fail at once")
    func faultsForJobs() throws {
        let resubmit = PASICoreError.fault(PASIFault(code: 9014, message: "resubmit"))
        #expect(resubmit.forJob is JobSnooze)
        #expect(PASICoreError.fault(PASIFault(code: 9001, message: "internal")).forJob is PASICoreError)
        #expect(PASICoreError.fault(PASIFault(code: 3002, message: "rule")).forJob is JobError)
    }

    @Test("arguments are encoded with sorted keys; every built kind registers as a sync kind")
    func registrations() throws {
        #expect(try CodeValues.newJob(NoArguments()).args == "{}")
        #expect(SyncJobs.registrations.map(\.name) == [
            "code_values", "load_local_copy", "initial_sync", "hash_sync", "pasi_download", "initial_sync_batch", "initial_sync_report",
            "regular_sync", "pasi_data_available", "alerts_reconciliation", "archive_events", "retention", "end_of_year", "initial_upload",
            "initial_upload_batch", "initial_upload_report", "der_download", "exam_marks_update", "document_submission"])
        #expect(SyncJobs.registrations.allSatisfy { $0.family == "sync" })
        // Every process has its Run Now; the download batches are only ever children, and
        // the processes of a switch (Regular Synchronization) run while it is on.
        let children = [PASIDownload.kind, InitialSyncBatch.kind, InitialSyncReport.kind, RegularSync.kind, PASIDataAvailable.kind,
                        InitialUploadBatch.kind, InitialUploadReport.kind]
        #expect(RunNow.all.map(\.kind) == SyncJobs.registrations.map(\.name).filter { !children.contains($0) })
    }
}
