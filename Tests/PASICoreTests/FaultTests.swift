import PasisyncTesting
import PostgresNIO
import SyncJobs
import JobQueue
import DistrictSynthesis
import Logging
import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import SyncStore
import Testing

@Suite("PASI Core client and simulator: versions, faults, certificates, timeouts, the message log")
struct FaultTests {
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3004.html
    @Test("a stale version is rejected (3004) and not retryable; the record is unchanged")
    func staleVersion() async throws {
        try await SimulatorFixture.with { fixture in
            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            var stale = enrolment
            stale.pasiCoreVersion -= 1
            stale.registrationType = "Secondary"
            let error = await coreError { _ = try await fixture.client.save(stale) }
            #expect(error?.category == .rejection)
            #expect(error?.faultCode == 3004)
            #expect(error?.rejections.first?.code == 3004)
            #expect(error?.isRetryable == false)
            // A job fails once on it rather than retrying.
            if case .permanent(let reason)? = error?.forJob as? JobError { #expect(reason.contains("3004")) } else { Issue.record("a rejection is not permanent for a job") }
            #expect(await fixture.province.record(SchoolEnrolment.self, id: enrolment.recordID) == enrolment)
        }
    }

    @Test("a create with version 0 and a resubmit of the same RefId get the same answer; other content under that RefId is refused")
    func idempotentCreate() async throws {
        try await SimulatorFixture.with { fixture in
            let existing = try #require(await fixture.province.all(SchoolEnrolment.self).first { $0.schoolYear == fixture.generator.currentSchoolYear })
            let new = try SchoolEnrolment(
                refId: .random(), asn: existing.asn, schoolCode: existing.schoolCode, schoolYear: existing.schoolYear,
                grade: existing.grade, entryDate: existing.entryDate, registrationType: "Secondary")
            let first = try await fixture.client.save(new)
            let again = try await fixture.client.save(new)
            #expect(first == again)
            #expect(first.id == new.refId.value)
            var other = new
            other.registrationType = "Primary"
            let error = await coreError { _ = try await fixture.client.save(other) }
            #expect(error?.faultCode == 3004)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9014.html
    @Test("a version not yet visible waits and then faults 9014 (resubmit), which is transient")
    func resubmit() async throws {
        try await SimulatorFixture.with { fixture in
            var enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            enrolment.pasiCoreVersion += 1_000_000
            let error = await coreError { _ = try await fixture.client.save(enrolment) }
            #expect(error?.faultCode == 9014)
            #expect(error?.category == .transient)
        }
    }

    @Test("a client without a certificate, or with one from another CA, is refused; the simulator keeps serving")
    func certificates() async throws {
        try await SimulatorFixture.with { fixture in
            let foreign = SimulatorFixture.foreignCertificates
            let stranger = try fixture.otherClient {
                $0.certificatePath = foreign.clientCertificate
                $0.privateKeyPath = foreign.clientKey
            }
            let refused = try await using(stranger) { client in await coreError { _ = try await client.getCodeValues(since: 0) } }
            #expect(refused?.category == .configuration)
            #expect(refused?.whatToCheck?.contains("certificate") == true)

            let anonymous = try await AnonymousRequest.post(to: fixture.endpoint, trusting: SimulatorFixture.certificates.caCertificate)
            #expect(anonymous == nil, "a request without a client certificate got an HTTP answer")

            #expect(try await fixture.client.getCodeValues(since: 0).version > 0)
        }
    }

    @Test("nothing listening (a network failure) is transient")
    func networkFailure() async throws {
        try await SimulatorFixture.with { fixture in
            // Port 1 on loopback: connection refused.
            let nowhere = try fixture.otherClient { $0.endpoint = "https://127.0.0.1:1/pasi" }
            let error = try await using(nowhere) { client in await coreError { _ = try await client.getCodeValues(since: 0) } }
            #expect(error?.category == .transient)
            #expect(error?.isRetryable == true)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_1008.html
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3001.html
    @Test("a wrong organization code is 1008 (configuration); a CallerInfo field breaking the string rule is 3001 (our defect)")
    func callerInfoRules() async throws {
        try await SimulatorFixture.with { fixture in
            let wrong = try fixture.otherClient { $0.callerInfo.user.organizationCode = try! OrganizationCode("A.9998") }
            let error = try await using(wrong) { client in await coreError { _ = try await client.getCodeValues(since: 0) } }
            #expect(error?.category == .configuration)
            #expect(error?.faultCode == 1008)
            #expect(error?.whatToCheck?.contains("Organization Code setting") == true)

            let spaced = try fixture.otherClient { $0.callerInfo.user.name = "Two  spaces" }
            let invalid = try await using(spaced) { client in await coreError { _ = try await client.getCodeValues(since: 0) } }
            #expect(invalid?.faultCode == 3001)
            #expect(invalid?.category == .defect)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html (9001, 2001)
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9020.html
    @Test("injected faults map to typed errors: transient share (9001), outage, a chosen code for a chosen operation, rejection (9020) of chosen records")
    func injectedFaults() async throws {
        try await SimulatorFixture.with { fixture in
            var plan = FaultPlan()
            plan.transientShare = 1
            fixture.server.faults.plan = plan
            let transient = await coreError { _ = try await fixture.client.getCodeValues(since: 0) }
            #expect(transient?.category == .transient)
            #expect(transient?.faultCode == 9001)
            #expect(transient?.forJob is PASICoreError)  // thrown as is: the queue retries it

            plan = FaultPlan()
            plan.outageUntil = Date().addingTimeInterval(60)
            fixture.server.faults.plan = plan
            let outage = await coreError { _ = try await fixture.client.getCodeValues(since: 0) }
            #expect(outage?.category == .transient)
            #expect(outage?.faultCode == nil)

            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            plan = FaultPlan()
            plan.rejectIDs = [enrolment.recordID]
            fixture.server.faults.plan = plan
            let rejected = await coreError { _ = try await fixture.client.save(enrolment) }
            #expect(rejected?.category == .rejection)
            #expect(rejected?.faultCode == 9020)
            #expect(rejected?.ruleText.hasPrefix("Rule 9020 Unauthorized Organization Code: Access Denied.") == true)

            // A chosen code for a chosen operation, twice, then the fault ends by itself.
            plan = FaultPlan()
            plan.faultCode = 2001
            plan.faultOperations = ["GetCodeValues"]
            plan.faultCount = 2
            fixture.server.faults.plan = plan
            _ = try await fixture.client.getStudents([])  // another operation: not counted
            for _ in 0..<2 {
                let down = await coreError { _ = try await fixture.client.getCodeValues(since: 0) }
                #expect(down?.faultCode == 2001)
                #expect(down?.category == .transient)
            }
            #expect(try await fixture.client.getCodeValues(since: 0).version > 0)

            fixture.server.faults.plan = FaultPlan()
            #expect(try await fixture.client.save(enrolment).pasiCoreVersion == enrolment.pasiCoreVersion)
        }
    }

    @Test("the timeout is honoured: a slow answer fails as a transient timeout; the settings give 10 minutes by default")
    func timeout() async throws {
        try await SimulatorFixture.with(timeout: .milliseconds(700)) { fixture in
            var plan = FaultPlan()
            plan.latencyMilliseconds = 5_000
            fixture.server.faults.plan = plan
            let started = ContinuousClock.now
            let error = await coreError { _ = try await fixture.client.getCodeValues(since: 0) }
            let waited = ContinuousClock.now - started
            #expect(error?.isTimeout == true)
            #expect(error?.category == .transient)
            #expect(waited < .seconds(4))
            #expect(waited >= .milliseconds(600))

            let fromSettings = try await SettingsStore(client: fixture.database.client, logger: .init(label: "t"))
                .pasiClientConfiguration(for: .init(url: fixture.endpoint, certificatePath: "", privateKeyPath: "", trustRootsPath: nil))
            #expect(fromSettings.timeout == .seconds(600))
            _ = try await fixture.database.client.query("UPDATE sync.settings SET value = '1' WHERE key = 'web_service_timeout_minutes'")
            let changed = try await SettingsStore(client: fixture.database.client, logger: .init(label: "t"))
                .pasiClientConfiguration(for: .init(url: fixture.endpoint, certificatePath: "", privateKeyPath: "", trustRootsPath: nil))
            #expect(changed.timeout == .seconds(60))
        }
    }

    @Test("every call is in the message log with a fresh ClientMessageID, its operation and outcome")
    func messageLog() async throws {
        try await SimulatorFixture.with { fixture in
            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            _ = try await fixture.client.getCodeValues(since: 0)
            _ = try await fixture.client.getSchoolEnrolments([enrolment.refId])
            var stale = enrolment
            stale.pasiCoreVersion -= 1
            _ = await coreError { _ = try await fixture.client.save(stale) }
            var plan = FaultPlan()
            plan.transientShare = 1
            fixture.server.faults.plan = plan
            _ = await coreError { _ = try await fixture.client.getCodeValues(since: 0) }

            let log = try await fixture.messageLog()
            #expect(log.map(\.operation) == ["GetCodeValues", "GetStudentSchoolEnrolment", "SubmitStudentSchoolEnrolment", "GetCodeValues"])
            #expect(log.map(\.outcome) == ["Success", "Success", "Rejected", "Fault"])
            #expect(log.last?.faultCode == 9001)
            #expect(Set(log.map(\.clientMessageID)).count == 4)
            #expect(log.allSatisfy { $0.durationMilliseconds >= 0 })
        }
    }
}
