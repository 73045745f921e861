import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import SyncStore
import Testing

/// GetStudentTranscriptDetail, client and simulator over HTTPS
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html;
/// technical page https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/2303d614-96af-de02-134b-87c2f381ead0.htm).
@Suite("GetStudentTranscriptDetail: the StudentTranscriptDetail feed, the Get, KnownSourceVersion")
struct TranscriptDetailTests {
    /// A transcript of the synthetic province with two official marks or more.
    static func transcript(_ fixture: SimulatorFixture) async throws -> StudentTranscriptDetail {
        let all = await fixture.province.all(StudentTranscriptDetail.self).sorted { $0.recordID < $1.recordID }
        return try #require(all.first { $0.officialMarks.count >= 2 }, "\(all.count) transcripts, none with two official marks")
    }

    // get_student_transcript_detail.html: "This is the “get” service that corresponds to the
    // StudentTranscriptDetail notification type on the Is Data Available service"; "If
    // LastKnownSourceVersion is not specified, then all the student’s Student Credentials, …, Official
    // Marks, and Student External Credentials will be included"; "If LastKnownSourceVersion is
    // specified, then only the … those have a version greater will be included". The data contract
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/e786cbca-b31f-383e-2517-73be8c305ab3.htm):
    // "any student's Official Mark that was recalculated since previous synchronization will have a
    // higher version than the KnownSourceVersion"; "a KnowSourceVersion of zero, all student's
    // transcript details will be returned".
    @Test("the feed announces a student's transcript; the Get returns all of it; after a recalculated official mark, KnownSourceVersion returns only that mark")
    func getWithKnownSourceVersion() async throws {
        try await SimulatorFixture.with { fixture in
            let transcript = try await Self.transcript(fixture)
            let asn = transcript.recordID
            let type = try NotificationType(.studentTranscriptDetail)
            let feed = try await fixture.client.isDataAvailable([.init(type, after: 0)], wait: .zero)
            #expect(feed.first?.item.contains(FeedItem(id: asn, version: transcript.pasiCoreVersion)) == true)

            let whole = try await fixture.client.get(StudentTranscriptDetail.self, [.init(asn)])
            #expect(whole.count == 1 && whole[0].availabilityStatus == .normal && whole[0].record == transcript)
            #expect(try await fixture.messageLog().last?.operation == "GetStudentTranscriptDetail")

            // PASI recalculates one official mark (/admin/change): it alone takes the new version.
            let course = transcript.officialMarks[1].courseCode
            let newMark = transcript.officialMarks[1].markValue == "73" ? 74 : 73
            let answer = try await RawRequest.post(
                to: "https://127.0.0.1:\(fixture.port)/admin/change?type=StudentTranscriptDetail&id=\(asn)&courseCode=\(course)&officialMark=\(newMark)",
                body: [])
            #expect(answer.status == 200, "\(answer.body)")
            let changed = try #require(await fixture.province.record(StudentTranscriptDetail.self, id: asn))
            #expect(changed.pasiCoreVersion > transcript.pasiCoreVersion)
            let announced = try await fixture.client.isDataAvailable([.init(type, after: transcript.pasiCoreVersion)], wait: .zero)
            #expect(announced.first?.item.last == FeedItem(id: asn, version: changed.pasiCoreVersion), "the newest version on the feed")

            let delta = try await fixture.client.get(StudentTranscriptDetail.self, [.init(asn)], knownSourceVersion: transcript.pasiCoreVersion)
            let record = try #require(delta.first?.record)
            #expect(record.pasiCoreVersion == changed.pasiCoreVersion)
            #expect(record.officialMarks.map(\.courseCode) == [course] && record.officialMarks[0].markValue == String(newMark))
            #expect(record.credentials.isEmpty && record.credentialRequirementExemptions.isEmpty && record.externalCredentials.isEmpty,
                    "nothing else changed since the known version")
            // The client's own Get asks with KnownSourceVersion 0: the whole transcript.
            let all = try await fixture.client.get(StudentTranscriptDetail.self, [.init(asn)])
            #expect(all.first?.record == changed)
            #expect(all.first?.record?.officialMarks.count == transcript.officialMarks.count)
            let none = try await fixture.client.get(StudentTranscriptDetail.self, [.init(asn)], knownSourceVersion: nil)
            #expect(none.first?.record == changed, "without KnownSourceVersion, every part")

            // ExpectedVersion is the transcript's: the old one stops the answer, as every Get (get_section.html).
            let stale = try await fixture.client.get(StudentTranscriptDetail.self, [.init(asn, expectedVersion: transcript.pasiCoreVersion), .init(asn)])
            #expect(stale.count == 1 && stale[0].record == nil && stale[0].pasiCoreVersion == changed.pasiCoreVersion)

            // An ASN PASI holds no transcript for is Unknown; an edit PASI's rules refuse is a 400.
            let unknown = try await fixture.client.get(StudentTranscriptDetail.self, [.init("000000000")])
            #expect(unknown.first?.availabilityStatus == .unknown && unknown.first?.record == nil)
            let refused = try await RawRequest.post(
                to: "https://127.0.0.1:\(fixture.port)/admin/change?type=StudentTranscriptDetail&id=\(asn)&courseCode=NONE9999&officialMark=50", body: [])
            #expect(refused.status == 400, "\(refused.body)")
        }
    }

    // The data contract names the request member KnownSourceVersion ("(Required)"); the other Gets
    // have none. Both coders write and read it alike.
    @Test("KnownSourceVersion on the wire: sent for the transcript Get, absent from the others; both coders agree")
    func wire() throws {
        let caller = CallerInfoElement(
            try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "test", name: "Test", organizationCode: OrganizationCode("A.1234"))),
            messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-11-29T12:00:00Z")
        let request = GetRecordsRequest(callerInfo: caller, key: [.init("123456782")], knownSourceVersion: 0)
        let bytes = String(decoding: try DirectEnvelope.request("GetStudentTranscriptDetail", request), as: UTF8.self)
        #expect(bytes.contains("<KnownSourceVersion>0</KnownSourceVersion>"), "\(bytes)")
        #expect(try SOAPEnvelope.decodeRequest("GetStudentTranscriptDetail", as: GetRecordsRequest.self, from: Data(bytes.utf8)).knownSourceVersion == 0)
        let plain = GetRecordsRequest(callerInfo: caller, key: [.init("123456782")])
        let plainBytes = try DirectEnvelope.request("GetStudent", plain)
        #expect(!String(decoding: plainBytes, as: UTF8.self).contains("KnownSourceVersion"))
        #expect(try DirectEnvelope.decodeRequest("GetStudent", as: GetRecordsRequest.self, from: plainBytes).knownSourceVersion == nil)

        let detail = try StudentTranscriptDetail(
            asn: ASN("123456782", checkDigit: .ignored),
            officialMarks: [TranscriptOfficialMark(courseCode: "MAT3791", schoolYear: SchoolYear(endYear: 2026), creditsAwarded: 5, markValue: "78")],
            credentials: [TranscriptCredential(credentialType: "AHSD", credentialNumber: "10003-67823", awardedOnDate: PASIDate("2026-06-30"))],
            externalCredentials: [TranscriptExternalCredential(externalCredentialCode: "A & <B>", awardedDate: PASIDate("2026-03-15"))],
            pasiCoreVersion: 9)
        let response = GetRecordsResponse(item: [RetrievedRecord(id: detail.recordID, availabilityStatus: .normal, pasiCoreVersion: 9, record: detail)])
        let direct = try DirectEnvelope.response("GetStudentTranscriptDetail", response)
        #expect(try SOAPEnvelope.decodeResponse("GetStudentTranscriptDetail", as: GetRecordsResponse<StudentTranscriptDetail>.self, from: direct)
                .get().item == response.item)
        let generic = try SOAPEnvelope.response("GetStudentTranscriptDetail", response)
        #expect(try DirectEnvelope.decodeResponse("GetStudentTranscriptDetail", as: GetRecordsResponse<StudentTranscriptDetail>.self, from: generic)
                .get().item == response.item)
    }
}
