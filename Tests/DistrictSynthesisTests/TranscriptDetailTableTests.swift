import DistrictSynthesis
import PASIModel
import Testing

/// The simulator's transcript details (docs/diploma-exams.md, "Student Transcript Detail
/// Synchronization"), the record of get_student_transcript_detail.html
/// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html).
@Suite struct TranscriptDetailTableTests {
    static let generator = DistrictGenerator(students: 400, seed: 42)

    @Test func oneTranscriptPerStudentWithADiplomaMarkItsOfficialMarksThoseOfTheMarksVersionedAfterThem() throws {
        let marks = Self.generator.pasiDiplomaExams().marks
        let transcripts = Self.generator.pasiTranscriptDetails(from: marks)
        #expect(transcripts == DistrictGenerator(students: 400, seed: 42).pasiTranscriptDetails(from: marks), "the same seed, the same records")
        #expect(Set(transcripts.map(\.recordID)) == Set(marks.map(\.asn.digits)))
        let highestMark = try #require(marks.map(\.pasiCoreVersion).max())
        #expect(transcripts.allSatisfy { $0.pasiCoreVersion > highestMark })
        #expect(Set(transcripts.map(\.pasiCoreVersion)).count == transcripts.count, "one version each")
        for transcript in transcripts {
            let own = marks.filter { $0.asn == transcript.asn }
            #expect(Set(transcript.officialMarks.map(\.courseCode)) == Set(own.map(\.courseCode)))
            #expect(transcript.officialMarks.allSatisfy { $0.pasiCoreVersion == transcript.pasiCoreVersion })
            #expect(transcript.credentials.isEmpty == (transcript.officialMarks.count < 2))
        }
        #expect(transcripts.contains { $0.credentials.first?.credentialNumber != nil }, "some awarded")
        #expect(transcripts.contains { !$0.credentialRequirementExemptions.isEmpty } && transcripts.contains { !$0.externalCredentials.isEmpty })
    }
}
