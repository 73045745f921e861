import PASIModel
import Testing

/// Regular synchronization's school course marks records: the Initial Upload's mapping with what
/// the SIS does not hold kept from PASI's copy; Active only after the three uploads.
@Suite struct CourseMarkSubmissionTests {
    static let refId = InitialUploadTests.refId
    static let sectionRefId = InitialUploadTests.sectionRefId
    static let asn = InitialUploadTests.asn

    @Test("a section edit is the upload's record on PASI's version, keeping the fields the SIS does not hold")
    func section() throws {
        let row = UploadSection(id: 7, schoolCode: "1042", sisStartYear: 2025, courseNumber: "MAT1791", creditsOffered: 5,
                                alternateTermCode: "1", firstDay: "2025-09-01")
        #expect(try CourseMarkSubmission.section(row, refId: Self.refId, base: nil) == (try InitialUploadRecords.section(row, refId: Self.refId)))
        var base = try InitialUploadRecords.section(row, refId: Self.refId)
        base.primaryDeliveryMethod = "Online"
        base.instructionalMinutesOffered = 1500
        base.pasiCoreVersion = 41
        var edited = row
        edited.creditsOffered = 3
        let record = try CourseMarkSubmission.section(edited, refId: Self.refId, base: base)
        #expect(record.creditsOffered == 3 && record.primaryDeliveryMethod == "Online" && record.instructionalMinutesOffered == 1500)
        #expect(record.pasiCoreVersion == 41)
        #expect(!CourseMarkSubmission.same(record, base))
        #expect(CourseMarkSubmission.same(try CourseMarkSubmission.section(row, refId: Self.refId, base: base), base),
                "an unchanged row says nothing new to PASI")
    }

    @Test("a course enrolment keeps PASI's mark and funding flag; an evaluated mark its funding flag")
    func enrolmentAndMark() throws {
        let row = UploadCourseEnrolment(id: 9, sectionID: 7, schoolCode: "1042", sisStartYear: 2025, courseNumber: "MAT1791",
                                        asn: Self.asn, dateEnrolled: "2025-09-02", dateLeft: nil, status: "Active", creditsAttempted: 5)
        var base = try InitialUploadRecords.courseEnrolment(row, refId: Self.refId, sectionRefId: Self.sectionRefId)
        base.markValue = 77
        base.isFundingRequested = true
        base.pasiCoreVersion = 8
        var edited = row
        edited.status = "Completed"
        let enrolment = try CourseMarkSubmission.courseEnrolment(edited, refId: Self.refId, sectionRefId: Self.sectionRefId, base: base)
        #expect(enrolment.status == "Completed" && enrolment.markValue == 77 && enrolment.isFundingRequested && enrolment.pasiCoreVersion == 8)

        let grade = UploadStoredGrade(id: 3, schoolCode: "1042", sisStartYear: 2025, courseNumber: "MAT1791", asn: Self.asn, mark: 81,
                                      earnedCredits: 5, termLastDay: "2026-01-30")
        var mark = try InitialUploadRecords.evaluatedMark(grade, refId: Self.refId)
        mark.isFundingRequested = true
        mark.pasiCoreVersion = 12
        var regraded = grade
        regraded.mark = 84
        let record = try CourseMarkSubmission.evaluatedMark(regraded, refId: Self.refId, base: mark)
        #expect(record.markValue == 84 && record.isFundingRequested && record.pasiCoreVersion == 12)
        var blank = grade
        blank.mark = nil
        #expect(throws: PASIModelError.self) { try CourseMarkSubmission.evaluatedMark(blank, refId: Self.refId, base: mark) }
    }

    @Test("Active is refused until Sections, Course Enrollments and Evaluated Marks were uploaded, naming what is missing and the commands")
    func activeRefusal() {
        let none = InitialUploadCheck.activeRefusal(schoolCode: "1042", completed: [])
        #expect(none == "refused: school 1042 cannot be set Active: its Initial Upload has not completed for Sections, Course Enrollments, "
            + "Evaluated Marks; run it first (pasisync run initial-upload --school 1042 --type sections --wait; "
            + "pasisync run initial-upload --school 1042 --type course-enrolments --wait; "
            + "pasisync run initial-upload --school 1042 --type evaluated-marks --wait), then set the school Active")
        let marks = InitialUploadCheck.activeRefusal(schoolCode: "1042", completed: [.sections, .courseEnrolments])
        #expect(marks?.contains("has not completed for Evaluated Marks; run it first (pasisync run initial-upload --school 1042 --type evaluated-marks --wait)") == true,
                "\(marks ?? "")")
        #expect(InitialUploadCheck.activeRefusal(schoolCode: "1042", completed: Set(InitialUploadType.allCases)) == nil)
    }
}
