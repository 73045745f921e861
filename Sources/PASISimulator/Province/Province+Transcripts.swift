import PASIContract
import PASIModel

// GetStudentTranscriptDetail's KnownSourceVersion and the transcript edits of /admin/change
// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html).

extension Province {
    /// A Get's item with only the transcript parts above `knownSourceVersion`: "If
    /// LastKnownSourceVersion is specified, then only the student's Student Credentials, Student
    /// Credential Numbers, Student Credential Requirement Exceptions, Official Marks, and Student
    /// External Credentials those have a version greater will be included in the response";
    /// absent or 0, all of them. Items of other types pass unchanged.
    func transcriptParts<R: PASIRecord>(_ item: RetrievedRecord<R>, above knownSourceVersion: Int64?) -> RetrievedRecord<R> {
        guard let knownSourceVersion, let transcript = item.record as? StudentTranscriptDetail,
              let delta = transcript.parts(above: knownSourceVersion) as? R else { return item }
        var filtered = item
        filtered.record = delta
        return filtered
    }

    /// Recalculates one official mark of a student's transcript, as PASI does when a mark behind it
    /// changes: the mark of `courseCode` (the first one without it) takes `markValue`, and it alone
    /// gets the transcript's new version.
    /// - Returns: The new version.
    /// - Throws: ``ProvinceEditError`` for a student without transcript details or without that official mark.
    func recalculateOfficialMark(asn: String, courseCode: String?, markValue: Int) throws(ProvinceEditError) -> Int64 {
        guard var transcript = record(StudentTranscriptDetail.self, id: asn) else {
            throw ProvinceEditError(description: "no StudentTranscriptDetail \(asn)")
        }
        guard let index = transcript.officialMarks.firstIndex(where: { courseCode == nil || $0.courseCode == courseCode }) else {
            throw ProvinceEditError(description: "StudentTranscriptDetail \(asn) holds no official mark of \(courseCode ?? "any course")")
        }
        guard EvaluatedMark.markRange.contains(markValue) else {
            throw ProvinceEditError(description: "officialMark= must be from 0 to 100, got \(markValue)")
        }
        transcript.officialMarks[index].markValue = String(markValue)
        // Version 0: the part takes the version change() gives the transcript.
        transcript.officialMarks[index].pasiCoreVersion = 0
        return change(transcript)
    }
}
