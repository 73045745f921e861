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

    @Test("GET /admin/submits counts the same change sent twice; GET /admin/records dumps the held records as JSON lines")
    func submitsAndRecords() async throws {
        try await SimulatorFixture.with { fixture in
            let base = "https://127.0.0.1:\(fixture.port)/admin"
            // A student this client may change (rule 9010 refuses the others), with a new phone
            // (Submit Phone Number: a K-12 client changes a student by aspect).
            // A correction of the student's phone, named by PASI's id of it.
            func phone(_ number: String, id: Int64?) throws -> StudentAspectChange {
                .phoneNumber(try Phone(id: id, number: number, type: "Home", isPreferred: true), delete: false)
            }
            var accepted: (asn: ASN, version: Int64, old: Int64, phone: Int64?)?
            for student in await fixture.province.all(Student.self).sorted(by: { $0.recordID < $1.recordID }).prefix(40) {
                let request = StudentAspectRequest(asn: student.asn, pasiCoreVersion: student.pasiCoreVersion, change: try phone("780-555-0101", id: student.phones.first?.id))
                if let answer = try? await fixture.client.submitStudentAspect(request), answer.rejection.isEmpty {
                    accepted = (asn: student.asn, version: answer.pasiCoreVersion, old: student.pasiCoreVersion, phone: student.phones.first?.id)
                    break
                }
            }
            let held = try #require(accepted, "no student of the province took a submit")
            let before = try await Self.counts(base)
            #expect(before.appliedTwice == 0 && before.refusedRepeats == 0 && before.accepted == 1)

            // The same phone again with the version the first submit made: answered as accepted,
            // so PASI would hold the change twice.
            let twice = try await fixture.client.submitStudentAspect(
                StudentAspectRequest(asn: held.asn, pasiCoreVersion: held.version, change: try phone("780-555-0101", id: held.phone)))
            #expect(twice.rejection.isEmpty && twice.pasiCoreVersion == held.version)
            // The same phone with the version it had before: refused (3004), counted apart.
            _ = try? await fixture.client.submitStudentAspect(
                StudentAspectRequest(asn: held.asn, pasiCoreVersion: held.old, change: try phone("780-555-0101", id: held.phone)))
            let after = try await Self.counts(base)
            #expect(after.appliedTwice == 1 && after.appliedTwiceRecords == ["Student:\(held.asn.digits)"])
            #expect(after.refusedRepeats == 1 && after.accepted == 1)

            // A different change is no repeat.
            let third = try await fixture.client.submitStudentAspect(
                StudentAspectRequest(asn: held.asn, pasiCoreVersion: held.version, change: try phone("780-555-0102", id: held.phone)))
            #expect(third.rejection.isEmpty && third.pasiCoreVersion > held.version)
            #expect(try await Self.counts(base).appliedTwice == 1)

            let dump = try await RawRequest.get(from: base + "/records?type=Student&ids=\(held.asn.digits)")
            #expect(dump.status == 200)
            let lines = dump.body.split(separator: "\n")
            #expect(lines.count == 1)
            let object = try #require(try JSONSerialization.jsonObject(with: Data((lines.first ?? "").utf8)) as? [String: Any])
            #expect(object["id"] as? String == held.asn.digits)
            #expect((object["version"] as? NSNumber)?.int64Value == third.pasiCoreVersion)
            #expect(object["deleted"] as? Bool == false)
            let phones = (object["record"] as? [String: Any])?["phones"] as? [[String: Any]]
            #expect(phones?.compactMap { $0["number"] as? String } == ["780-555-0102"])
            let every = try await RawRequest.get(from: base + "/records?type=Student")
            #expect(every.body.split(separator: "\n").count == (await fixture.province.count(of: .student)))
            let unknown = try await RawRequest.get(from: base + "/records?type=Pupil")
            #expect(unknown.status == 400)
        }
    }

    private static func counts(_ base: String) async throws -> SubmitCounts {
        let answer = try await RawRequest.get(from: base + "/submits")
        #expect(answer.status == 200)
        return try JSONDecoder().decode(SubmitCounts.self, from: Data(answer.body.utf8))
    }
}
