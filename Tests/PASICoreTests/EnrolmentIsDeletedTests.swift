import DistrictSynthesis
import Foundation
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import Testing

/// A 2020-endpoint Student School Enrolment has no Registration Status: Created in Error is
/// `IsDeleted`, on the wire, in the simulator and through the client; and the acknowledgement
/// status travels as PASI's code value (`InProgress`).
@Suite("School enrolment IsDeleted (Created in Error) and acknowledgement code values on the wire")
struct EnrolmentIsDeletedTests {
    static let caller = CallerInfoElement(
        try! CallerInfo(user: .init(ipAddress: "1", localID: "l", name: "n", organizationCode: OrganizationCode("A.1234"))),
        messageID: "m", sentUtcTime: "t")

    // https://extranet.education.alberta.ca/pasidevnet/docs/Business/registration_status.html: "Registration
    // Status data element was removed from business object: Student School Enrolment in release 7.10";
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html:
    // "CreatedInError (Registration Status) | True" (Student School Enrolment Is Deleted).
    @Test("a Submit Student School Enrolment carries IsDeleted and no RegistrationStatus element; an absent IsDeleted reads as false")
    func wireShape() throws {
        let enrolment = Samples.fullEnrolment
        #expect(enrolment.isDeleted)
        let data = try SOAPEnvelope.request(RecordType.schoolEnrolment.submitOperation, SubmitRequest(
            callerInfo: Self.caller, action: .save, id: enrolment.recordID, pasiCoreVersion: enrolment.pasiCoreVersion, record: enrolment))
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("<IsDeleted>true</IsDeleted>"))
        #expect(!text.contains("RegistrationStatus"))
        let decoded = try SOAPEnvelope.decodeRequest(RecordType.schoolEnrolment.submitOperation, as: SubmitRequest<SchoolEnrolment>.self, from: data)
        #expect(decoded.record == enrolment)

        var active = enrolment
        active.isDeleted = false
        let activeText = String(decoding: try SOAPEnvelope.request("SubmitStudentSchoolEnrolment", SubmitRequest(
            callerInfo: Self.caller, action: .save, id: active.recordID, pasiCoreVersion: 3, record: active)), as: UTF8.self)
        #expect(activeText.contains("<IsDeleted>false</IsDeleted>"))
        let withoutFlag = activeText.replacingOccurrences(of: "<IsDeleted>false</IsDeleted>", with: "")
        let read = try SOAPEnvelope.decodeRequest("SubmitStudentSchoolEnrolment", as: SubmitRequest<SchoolEnrolment>.self, from: Data(withoutFlag.utf8))
        #expect(read.record?.isDeleted == false && read.record == active)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html:
    // CreatedInError maps to Is Deleted = true; Registered, Active, Completed and Withdrawn to false.
    @Test("a school enrolment saved with IsDeleted is held deleted and served so by Get and the feed; saved without, it is back")
    func createdInErrorInTheSimulator() async throws {
        try await SimulatorFixture.with { fixture in
            let province = fixture.province
            let enrolment = try #require(await province.all(SchoolEnrolment.self).first { $0.schoolYear == fixture.generator.currentSchoolYear })
            let feedType = try NotificationType(.studentSchoolEnrolment, year: enrolment.schoolYear)
            let before = try await fixture.client.followFeed(feedType, after: 0) { _ in }

            let deleted = try await fixture.client.save(EnrolmentSubmission.createdInError(enrolment))
            #expect(deleted.rejection.isEmpty && deleted.pasiCoreVersion > enrolment.pasiCoreVersion)
            let got = try #require(try await fixture.client.getSchoolEnrolments([enrolment.refId]).first)
            #expect(got.availabilityStatus == .normal && got.isDeleted && got.pasiCoreVersion == deleted.pasiCoreVersion)
            #expect(got.record?.isDeleted == true, "the record itself says IsDeleted, as the 2020 data contract does")
            let announced = try await fixture.client.isDataAvailable([.init(feedType, after: before)], wait: .zero)
            #expect(announced.first?.item.map(\.id) == [enrolment.recordID], "the deletion is in the feed")

            // The same deletion again is answered as before, nothing saved twice.
            var again = enrolment
            again.isDeleted = true
            again.pasiCoreVersion = deleted.pasiCoreVersion
            #expect(try await fixture.client.save(again).pasiCoreVersion == deleted.pasiCoreVersion)
            #expect(await province.acceptedSubmitCount(.schoolEnrolment, id: enrolment.recordID) == 1)

            var restored = enrolment
            restored.pasiCoreVersion = deleted.pasiCoreVersion
            let back = try await fixture.client.save(restored)
            #expect(back.rejection.isEmpty && back.pasiCoreVersion > deleted.pasiCoreVersion)
            let gotBack = try #require(try await fixture.client.getSchoolEnrolments([enrolment.refId]).first)
            #expect(!gotBack.isDeleted && gotBack.record?.isDeleted == false)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/e44bcfbe-e823-4a8f-36c6-29ba8bf97264.htm:
    // "Advice core alerts can have an acknowledgment status of "Unacknowledged", "InProgress", or "Acknowledged"";
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/core_alerts_overview.html shows it to people as "In Progress".
    @Test("an acknowledgement status travels as PASI's code value InProgress, and is kept as In Progress")
    func inProgressCodeValue() throws {
        #expect(AcknowledgementStatus.inProgress.codeValue == "InProgress")
        #expect(AcknowledgementStatus.inProgress.rawValue == "In Progress")
        #expect(AcknowledgementStatus.allCases.allSatisfy { AcknowledgementStatus(codeValue: $0.codeValue) == $0 })
        #expect(AcknowledgementStatus(codeValue: "In Progress") == nil)

        let request = AcknowledgeStatusRequest(callerInfo: Self.caller, id: "123456782", alertCode: "11201",
                                               arguments: AlertArguments(["Field": "Name"]), status: .inProgress)
        let sent = try SOAPEnvelope.request("SubmitStudentStatusAcknowledgement", request)
        #expect(String(decoding: sent, as: UTF8.self).contains("<Status>InProgress</Status>"))
        #expect(try SOAPEnvelope.decodeRequest("SubmitStudentStatusAcknowledgement", as: AcknowledgeStatusRequest.self, from: sent)
            .acknowledgementStatus == .inProgress)

        let status = RecordStatus(id: "123456782", availabilityStatus: .normal, pasiCoreVersion: 4,
                                  alert: [StatusAlert(alertCode: "11201", severity: .advice, acknowledgementStatus: .inProgress)])
        let answer = try SOAPEnvelope.response("GetStudentStatus", GetStatusesResponse<Student>(item: [RetrievedStatus(status: status)]))
        let text = String(decoding: answer, as: UTF8.self)
        #expect(text.contains("<AcknowledgementStatus>InProgress</AcknowledgementStatus>") && !text.contains("In Progress"))
        let read = try SOAPEnvelope.decodeResponse("GetStudentStatus", as: GetStatusesResponse<Student>.self, from: answer).get()
        #expect(read.item.first?.status.alert.first?.acknowledgementStatus == .inProgress)
        let spaced = text.replacingOccurrences(of: ">InProgress<", with: ">In Progress<")
        #expect(throws: (any Error).self) {
            _ = try SOAPEnvelope.decodeResponse("GetStudentStatus", as: GetStatusesResponse<Student>.self, from: Data(spaced.utf8)).get()
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/42ad38e9-04c4-cadc-5423-a5683b698c2a.htm
    // (SubmitStudentStatusAcknowledgement lists "9002, 9010, 12000, …");
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9010.html: "Access Denied. You do not
    // have access to ASN {StateProvinceId}."
    @Test("an acknowledgement of a student's alert without the association a change needs is refused by rule 9010, nothing saved")
    func acknowledgementRefused9010() async throws {
        try await SimulatorFixture.with { fixture in
            let province = fixture.province
            let student = try #require(await AssociationTests.enrolledStudent(province))
            let asn = student.recordID
            let arguments = AlertArguments(["Field": "Name"])
            _ = try #require(await province.raise(StatusAlert(alertCode: "11201", severity: .advice, arguments: arguments), on: .student, id: asn))
            #expect(try await province.endEnrolments(ofStudent: asn, on: PASIDate("2025-06-30")).kinds == [.byRecentSchoolEnrolment])

            let refused = await coreError {
                _ = try await fixture.client.acknowledge(.student, id: asn, alertCode: "11201", arguments: arguments, status: .inProgress)
            }
            #expect(refused?.category == .rejection)
            #expect(refused?.faultCode == PASIRule.organizationNotAssociated.rawValue)
            #expect(refused?.rejections.first?.message == "Access Denied. You do not have access to ASN \(asn).")
            #expect(await province.acknowledgementCount(.student, id: asn) == 0)
            let held = try await fixture.client.getStatuses(Student.self, [.init(asn)])
            #expect(held.first?.status.alert.first?.acknowledgementStatus == .unacknowledged)
        }
    }
}
