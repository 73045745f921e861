import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import SyncStore
import Testing

/// The Get services as the Knowledge Base documents them, client and simulator over HTTPS.
@Suite("Gets: stopping at a stale version, availability, status gets with the source record")
struct GetAvailabilityTests {
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_section.html: "If the
    // Expected Version requested is not the same as the PASI Version of the record, the record will
    // not be returned and no further requested records will be processed."
    @Test("a Get stops at a stale ExpectedVersion: the items after it are not returned; the client asks again and gets them all")
    func staleStop() async throws {
        try await SimulatorFixture.with { fixture in
            let students = Array(await fixture.province.all(Student.self).sorted { $0.recordID < $1.recordID }.prefix(4))
            try #require(students.count == 4)
            let keys = [
                GetRecordsRequest.Key(students[0].recordID),
                GetRecordsRequest.Key(students[1].recordID, expectedVersion: students[1].pasiCoreVersion),
                GetRecordsRequest.Key(students[2].recordID, expectedVersion: students[2].pasiCoreVersion + 1_000),
                GetRecordsRequest.Key(students[3].recordID),
            ]
            let once = try await fixture.client.get(Student.self, keys)
            #expect(once.map(\.id) == students.prefix(3).map(\.recordID), "nothing after the stale key")
            #expect(once[0].record == students[0] && once[1].record == students[1])
            #expect(once[2].record == nil && once[2].pasiCoreVersion == students[2].pasiCoreVersion && once[2].availabilityStatus == .normal)

            let all = try await fixture.client.getAll(Student.self, keys)
            #expect(all.map(\.record) == students.map { $0 as Student? })
            let log = try await fixture.messageLog()
            #expect(log.suffix(3).map(\.operation) == ["GetStudent", "GetStudent", "GetStudent"], "the rest asked again in a second call")
        }
    }

    // The same rule, apart from PASI: what one answer settles and what is asked again.
    @Test("GetRounds: the stale key goes again at version 0 with the keys after it; an answer that does not fit is refused")
    func rounds() throws {
        let school = try School(code: OrganizationNumber("1234"), name: "School", pasiCoreVersion: 7)
        let keys = [GetRecordsRequest.Key("1234"), .init("a", expectedVersion: 3), .init("b")]
        let fresh = RetrievedRecord(id: "1234", availabilityStatus: .normal, pasiCoreVersion: 7, record: school)
        let stale = RetrievedRecord<School>(id: "a", availabilityStatus: .normal, pasiCoreVersion: 5, record: nil)
        let reading = try GetRounds.read(keys, [fresh, stale], operation: "GetSchoolInformation")
        #expect(reading.answered == [fresh])
        #expect(reading.again == [.init("a"), .init("b")])
        let complete = try GetRounds.read(keys, [fresh, RetrievedRecord(id: "a", availabilityStatus: .noAccess, pasiCoreVersion: 0, record: nil),
                                                 RetrievedRecord(id: "b", availabilityStatus: .unknown, pasiCoreVersion: 0, record: nil)],
                                          operation: "GetSchoolInformation")
        #expect(complete.answered.count == 3 && complete.again.isEmpty, "No Access and Unknown are answers, not stops")
        #expect(throws: PASICoreError.self) { try GetRounds.read(keys, [RetrievedRecord<School>](), operation: "GetSchoolInformation") }
        #expect(throws: PASICoreError.self) { try GetRounds.read(keys, [stale], operation: "GetSchoolInformation") }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_school_enrolment_2018.html:
    // "No Access if the PASI Client does not have the required association to the student"; the
    // data contract spells it NoAccess
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/b17437c6-163c-eb81-e988-5ccc3f34197f.htm).
    @Test("POST /admin/access makes a record No Access to Gets and status Gets and takes it off the feed; Normal gives it back at a new version")
    func noAccess() async throws {
        try await SimulatorFixture.with { fixture in
            let base = "https://127.0.0.1:\(fixture.port)/admin"
            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            let id = enrolment.recordID
            let type = enrolment.notificationType(undated: try #require(enrolment.recordYear))
            let held = try await fixture.client.followFeed(type, after: 0) { _ in }
            let hidden = try await RawRequest.post(to: base + "/access?type=StudentSchoolEnrolment&id=\(id)&access=NoAccess", body: [])
            #expect(hidden.status == 200, "\(hidden.body)")
            let got = try await fixture.client.getSchoolEnrolments([enrolment.refId])
            #expect(got.first?.availabilityStatus == .noAccess && got.first?.record == nil && got.first?.isDeleted == false)
            let status = try await fixture.client.getStatuses(SchoolEnrolment.self, [.init(id, knownSourceVersion: 0)])
            #expect(status.first?.status.availabilityStatus == .noAccess && status.first?.sourceRecord == nil)
            // PASI's hash list for the type no longer holds it.
            let all = try await fixture.client.isDataAvailable([.init(type, after: 0, hash: "0")], wait: .zero)
            #expect(all.first?.item.contains { $0.id == id } == false)

            let back = try await RawRequest.post(to: base + "/access?type=StudentSchoolEnrolment&id=\(id)&access=Normal", body: [])
            #expect(back.status == 200, "\(back.body)")
            let again = try await fixture.client.getSchoolEnrolments([enrolment.refId])
            #expect(again.first?.availabilityStatus == .normal && again.first?.record?.refId == enrolment.refId)
            #expect((again.first?.pasiCoreVersion ?? 0) > enrolment.pasiCoreVersion)
            let announced = try await fixture.client.isDataAvailable([.init(type, after: held)], wait: .zero)
            #expect(announced.first?.item.map(\.id) == [id], "the feed announces it again")
            #expect(try await RawRequest.post(to: base + "/access?type=Pupil&id=1", body: []).status == 400)
            #expect(try await RawRequest.post(to: base + "/access?type=Student&id=000000000", body: []).status == 400)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/known_source_version.html and
    // get_student_school_enrolment_status.html: "if the version of the underlying Student School
    // Enrolment record is greater than the Known Source Version provided, the updated Student School
    // Enrolment record will also be included in the response."
    @Test("a status Get returns the source record when it is newer than KnownSourceVersion, and not otherwise; ExpectedVersion is the status's own")
    func knownSourceVersion() async throws {
        try await SimulatorFixture.with { fixture in
            let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first)
            let id = enrolment.recordID
            let statusVersion = try #require(await fixture.province.raise(StatusAlert(alertCode: "ENR-1", severity: .warning), on: .schoolEnrolment, id: id))
            let current = try await fixture.client.getStatuses(SchoolEnrolment.self, [.init(id, knownSourceVersion: enrolment.pasiCoreVersion)])
            #expect(current.first?.status.pasiCoreVersion == statusVersion && current.first?.sourceRecord == nil)

            var changed = enrolment
            changed.grade = try GradeCode(enrolment.grade.code == "10" ? "11" : "10")
            let newer = await fixture.province.change(changed)
            let both = try await fixture.client.getStatuses(
                SchoolEnrolment.self, [.init(id, expectedVersion: statusVersion, knownSourceVersion: enrolment.pasiCoreVersion)])
            #expect(both.first?.status.alert.map(\.alertCode) == ["ENR-1"])
            #expect(both.first?.sourceRecord?.pasiCoreVersion == newer && both.first?.sourceRecord?.record?.grade == changed.grade)

            // A stale status version stops the answer, as a record Get does; the client asks again.
            let other = try #require(await fixture.province.all(SchoolEnrolment.self).first { $0.recordID != id })
            let keys = [GetStatusesRequest.Key(id, expectedVersion: statusVersion + 1_000), .init(other.recordID)]
            #expect(try await fixture.client.getStatuses(SchoolEnrolment.self, keys).count == 1)
            let all = try await fixture.client.getAllStatuses(SchoolEnrolment.self, keys)
            #expect(all.map(\.status.id) == [id, other.recordID] && all.first?.status.pasiCoreVersion == statusVersion)
        }
    }
}
