public import PASIModel

// The transcript details PASI holds for the synthetic district (docs/diploma-exams.md, "Student
// Transcript Detail Synchronization"): one per student with a diploma exam mark, its official marks
// those of the diploma marks (PASI's blended mark and the credits it earns); a student with two or
// more of them has achieved the Alberta High School Diploma, every third of those has been awarded
// it (a credential number), every fifth holds an approved CALM exemption and every seventh an
// external credential. Derived from the diploma marks in their order, so the same seed gives the
// same records; their versions follow the marks'.

extension DistrictGenerator {
    /// The transcript details of the students of `marks` (``pasiDiplomaExams()``'s).
    public func pasiTranscriptDetails(from marks: [DiplomaExamMark]) -> [StudentTranscriptDetail] {
        var order: [String] = []
        var byStudent: [String: [DiplomaExamMark]] = [:]
        for mark in marks {
            if byStudent[mark.asn.digits] == nil { order.append(mark.asn.digits) }
            byStudent[mark.asn.digits, default: []].append(mark)
        }
        var version = marks.map(\.pasiCoreVersion).max() ?? versionBase
        return order.enumerated().map { index, asn in
            version += 1
            // One official mark per course and year (a course written twice in a year: the later mark).
            var seen: Set<String> = []
            let own = byStudent[asn]!.reversed().filter { seen.insert("\($0.courseCode) \($0.schoolYear.endYear)").inserted }.reversed()
            let latest = own.map(\.schoolYear).max()!
            // Versions 0: every part takes the transcript's version.
            let officialMarks = own.map { mark in
                try! TranscriptOfficialMark(
                    courseCode: mark.courseCode, schoolYear: mark.schoolYear, creditsAwarded: mark.creditsAwarded ?? 0,
                    markValue: mark.officialMark.map(String.init), markFormat: "Percentage", markStatus: "Available",
                    markCalculationMethod: "Blended")
            }
            var credentials: [TranscriptCredential] = []
            if own.count >= 2 {
                let awarded = index % 3 == 0
                credentials.append(try! TranscriptCredential(
                    credentialType: "AHSD", achievementStatus: "Achieved",
                    credentialNumber: awarded ? "\(10_000 + index % 90_000)-\(asn.suffix(5))" : nil,
                    awardedOnDate: awarded ? PASIDate(year: latest.endYear, month: 6, day: 30) : nil,
                    schoolYear: awarded ? latest : nil))
            }
            let exemptions = index % 5 == 0
                ? [try! TranscriptRequirementExemption(credentialRequirementCode: "CALM", exemptionReason: "OutOfProvinceTransfer",
                                                       exemptionStatus: "Approved")] : []
            let external = index % 7 == 0
                ? [try! TranscriptExternalCredential(externalCredentialCode: "STANDARD-FIRST-AID",
                                                     awardedDate: PASIDate(year: latest.endYear, month: 3, day: 15))] : []
            return try! StudentTranscriptDetail(
                asn: own.first!.asn, officialMarks: officialMarks, credentials: credentials, credentialRequirementExemptions: exemptions,
                externalCredentials: external, pasiCoreVersion: version)
        }
    }
}
