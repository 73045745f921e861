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

/// The Synchronization Queue page: what it lists, its filters, cancel, retry and Run Now, each
/// answered in the words of `pasisync cancel`, `retry` and `run` (../shared/PROCESSES.md).
@Suite("console: Synchronization Queue")
struct ConsoleQueueTests {
    @Test("the queue lists jobs with their seed titles, state, progress and last error; filters by kind and state")
    func listAndFilter() async throws {
        try await ConsoleFixture.with { console in
            try await console.database.execute("""
                INSERT INTO queue.jobs (kind, args, state, progress_done, progress_total, progress_message, last_error)
                VALUES ('load_local_copy', '{}', 'running', 412, 1380, 'school 0123: 412 of 1,380 students matched', NULL),
                       ('code_values', '{}', 'failed', NULL, NULL, NULL, 'PASI answered 503 three times')
                """)
            let browser = try await console.login("viewer")
            let all = try await console.get("/queue", as: browser)
            for text in ["Load Local Copy", "Code Values Download", "<progress value=\"412\" max=\"1380\">", "30%",
                         "school 0123: 412 of 1,380 students matched", "PASI answered 503 three times", "data-live"] {
                #expect(all.text.contains(text), "\(text)")
            }
            let byKind = try await console.get("/queue?kind=code_values", as: browser)
            #expect(byKind.text.contains("Code Values Download") && !byKind.text.contains("412 of 1,380"))
            let byState = try await console.get("/queue?state=running", as: browser)
            #expect(byState.text.contains("412 of 1,380") && !byState.text.contains("PASI answered 503"))
            // The live region's source keeps the filter, so a refresh does not widen it.
            #expect(byState.text.contains("data-live-src=\"/queue?state=running\""))
        }
    }

    @Test("cancel and retry answer as pasisync cancel and retry do, refusals included, and are audited")
    func cancelAndRetry() async throws {
        try await ConsoleFixture.with { console in
            let id: Int64 = try await console.database.scalar("INSERT INTO queue.jobs (kind, args) VALUES ('code_values', '{}') RETURNING id")
            let operator_ = try await console.login("operator")
            let retryPending = try await console.post("/queue/\(id)/retry", [], as: operator_)
            #expect(retryPending.status == .conflict)
            #expect(retryPending.text.contains("job \(id) is pending; only failed or cancelled jobs can be retried"))
            let cancelled = try await console.post("/queue/\(id)/cancel", [], as: operator_)
            #expect(cancelled.status == .ok)
            #expect(cancelled.text.contains("job \(id) cancelled"))
            #expect(try await console.jobs(kind: CodeValues.kind).map(\.state) == ["cancelled"])
            let retried = try await console.post("/queue/\(id)/retry", [], as: operator_)
            #expect(retried.text.contains("job \(id) queued again"))
            #expect(try await console.jobs(kind: CodeValues.kind).map(\.state) == ["pending"])
            let finished: Int64 = try await console.database.scalar(
                "INSERT INTO queue.jobs (kind, args, state) VALUES ('code_values', '{}', 'completed') RETURNING id")
            let again = try await console.post("/queue/\(finished)/cancel", [], as: operator_)
            #expect(again.status == .conflict)
            #expect(again.text.contains("job \(finished) is already completed; nothing to cancel"))
            let missing = try await console.post("/queue/999999/cancel", [], as: operator_)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("no job 999999"))
            let audit = try await console.audit().filter { $0.action == "cancel" || $0.action == "retry" }
            #expect(audit.map(\.outcome) == ["refused", "done", "done", "refused", "refused"])
            #expect(audit.allSatisfy { $0.user == "operator" })
        }
    }

    @Test("Run Now offers every process of RunNow and enqueues the job pasisync run enqueues")
    func runNow() async throws {
        try await ConsoleFixture.with { console in
            let operator_ = try await console.login("operator")
            let page = try await console.get("/queue", as: operator_)
            for process in RunNow.all {
                #expect(page.text.contains("name=\"name\" value=\"\(process.name)\""), "Run Now of \(process.name)")
            }
            let run = try await console.post("/queue/run", [("name", "load-local-copy")], as: operator_)
            #expect(run.status == .ok)
            let jobs = try await console.jobs(kind: LoadLocalCopy.kind)
            #expect(jobs.count == 1)
            #expect(run.text.contains("job \(jobs[0].id) of load-local-copy queued"))
            let audit = try await console.audit().last
            #expect(audit?.action == "run" && audit?.outcome == "done")
        }
    }

    @Test("Run Now is refused with the seed's reason, the very words pasisync run prints")
    func runNowRefusals() async throws {
        try await ConsoleFixture.with { console in
            let operator_ = try await console.login("operator")
            let settings = SettingsStore(client: console.database.client, logger: TestEnvironment.logger)
            let queue = QueueStore(client: console.database.client, logger: TestEnvironment.logger)
            // Hash On-Demand while Hash Synchronization is off (the default); an Initial Upload
            // without its school; a name that is no process.
            let cases: [(String, RunNowOptions, [(String, String)])] = [
                ("hash-sync", RunNowOptions(), [("name", "hash-sync")]),
                ("initial-upload", RunNowOptions(type: "sections"), [("name", "initial-upload"), ("type", "sections")]),
                ("no-such-process", RunNowOptions(), [("name", "no-such-process")]),
            ]
            for (name, options, fields) in cases {
                // What `pasisync run` says (it calls the same RunNow.enqueue and prints this description).
                let cliWords: String
                do {
                    _ = try await RunNow.enqueue(name, options, settings: settings, queue: queue)
                    Issue.record("\(name) was not refused")
                    continue
                } catch let refused as RunNowRefused {
                    cliWords = refused.description
                }
                let page = try await console.post("/queue/run", fields, as: operator_)
                #expect(page.status == .conflict, "\(name)")
                #expect(page.text.contains(Self.escaped(cliWords)), "\(name): \(cliWords)")
            }
            #expect(try await console.jobCount() == 0)
            let refusals = try await console.audit().filter { $0.action == "run" }
            #expect(refusals.count == cases.count && refusals.allSatisfy { $0.outcome == "refused" })
            #expect(refusals.first?.detail?.contains("Hash On-Demand is disabled when Hash Synchronization is off") == true)
        }
    }

    /// The text as Mustache escapes it in a page.
    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}
