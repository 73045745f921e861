import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

@Suite("PASI Core simulator: the admin endpoints for tests and demos")
struct AdminTests {
    @Test("POST /admin/faults sets a plan (a bad one is refused with its range); POST /admin/change bumps records behind the client's back")
    func admin() async throws {
        try await SimulatorFixture.with { fixture in
            let base = "https://127.0.0.1:\(fixture.port)/admin"
            let bad = try await RawRequest.post(to: base + "/faults", body: Array(#"{"transientShare": 2}"#.utf8))
            #expect(bad.status == 400)
            #expect(bad.body.contains("transientShare must be from 0 to 1, got 2"))

            let set = try await RawRequest.post(to: base + "/faults", body: Array(#"{"transientShare": 1}"#.utf8))
            #expect(set.status == 200)
            #expect(await coreError { _ = try await fixture.client.getCodeValues(since: 0) }?.faultCode == 9001)
            let outage = try await RawRequest.post(to: base + "/faults", body: Array(#"{"outageSeconds": 60}"#.utf8))
            #expect(outage.status == 200)
            #expect(fixture.server.faults.plan.outageUntil != nil)
            _ = try await RawRequest.post(to: base + "/faults", body: Array("{}".utf8))
            #expect(fixture.server.faults.plan == FaultPlan())

            let type = try NotificationType(.student)
            let held = try await fixture.client.followFeed(type, after: 0) { _ in }
            let changed = try await RawRequest.post(to: base + "/change?type=Student&count=3", body: [])
            #expect(changed.status == 200)
            let answer = try await fixture.client.isDataAvailable([.init(type, after: held)], wait: .zero)
            #expect(answer.first?.item.count == 3)
            let unknown = try await RawRequest.post(to: base + "/change?type=Pupil", body: [])
            #expect(unknown.status == 400)
        }
    }
}
