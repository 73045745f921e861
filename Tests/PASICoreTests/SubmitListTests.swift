import DistrictSynthesis
import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import SyncStore
import Testing

/// The list submits, the status acknowledgements and the 2020 school enrolment, client against the
/// simulator over HTTPS with client certificates.
@Suite("PASI Core client and simulator: list submits, acknowledgements, the 2020 school enrolment")
struct SubmitListTests {
    /// Sections of the province's first current-year enrolment's school, `ZZZ9999` (a course PASI
    /// does not have) at `bad`.
    static func sections(_ fixture: SimulatorFixture, count: Int, bad: Set<Int> = []) async throws -> [Section] {
        let enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first { $0.schoolYear == fixture.generator.currentSchoolYear })
        return try (0..<count).map { index in
            try Section(refId: .random(), schoolCode: enrolment.schoolCode, schoolYear: enrolment.schoolYear,
                        courseCode: bad.contains(index) ? "ZZZ9999" : "MAT1791", termCode: "S1")
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_section.html ("Each Section on the
    // request will be processed individually. Therefore, some of the updates may be successful while others may fail")
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/833e01e8-38c2-06c6-b36f-f47ce120a55e.htm (MultipleSubmitResponse)
    @Test("a list submit with one bad record rejects that record alone: the others are saved, each answer in its place, one call")
    func oneBadRecord() async throws {
        try await SimulatorFixture.with { fixture in
            let sections = try await Self.sections(fixture, count: 3, bad: [1])
            let before = try await fixture.messageLog().count
            let answers = try await fixture.client.submitList(sections.map { SubmitItem(saving: $0) })
            #expect(answers.count == 3)
            #expect((try? answers[0].get())?.pasiCoreVersion ?? 0 > 0)
            #expect((try? answers[2].get())?.pasiCoreVersion ?? 0 > 0)
            guard case let .failure(refused) = answers[1] else { Issue.record("the bad section was accepted"); return }
            // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9015.html
            #expect(refused.category == .rejection)
            #expect(refused.rejections.map(\.code) == [PASIRule.invalidCourseCode.rawValue])
            #expect(refused.clientMessageID != nil, "the refusal names the call's ClientMessageID")
            let held = try await fixture.client.get(Section.self, ids: sections.map(\.recordID))
            #expect(held.map(\.availabilityStatus) == [.normal, .unknown, .normal])
            // One SubmitSection call, logged as the refusal of the record it refused.
            let calls = try await fixture.messageLog().dropFirst(before).filter { $0.operation == "SubmitSection" }
            #expect(calls.count == 1)
            #expect(calls.first?.outcome == "Rejected")
            #expect(calls.first?.detail?.contains(sections[1].recordID) == true, "\(calls.first?.detail ?? "")")
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_evaluated_mark.html (batches);
    // the 65,536-byte limit: docs/pasi-protocol.md "Transport"
    @Test("a list over PASI's 65,536 bytes goes in parts, each within the limit, every record answered in order")
    func largeList() async throws {
        try await SimulatorFixture.with { fixture in
            let sections = try await Self.sections(fixture, count: 600, bad: [599])
            let before = try await fixture.messageLog().count
            let answers = try await fixture.client.submitList(sections.map { SubmitItem(saving: $0) })
            #expect(answers.count == 600)
            #expect(answers.prefix(599).allSatisfy { (try? $0.get()) != nil })
            #expect((try? answers[599].get()) == nil)
            let calls = try await fixture.messageLog().dropFirst(before).filter { $0.operation == "SubmitSection" }
            #expect(calls.count > 1, "600 sections do not fit in one request")
            #expect(calls.allSatisfy { $0.outcome != "Error" && $0.outcome != "Fault" }, "\(calls.map(\.outcome))")
            #expect(await fixture.province.count(of: .section) >= 599)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_status_acknowledgement.html
    // ("Only Alberta Education can submit an Acknowledgement Status of Overridden");
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_12003.html
    @Test("status acknowledgement is one service per type; Overridden from a school authority is refused with rule 12003, nothing saved")
    func overriddenRefused() async throws {
        try await SimulatorFixture.with { fixture in
            let student = try #require(await fixture.province.all(Student.self).first)
            let arguments = AlertArguments(["FieldName": "Gender"])
            let alert = StatusAlert(alertCode: "STU-0007", severity: .warning, message: "Gender differs", arguments: arguments)
            let version = try #require(await fixture.province.raise(alert, on: .student, id: student.recordID))
            #expect(PASIOperation.acknowledgeStatus(.student).name == "SubmitStudentStatusAcknowledgement")
            #expect(PASIOperation(name: "SubmitStudentSchoolEnrolmentStatusAcknowledgement") == .acknowledgeStatus(.schoolEnrolment))
            #expect(PASIOperation(name: "AcknowledgeStatus") == nil)

            let refused = await coreError {
                _ = try await fixture.client.acknowledge(.student, id: student.recordID, alertCode: "STU-0007", arguments: arguments, status: .overridden)
            }
            #expect(refused?.category == .rejection)
            #expect(refused?.faultCode == PASIRule.overriddenCannotBeModified.rawValue)
            #expect(refused?.rejections.first?.message == "Invalid Acknowledgement Status. Overridden records cannot be modified.")
            let status = try await fixture.client.getStatuses(Student.self, [.init(student.recordID)])
            #expect(status.first?.status.pasiCoreVersion == version)
            #expect(status.first?.status.alert.first?.acknowledgementStatus == .unacknowledged)
            #expect(await fixture.province.acknowledgementCount(.student, id: student.recordID) == 0)

            // In Progress goes through the same service.
            let accepted = try await fixture.client.acknowledge(.student, id: student.recordID, alertCode: "STU-0007", arguments: arguments, status: .inProgress)
            #expect(accepted.pasiCoreVersion > version)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/0345dfe4-9e15-50e7-ed7d-8486e42a8252.htm
    // ("LocalStudentId … Value must contain between 1 and 15 characters");
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3001.html
    @Test("an enrolment whose LocalStudentId has 16 characters is refused with 3001 naming the field; 15 are accepted")
    func localStudentIdLength() async throws {
        #expect(throws: PASIModelError.self) { try SchoolEnrolment.ExtendedInfo(localStudentID: String(repeating: "7", count: 16)) }
        #expect(throws: PASIModelError.self) { try SchoolEnrolment.ExtendedInfo(localStudentID: "") }
        try await SimulatorFixture.with { fixture in
            var enrolment = try #require(await fixture.province.all(SchoolEnrolment.self).first { $0.schoolYear == fixture.generator.currentSchoolYear })
            enrolment.extendedInfo = try SchoolEnrolment.ExtendedInfo(localStudentID: String(repeating: "7", count: 15))
            #expect(try await fixture.client.save(enrolment).pasiCoreVersion > enrolment.pasiCoreVersion)

            // A client that breaks the rule: the same request with one character more, written by hand.
            let stored = try #require(await fixture.province.all(SchoolEnrolment.self).first { $0.refId == enrolment.refId })
            let caller = try CallerInfoElement(
                CallerInfo(user: CallerInfo.User(ipAddress: "127.0.0.1", localID: "pasisync-test", name: "Test", organizationCode: fixture.generator.authorityCode)),
                messageID: UUID().uuidString.lowercased(), sentUtcTime: Date().ISO8601Format())
            let request = SubmitRequest(callerInfo: caller, action: .save, id: stored.recordID, pasiCoreVersion: stored.pasiCoreVersion, record: stored)
            let body = String(decoding: try SOAPEnvelope.request("SubmitStudentSchoolEnrolment", request), as: UTF8.self)
            #expect(body.contains("<LocalStudentId>777777777777777</LocalStudentId>"), "the documented key: \(body)")
            let tooLong = body.replacingOccurrences(of: "<LocalStudentId>777777777777777</LocalStudentId>", with: "<LocalStudentId>7777777777777777</LocalStudentId>")
            let answer = try await RawRequest.post(to: fixture.endpoint, soapAction: "SubmitStudentSchoolEnrolment", body: Array(tooLong.utf8))
            #expect(answer.status == 500)
            #expect(answer.body.contains("<Code>3001</Code>"), "\(answer.body)")
            #expect(answer.body.contains("localStudentID"), "\(answer.body)")
            #expect(await fixture.province.all(SchoolEnrolment.self).first { $0.refId == enrolment.refId }?.pasiCoreVersion == stored.pasiCoreVersion)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_code_values.html (Last Known Source Version;
    // Code Class Name, Code Text, Description, PASICore Version)
    @Test("GetCodeValues names its fields as documented")
    func codeValueNames() throws {
        let caller = CallerInfoElement(
            try CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "l", name: "n", organizationCode: OrganizationCode("A.1234"))),
            messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-11-29T12:00:00Z")
        let request = String(decoding: try SOAPEnvelope.request("GetCodeValues", GetCodeValuesRequest(callerInfo: caller, lastKnownVersion: 7)), as: UTF8.self)
        #expect(request.contains("<LastKnownSourceVersion>7</LastKnownSourceVersion>"), "\(request)")
        let answer = GetCodeValuesResponse(version: 3, codeValue: [CodeValue(table: "Grade", code: "10", description: "Grade 10", version: 3)], acceptedSchoolYear: [])
        let text = String(decoding: try SOAPEnvelope.response("GetCodeValues", answer), as: UTF8.self)
        #expect(text.contains("<CodeValue><CodeClassName>Grade</CodeClassName><CodeText>10</CodeText><Description>Grade 10</Description><PASICoreVersion>3</PASICoreVersion></CodeValue>"), "\(text)")
        #expect(try SOAPEnvelope.decodeResponse("GetCodeValues", as: GetCodeValuesResponse.self, from: Data(text.utf8)).get().codeValue == answer.codeValue)
    }
}
