import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import JobQueue
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// The Synchronization Queue's error history per job, its time filter, and the bulk cancel and
/// retry of what a filter selects (issue 24).
@Suite("console: job error history and bulk actions")
struct ConsoleQueueBulkTests {
    /// The states of the jobs `ids`, in that order.
    static func states(_ console: ConsoleFixture, _ ids: [Int64]) async throws -> [String] {
        var states: [Int64: String] = [:]
        for try await (id, state) in try await console.database.client.query(
            "SELECT id, state::text FROM queue.jobs WHERE id = ANY(\(ids))", logger: TestEnvironment.logger
        ).decode((Int64, String).self) { states[id] = state }
        return ids.map { states[$0] ?? "gone" }
    }

    static func insert(_ console: ConsoleFixture, _ kind: String, state: String = "pending", age: String = "0 seconds") async throws -> Int64 {
        try await console.database.scalar("""
            INSERT INTO queue.jobs (kind, state, created_at, finished_at, attempt, lease_owner, lease_expires_at)
            VALUES (\(kind), \(state)::queue.job_state, now() - \(age)::interval,
                    CASE WHEN \(state) IN ('completed', 'failed', 'cancelled') THEN now() END,
                    CASE WHEN \(state) = 'running' THEN 1 ELSE 0 END,
                    CASE WHEN \(state) = 'running' THEN 'worker-x' END,
                    CASE WHEN \(state) = 'running' THEN now() + interval '1 hour' END)
            RETURNING id
            """)
    }

    @Test("a job's page lists each attempt that ended in an error, oldest first, with its worker and whether it was permanent; a retry keeps them")
    func errorHistory() async throws {
        try await ConsoleFixture.with { console in
            let store = QueueStore(client: console.database.client, logger: TestEnvironment.logger)
            let id: Int64 = try await console.database.scalar("INSERT INTO queue.jobs (kind, max_attempts) VALUES ('noop', 2) RETURNING id")
            // Three attempts allowed; two on two workers, each failing as a worker records it
            // (QueueStore.fail): a transient error, retried, then a permanent one, which fails the job.
            try await console.database.execute("UPDATE queue.jobs SET max_attempts = 3 WHERE id = \(id)")
            for (worker, error, permanent) in [("worker-a", "PASI answered 503", false), ("worker-b", "PASI refused the request", true)] {
                let claimed = try #require(try await store.claim(kinds: ["noop"], limit: 1, worker: worker, lease: .seconds(30)).first)
                _ = try await store.fail(claimed, worker: worker, error: error, permanent: permanent, retryDelay: .zero)
            }
            #expect(try await Self.states(console, [id]) == ["failed"])

            let viewer = try await console.login("viewer")
            let queue = try await console.get("/queue", as: viewer)
            #expect(queue.text.contains("<a href=\"/queue/\(id)\">\(id)</a>"))
            let page = try await console.get("/queue/\(id)", as: viewer)
            #expect(page.status == .ok)
            #expect(page.text.contains("Job \(id): Diagnostic no-op"))
            #expect(page.text.contains("attempts 2/3 · age") && page.text.contains("· worker worker-b"))
            let first = try #require(page.text.range(of: "<td>1</td>"))
            let second = try #require(page.text.range(of: "<td>2</td>"))
            #expect(first.lowerBound < second.lowerBound, "oldest attempt first")
            let rows = String(page.text[first.lowerBound...])
            #expect(rows.contains("<td>worker-a</td><td class=\"err\">PASI answered 503</td><td>transient</td>"), "\(rows)")
            #expect(rows.contains("<td>worker-b</td><td class=\"err\">PASI refused the request</td><td>permanent</td>"), "\(rows)")

            // Retried from the console: queued again, its history kept.
            let operator_ = try await console.login("operator")
            #expect(try await console.post("/queue/\(id)/retry", [], as: operator_).text.contains("job \(id) queued again"))
            let after = try await console.get("/queue/\(id)", as: viewer)
            #expect(after.text.contains("PASI refused the request") && after.text.contains("<span class=\"badge pending\">pending</span>"))

            // A job without errors, and no job at all.
            let clean = try await Self.insert(console, "code_values")
            let cleanPage = try await console.get("/queue/\(clean)", as: viewer)
            #expect(cleanPage.text.contains("No attempt of this job has ended in an error."))
            // Never run: no runtime or worker to name, and no empty label for them.
            #expect(!cleanPage.text.contains("· runtime") && !cleanPage.text.contains("· worker"))
            let missing = try await console.get("/queue/999999", as: viewer)
            #expect(missing.status == .notFound && missing.text.contains("No such job"))
            #expect(try await console.get("/queue/\(id)").headers[.location] == "/login")
        }
    }

    @Test("bulk cancel acts on every unfinished job the filter selects, asks running ones to stop, and leaves the rest; audited")
    func bulkCancel() async throws {
        try await ConsoleFixture.with { console in
            let pending = [try await Self.insert(console, "code_values"), try await Self.insert(console, "code_values")]
            let running = try await Self.insert(console, "code_values", state: "running")
            let completed = try await Self.insert(console, "code_values", state: "completed")
            let other = try await Self.insert(console, "archive_events")
            let operator_ = try await console.login("operator")

            let page = try await console.get("/queue?kind=code_values", as: operator_)
            #expect(page.text.contains("Cancel the 3 unfinished jobs of the filter (kind code_values)"), "\(page.text)")
            let done = try await console.post("/queue/cancel-matching", [("kind", "code_values"), ("back", "kind=code_values")], as: operator_)
            #expect(done.status == .ok)
            #expect(done.text.contains("2 jobs cancelled; 1 running job asked to stop"))
            #expect(try await Self.states(console, pending + [running, completed, other])
                    == ["cancelled", "cancelled", "running", "completed", "pending"])
            #expect(try await console.database.scalar("SELECT cancel_requested FROM queue.jobs WHERE id = \(running)", as: Bool.self))

            // Nothing unfinished selected: refused, nothing changed.
            let none = try await console.post("/queue/cancel-matching", [("state", "completed")], as: operator_)
            #expect(none.status == .conflict)
            #expect(none.text.contains("no unfinished job matches the filter (state completed); nothing to cancel"))
            // A mistyped state is refused, never read as "every state".
            let typo = try await console.post("/queue/cancel-matching", [("state", "pendng")], as: operator_)
            #expect(typo.status == .badRequest && typo.text.contains("State must be one of"))
            #expect(try await Self.states(console, [other]) == ["pending"])
            // Nor is a bulk button offered under a refused filter (the list shows a wider one).
            let typoPage = try await console.get("/queue?state=pendng", as: operator_)
            #expect(typoPage.status == .badRequest && !typoPage.text.contains("cancel-matching"))
            // A viewer may not.
            let viewer = try await console.login("viewer")
            #expect(try await console.post("/queue/cancel-matching", [], as: viewer).status == .forbidden)
            #expect(!(try await console.get("/queue", as: viewer)).text.contains("cancel-matching"))
            #expect(try await Self.states(console, [other]) == ["pending"])

            let audit = try await console.audit().filter { $0.action == "cancel matching" }
            #expect(audit.map(\.outcome) == ["done", "refused", "refused", "refused"])
            #expect(audit.first?.detail == "2 jobs cancelled; 1 running job asked to stop")
        }
    }

    @Test("bulk retry queues again the failed and cancelled jobs the filter selects, the time window included")
    func bulkRetry() async throws {
        try await ConsoleFixture.with { console in
            let recentFailed = try await Self.insert(console, "code_values", state: "failed", age: "10 minutes")
            let recentCancelled = try await Self.insert(console, "archive_events", state: "cancelled", age: "1 hour")
            let oldFailed = try await Self.insert(console, "code_values", state: "failed", age: "2 days")
            let completed = try await Self.insert(console, "code_values", state: "completed", age: "10 minutes")
            let operator_ = try await console.login("operator")

            let window = try await console.get("/queue?since=24h", as: operator_)
            #expect(window.text.contains("Retry the 2 failed or cancelled jobs of the filter (made within the last 24 hours)"))
            #expect(window.text.contains("<a href=\"/queue/\(recentFailed)\">") && !window.text.contains("<a href=\"/queue/\(oldFailed)\">"))
            let done = try await console.post("/queue/retry-matching", [("since", "24h")], as: operator_)
            #expect(done.text.contains("2 jobs queued again"), "\(done.text)")
            #expect(try await Self.states(console, [recentFailed, recentCancelled, oldFailed, completed])
                    == ["pending", "pending", "failed", "completed"])

            let again = try await console.post("/queue/retry-matching", [("since", "24h")], as: operator_)
            #expect(again.status == .conflict)
            #expect(again.text.contains("no failed or cancelled job matches the filter (made within the last 24 hours); nothing to retry"))
            let badWindow = try await console.post("/queue/retry-matching", [("since", "forever")], as: operator_)
            #expect(badWindow.status == .badRequest && badWindow.text.contains("Made within must be one of 1h, 24h, 7d, 30d"))
            #expect(try await Self.states(console, [oldFailed]) == ["failed"])

            let all = try await console.post("/queue/retry-matching", [("kind", "code_values"), ("state", "failed")], as: operator_)
            #expect(all.text.contains("1 job queued again"))
            #expect(try await Self.states(console, [oldFailed]) == ["pending"])
            let audit = try await console.audit().filter { $0.action == "retry matching" }
            #expect(audit.map(\.outcome) == ["done", "refused", "refused", "done"])
        }
    }
}
