import Foundation
import PASIContract
import PASISimulator
import PasisyncTesting
import PostgresNIO
import Testing

/// What a real job does with each class of PASI's documented codes, against the real simulator
/// (its fault plan answering a chosen code for `GetCodeValues`) and real worker processes. The
/// job is the Code Values Download: one PASI call per attempt.
/// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
@Suite("PASI's fault codes, as a job handles them", .serialized)
struct FaultHandlingProcessTests {
    /// Runs a Code Values Download with `code` answered to its first `count` calls (all, if nil).
    private static func codeValuesJob(
        _ fixture: SimulatorFixture, answering code: Int, count: Int?, until finished: Set<String>
    ) async throws -> (job: Int64, state: String, attempt: Int) {
        let database = fixture.database
        try await GettingReadyProcessTests.firstDay(fixture)
        var plan = FaultPlan()
        plan.faultCode = code
        plan.faultOperations = ["GetCodeValues"]
        plan.faultCount = count
        fixture.server.faults.plan = plan
        return try await withWorkers(1, database, slots: 2, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
            try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('code_values')")
            let job = try await GettingReadyProcessTests.lastJob(database, kind: "code_values")
            try await eventually(within: .seconds(60), "the job to end") {
                finished.contains(try await GettingReadyProcessTests.state(database, job))
            }
            return (job, try await GettingReadyProcessTests.state(database, job),
                    try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(job)", as: Int.self))
        }
    }

    private static func failureAlert(_ database: TestDatabase, job: Int64) async throws -> String {
        try await database.scalar(
            "SELECT message FROM sync.core_alerts WHERE alert_type = 'Failure' AND alert_code = 'JOB_FAILED' AND job_id = \(job)", as: String.self)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html (2001 PASI Core Not Available)
    @Test("an outage code (2001) is retried with backoff, and the job completes when the outage ends")
    func outage() async throws {
        try await SimulatorFixture.with(students: 60) { fixture in
            let (job, state, attempt) = try await Self.codeValuesJob(fixture, answering: 2001, count: 1, until: ["completed", "failed"])
            #expect(state == "completed")
            #expect(attempt == 2)
            #expect(try await fixture.database.scalar(
                "SELECT count(*)::int FROM sync.message_log WHERE job_id = \(job) AND fault_code = 2001", as: Int.self) == 1)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html (1001 Certificate Not Registered)
    @Test("a configuration code (1001) fails the job at once, attempt 1 of many, with a Failure naming the cause and what to check")
    func configuration() async throws {
        try await SimulatorFixture.with(students: 60) { fixture in
            let (job, state, attempt) = try await Self.codeValuesJob(fixture, answering: 1001, count: nil, until: ["completed", "failed"])
            #expect(state == "failed")
            #expect(attempt == 1)
            #expect(try await fixture.database.scalar("SELECT max_attempts FROM queue.jobs WHERE id = \(job)", as: Int.self) > 1)
            let alert = try await Self.failureAlert(fixture.database, job: job)
            #expect(alert.contains("the client certificate is not registered for this PASI environment: check the certificate setting"), "\(alert)")
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html
    @Test("our defect (3002) fails the job at once with a Failure naming the ClientMessageID; the request is in the message log")
    func defect() async throws {
        try await SimulatorFixture.with(students: 60) { fixture in
            let (job, state, attempt) = try await Self.codeValuesJob(fixture, answering: 3002, count: nil, until: ["completed", "failed"])
            #expect(state == "failed")
            #expect(attempt == 1)
            let alert = try await Self.failureAlert(fixture.database, job: job)
            let id = try await fixture.database.scalar(
                "SELECT client_message_id::text FROM sync.message_log WHERE job_id = \(job) AND fault_code = 3002", as: String.self)
            #expect(alert.contains("a defect of this software"), "\(alert)")
            #expect(alert.contains("ClientMessageID \(id)"), "\(alert)")
            // Kept although the Messages Log setting keeps no bodies: a person needs it.
            let request = try await fixture.database.scalar(
                "SELECT coalesce(request_body, '') FROM sync.message_log WHERE client_message_id = \(id)::uuid", as: String.self)
            #expect(request.contains("<GetCodeValues"), "\(request)")
            #expect(try await fixture.database.scalar(
                "SELECT count(*)::int FROM sync.message_log WHERE job_id = \(job) AND outcome = 'Success' AND request_body IS NOT NULL", as: Int.self) == 0)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9014.html
    @Test("9014 snoozes the job: it comes back and completes without spending an attempt")
    func resubmit() async throws {
        try await SimulatorFixture.with(students: 60) { fixture in
            let (job, state, attempt) = try await Self.codeValuesJob(fixture, answering: 9014, count: 1, until: ["completed", "failed"])
            #expect(state == "completed")
            #expect(attempt == 1)
            #expect(try await fixture.database.scalar("SELECT snoozes FROM queue.jobs WHERE id = \(job)", as: Int.self) == 1)
        }
    }
}
