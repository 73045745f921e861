import Foundation
import PASIModel
import Testing

/// The transcript detail record of GetStudentTranscriptDetail
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html).
@Suite("Student transcript detail: the record, its parts' versions, KnownSourceVersion")
struct StudentTranscriptDetailTests {
    static func sample(version: Int64 = 0) throws -> StudentTranscriptDetail {
        try StudentTranscriptDetail(
            asn: Sample.asn,
            officialMarks: [
                TranscriptOfficialMark(courseCode: "MAT3791", schoolYear: Sample.year, creditsAwarded: 5, markValue: "78", markFormat: "Percentage",
                                       pasiCoreVersion: 10),
                TranscriptOfficialMark(courseCode: "ELA3104", schoolYear: Sample.year, creditsAwarded: 5, markValue: "81", pasiCoreVersion: 12),
            ],
            credentials: [TranscriptCredential(credentialType: "AHSD", achievementStatus: "Achieved", credentialNumber: "10003-67823",
                                               awardedOnDate: Sample.date("2019-06-30"), schoolYear: Sample.year, pasiCoreVersion: 11)],
            credentialRequirementExemptions: [TranscriptRequirementExemption(credentialRequirementCode: "CALM", exemptionReason: "OutOfProvinceTransfer",
                                                                             exemptionStatus: "Approved")],
            externalCredentials: [TranscriptExternalCredential(externalCredentialCode: "STANDARD-FIRST-AID", awardedDate: Sample.date("2019-03-15"),
                                                               pasiCoreVersion: 13)],
            pasiCoreVersion: version)
    }

    // get_student_transcript_detail.html: "If LastKnownSourceVersion is specified, then only the
    // student's Student Credentials, Student Credential Numbers, Student Credential Requirement
    // Exceptions, Official Marks, and Student External Credentials those have a version greater will
    // be included"; the data contract's KnownSourceVersion of 0 applies no filtering
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/e786cbca-b31f-383e-2517-73be8c305ab3.htm).
    @Test("parts(above:) keeps the parts of a greater version; 0 keeps every part; the transcript's version stays")
    func knownSourceVersion() throws {
        let detail = try Self.sample(version: 14)
        #expect(detail.credentialRequirementExemptions[0].pasiCoreVersion == 14, "an unversioned part takes the transcript's version")
        let delta = detail.parts(above: 11)
        #expect(delta.officialMarks.map(\.courseCode) == ["ELA3104"])
        #expect(delta.credentials.isEmpty)
        #expect(delta.credentialRequirementExemptions.count == 1 && delta.externalCredentials.count == 1)
        #expect(delta.pasiCoreVersion == 14)
        #expect(detail.parts(above: 0) == detail)
        #expect(detail.parts(above: 14).officialMarks.isEmpty && detail.parts(above: 14).externalCredentials.isEmpty)
    }

    @Test("giving the transcript a version versions only the parts without one")
    func stamping() throws {
        var detail = try Self.sample()
        #expect(detail.credentialRequirementExemptions[0].pasiCoreVersion == 0)
        detail.officialMarks[0].pasiCoreVersion = 0
        detail.pasiCoreVersion = 20
        #expect(detail.officialMarks.map(\.pasiCoreVersion) == [20, 12])
        #expect(detail.credentialRequirementExemptions[0].pasiCoreVersion == 20 && detail.credentials[0].pasiCoreVersion == 11)
    }

    @Test("the validating initializers refuse an empty code, negative credits, a code over 80, a part twice")
    func validation() throws {
        #expect(expectModelError { _ = try TranscriptOfficialMark(courseCode: "", creditsAwarded: 5) }?.field == "TranscriptOfficialMark.courseCode")
        #expect(expectModelError { _ = try TranscriptOfficialMark(courseCode: "MAT3791", creditsAwarded: -1) }?.code == .outOfRange)
        #expect(expectModelError { _ = try TranscriptCredential(credentialType: " AHSD") } != nil)
        #expect(expectModelError {
            _ = try TranscriptExternalCredential(externalCredentialCode: String(repeating: "X", count: 81), awardedDate: Sample.date("2019-03-15"))
        } != nil)
        #expect(expectModelError { _ = try TranscriptRequirementExemption(credentialRequirementCode: "CALM", exemptionReason: "", exemptionStatus: "Approved") } != nil)
        let mark = try TranscriptOfficialMark(courseCode: "MAT3791", schoolYear: Sample.year, creditsAwarded: 5)
        #expect(expectModelError { _ = try StudentTranscriptDetail(asn: Sample.asn, officialMarks: [mark, mark]) }?.code == .duplicate)
    }

    @Test("JSON round trip through the validating initializers; an absent list reads as empty")
    func roundTrip() throws {
        let detail = try Self.sample(version: 14)
        let back = try JSONDecoder().decode(StudentTranscriptDetail.self, from: JSONEncoder().encode(detail))
        #expect(back == detail)
        let bare = try JSONDecoder().decode(StudentTranscriptDetail.self, from: Data(#"{"asn": "\#(Sample.asn.digits)", "pasiCoreVersion": 3}"#.utf8))
        #expect(bare.officialMarks.isEmpty && bare.credentials.isEmpty && bare.pasiCoreVersion == 3)
    }
}
