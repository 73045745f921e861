import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import JobQueue
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// A user limited to some schools on the queue and the audit log: jobs that name another school are
/// neither listed, nor opened, nor cancelled or retried (alone or in bulk), nor run; the audit log
/// holds their own actions only.
@Suite("console: school limits on the queue and the audit log")
struct ConsoleQueueScopeTests {
    /// Jobs naming school 1042 (the limited users'), 1043 (another) and none.
    static func plant(_ console: ConsoleFixture) async throws -> (ours: Int64, theirs: Int64, district: Int64) {
        let ours: Int64 = try await console.database.scalar(
            "INSERT INTO queue.jobs (kind, args, state) VALUES ('initial_sync', '{\"school\": \"1042\"}', 'failed') RETURNING id")
        let theirs: Int64 = try await console.database.scalar(
            "INSERT INTO queue.jobs (kind, args, state) VALUES ('initial_sync', '{\"school\": \"1043\"}', 'failed') RETURNING id")
        let district: Int64 = try await console.database.scalar(
            "INSERT INTO queue.jobs (kind, args, state) VALUES ('code_values', '{}', 'failed') RETURNING id")
        return (ours, theirs, district)
    }

    @Test("a limited user's queue lists its schools' jobs and those naming no school; another school's job is no job")
    func listAndOpen() async throws {
        try await ConsoleFixture.with { console in
            let jobs = try await Self.plant(console)
            let limited = try await console.login("limited")
            let page = try await console.get("/queue", as: limited)
            #expect(page.text.contains("href=\"/queue/\(jobs.ours)\"") && page.text.contains("href=\"/queue/\(jobs.district)\""))
            #expect(!page.text.contains("href=\"/queue/\(jobs.theirs)\""))
            #expect(try await console.get("/queue/\(jobs.ours)", as: limited).status == .ok)
            #expect(try await console.get("/queue/\(jobs.theirs)", as: limited).status == .notFound)
            // Every school's for a user of every school.
            let viewer = try await console.login("viewer")
            #expect(try await console.get("/queue", as: viewer).text.contains("href=\"/queue/\(jobs.theirs)\""))
            #expect(try await console.get("/queue/\(jobs.theirs)", as: viewer).status == .ok)
        }
    }

    @Test("a limited operator cannot cancel or retry another school's job, alone or in bulk: answered as a job that does not exist")
    func actions() async throws {
        try await ConsoleFixture.with { console in
            let jobs = try await Self.plant(console)
            let limitedOp = try await console.login("limited-op")
            let retryTheirs = try await console.post("/queue/\(jobs.theirs)/retry", [], as: limitedOp)
            #expect(retryTheirs.status == .notFound)
            #expect(retryTheirs.text.contains("no job \(jobs.theirs)"))
            let retryOurs = try await console.post("/queue/\(jobs.ours)/retry", [], as: limitedOp)
            #expect(retryOurs.text.contains("job \(jobs.ours) queued again"))
            let cancelTheirs = try await console.post("/queue/\(jobs.theirs)/cancel", [], as: limitedOp)
            #expect(cancelTheirs.status == .notFound)
            // Bulk retry of every failed job: ours (naming no school, and the school's), not theirs.
            let bulk = try await console.post("/queue/retry-matching", [("state", "failed")], as: limitedOp)
            #expect(bulk.text.contains("1 job queued again"))
            var states: [Int64: String] = [:]
            for try await (id, state) in try await console.database.client.query(
                "SELECT id, state::text FROM queue.jobs", logger: TestEnvironment.logger
            ).decode((Int64, String).self) { states[id] = state }
            #expect(states[jobs.theirs] == "failed")
            #expect(states[jobs.ours] == "pending" && states[jobs.district] == "pending")
        }
    }

    @Test("a limited operator runs a process for one of its schools only: another school's or the whole district's is refused")
    func runNow() async throws {
        try await ConsoleFixture.with { console in
            let limitedOp = try await console.login("limited-op")
            let other = try await console.post("/queue/run", [("name", "initial-sync"), ("school", "1043")], as: limitedOp)
            #expect(other.status == .forbidden)
            #expect(other.text.contains("school 1043 is not one of your schools (1042)"))
            let district = try await console.post("/queue/run", [("name", "load-local-copy")], as: limitedOp)
            #expect(district.status == .forbidden)
            #expect(district.text.contains("your user is limited to schools 1042"))
            #expect(try await console.jobCount() == 0)
            let audit = try await console.auditRows(action: "run")
            #expect(audit.map(\.outcome) == ["refused", "refused"])
            #expect(audit.map(\.target) == ["run initial-sync school 1043", "run load-local-copy"])
        }
    }

    @Test("a limited user's audit log holds its own actions only; an unlimited user's holds everyone's")
    func audit() async throws {
        try await ConsoleFixture.with { console in
            let jobs = try await Self.plant(console)
            let operator_ = try await console.login("operator")
            _ = try await console.post("/queue/\(jobs.theirs)/retry", [], as: operator_)
            let limitedOp = try await console.login("limited-op")
            _ = try await console.post("/queue/\(jobs.ours)/retry", [], as: limitedOp)
            let page = try await console.get("/audit", as: limitedOp)
            #expect(page.text.contains("job \(jobs.ours)"))
            #expect(!page.text.contains("job \(jobs.theirs)"))
            #expect(!page.text.contains("<td>operator</td>"))
            #expect(page.text.contains("these are your own actions"))
            let all = try await console.get("/audit", as: try await console.login("viewer"))
            #expect(all.text.contains("job \(jobs.theirs)") && all.text.contains("job \(jobs.ours)"))
        }
    }
}
