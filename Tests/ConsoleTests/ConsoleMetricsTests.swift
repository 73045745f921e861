import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// `/health` and `/metrics`: no login, no personal data, numbers from SQL at scrape time.
@Suite("console: health and metrics")
struct ConsoleMetricsTests {
    /// The value of the sample `name{labels}` in an exposition, or nil when there is no such line.
    static func sample(_ text: String, _ name: String, _ labels: String = "") -> Double? {
        let prefix = labels.isEmpty ? name + " " : "\(name){\(labels)} "
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) else { return nil }
        return Double(line.dropFirst(prefix.count))
    }

    @Test("/health answers 200 without a login while the database answers, and nothing else")
    func health() async throws {
        try await ConsoleFixture.with { console in
            let health = try await console.get("/health")
            #expect(health.status == .ok)
            #expect(health.text == "ok\n")
        }
    }

    @Test("/health answers 503 when the database does not")
    func healthDown() async throws {
        // A client of a server that is not there: port 1 of this machine refuses every connection.
        let dead = PostgresClient(configuration: try DatabaseURL.parse("postgres://nobody@127.0.0.1:1/none"),
                                  backgroundLogger: TestEnvironment.logger)
        let runner = Task { await dead.run() }
        defer { runner.cancel() }
        let app = Application(router: ConsoleServer(client: dead, logger: TestEnvironment.logger).router())
        try await app.test(.router) { client in
            let started = ContinuousClock.now
            let response = try await client.execute(uri: "/health", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(String(buffer: response.body) == "database not answering\n")
            // Within the health check's limit (2 s), with room for a slow machine.
            #expect(ContinuousClock.now - started < .seconds(10))
        }
    }

    @Test("/metrics: queue depth, due jobs and the oldest due job's age per kind, jobs by kind and state, pending events, open alerts by type")
    func metrics() async throws {
        try await ConsoleFixture.with { console in
            _ = try await ConsoleAlertsTests.plant(console.database)
            // Two code-values jobs due for a minute and a half, one not due for an hour, one finished.
            try await console.database.execute("""
                INSERT INTO queue.jobs (kind, run_at) VALUES
                    ('code_values', now() - interval '90 seconds'), ('code_values', now() - interval '30 seconds'),
                    ('code_values', now() + interval '1 hour')
                """)
            try await console.database.execute("""
                INSERT INTO queue.jobs (kind, state, finished_at, started_at) VALUES ('archive_events', 'completed', now(), now())
                """)
            let response = try await console.get("/metrics")
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
            let text = response.text
            #expect(Self.sample(text, "pasisync_queue_depth", "kind=\"code_values\"") == 3)
            #expect(Self.sample(text, "pasisync_queue_due_jobs", "kind=\"code_values\"") == 2)
            let age = try #require(Self.sample(text, "pasisync_queue_oldest_due_job_age_seconds", "kind=\"code_values\""))
            #expect(age >= 90 && age < 600, "\(age)")
            // Every registered kind is there, with zeros.
            #expect(Self.sample(text, "pasisync_queue_depth", "kind=\"archive_events\"") == 0)
            #expect(Self.sample(text, "pasisync_queue_oldest_due_job_age_seconds", "kind=\"archive_events\"") == 0)
            #expect(Self.sample(text, "pasisync_jobs", "kind=\"archive_events\",state=\"completed\"") == 1)
            #expect(Self.sample(text, "pasisync_jobs", "kind=\"code_values\",state=\"pending\"") == 3)
            #expect(Self.sample(text, "pasisync_data_events_pending") == 0)
            // ConsoleAlertsTests.plant: three open Conflicts, a Warning, an Advice, a Failure (and a resolved Conflict).
            #expect(Self.sample(text, "pasisync_open_alerts", "type=\"Conflict\"") == 3)
            #expect(Self.sample(text, "pasisync_open_alerts", "type=\"Rejection\"") == 0)
            #expect(Self.sample(text, "pasisync_open_alerts", "type=\"Failure\"") == 1)
            #expect(text.contains("# TYPE pasisync_queue_depth gauge"))
            #expect(text.contains("# HELP pasisync_open_alerts "))
            // No row's content: the planted student's ASN and the alerts' messages are not in it.
            #expect(!text.contains("100000017") && !text.contains("Alert number"))

            // A data event waiting: counted at the next scrape (nothing is cached between scrapes).
            try await console.database.setEventMonitoring(true)
            _ = try await console.database.addStudent(number: 100_009)
            let next = try await console.get("/metrics")
            #expect(Self.sample(next.text, "pasisync_data_events_pending") == 1)
        }
    }
}

/// The console connected as a login of `pasisync_console` (docs/roles.md), as it is deployed.
@Suite("console: its database role")
struct ConsoleRoleTests {
    @Test("with the console role's login every page answers and every action works, refusals in the seed's words, never a permission error")
    func asConsoleRole() async throws {
        try await ConsoleFixture.with(consoleRole: true) { console in
            let planted = try await PlantedStudents.plant(console.database)
            let operator_ = try await console.login("operator")
            for uri in ["/queue", "/alerts", "/audit", "/students?q=jane", "/students/\(planted.jane)",
                        "/students/asn/\(PlantedStudents.pasiOnlyASN)", "/metrics", "/health"] {
                let page = try await console.get(uri, as: operator_)
                #expect(page.status == .ok, "\(uri): \(page.status)")
            }
            #expect(try await console.get("/students/\(planted.jane)", as: operator_).text.contains("<td>SubmitStudentPhone</td>"))
            // Every Run Now: queued, or refused with the seed's reason (a 409), never a failed statement.
            for process in RunNow.all {
                let run = try await console.post("/queue/run", [("name", process.name), ("school", "1042"), ("type", "sections")],
                                                 as: operator_)
                #expect(run.status == .ok || run.status == .conflict, "\(process.name): \(run.status)")
                #expect(!run.text.contains("permission denied"), "\(process.name)")
            }
            let queued = try #require(try await console.jobs(kind: "code_values").first)
            #expect(try await console.post("/queue/\(queued.id)/cancel", [], as: operator_).text.contains("job \(queued.id) cancelled"))
            #expect(try await console.post("/queue/\(queued.id)/retry", [], as: operator_).text.contains("job \(queued.id) queued again"))
            // The job's error history, the time filter, and the bulk actions of a filter.
            #expect(try await console.get("/queue/\(queued.id)", as: operator_).status == .ok)
            #expect(try await console.get("/queue?kind=code_values&since=24h", as: operator_).status == .ok)
            let bulkCancel = try await console.post("/queue/cancel-matching", [("kind", "code_values")], as: operator_)
            #expect(bulkCancel.status == .ok && bulkCancel.text.contains("cancelled"), "\(bulkCancel.status)")
            let bulkRetry = try await console.post("/queue/retry-matching", [("kind", "code_values"), ("state", "cancelled")], as: operator_)
            #expect(bulkRetry.status == .ok && bulkRetry.text.contains("queued again"), "\(bulkRetry.status)")
            let acknowledged = try await console.post(
                "/alerts/acknowledge", [("id", "\(planted.alerts["janeGender"]!)"), ("as", "Acknowledged")], as: operator_)
            #expect(acknowledged.text.contains("1 alert set to Acknowledged"))
            let deleted = try await console.post("/alerts/delete", [("id", "\(planted.alerts["omarPhone"]!)")], as: operator_)
            #expect(deleted.text.contains("deleted 1 alert"))
            let logout = try await console.post("/logout", [], as: operator_)
            #expect(logout.status == .seeOther)
            let audit = try await console.audit()
            #expect(audit.contains { $0.action == "logout" && $0.outcome == "done" })
            #expect(audit.contains { $0.action == "delete alerts" && $0.outcome == "done" })
        }
    }
}
