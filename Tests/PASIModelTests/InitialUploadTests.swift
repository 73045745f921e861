import PASIModel
import Testing

@Suite struct InitialUploadTests {
    static let refId = try! RefId("0f8fad5b-d9cb-469f-a165-70867728950e")
    static let sectionRefId = try! RefId("1f8fad5b-d9cb-469f-a165-70867728950e")
    static let asn = try! ASN.withCheckDigit(prefix: "12345678").digits

    @Test("the Upload Type reads the seed's and the command's spellings and refuses anything else")
    func uploadType() throws {
        #expect(try InitialUploadType(typed: "sections") == .sections)
        #expect(try InitialUploadType(typed: "Course-Enrollments") == .courseEnrolments)
        #expect(try InitialUploadType(typed: "course_enrolments") == .courseEnrolments)
        #expect(try InitialUploadType(typed: "Evaluated Marks") == .evaluatedMarks)
        #expect(InitialUploadType.courseEnrolments.seedName == "Course Enrollments")
        #expect(InitialUploadType.evaluatedMarks.recordType == .evaluatedMark)
        let error = #expect(throws: PASIModelError.self) { try InitialUploadType(typed: "marks") }
        #expect(error?.description.contains("sections, course-enrolments or evaluated-marks") == true)
    }

    @Test("refusals in the seed's order: not a high school, not Inactive, failing validations, course enrolments before sections")
    func refusals() {
        func refusal(highSchool: Bool = true, status: CourseMarkIntegrationStatus = .inactive, failed: [String] = [],
                     type: InitialUploadType = .sections, sections: Bool = false) -> String? {
            InitialUploadCheck.refusal(schoolCode: "1042", isHighSchool: highSchool, status: status, failedRules: failed,
                                       type: type, sectionsUploaded: sections)
        }
        #expect(refusal(highSchool: false, status: .active)?.contains("is not a high school") == true)
        #expect(refusal(status: .active)?.contains("must be set to inactive prior to the Initial Upload") == true)
        #expect(refusal(failed: ["ALTERNATE_TERM_CODE_MISSING"])?.contains("validation errors need to be corrected prior to the Initial Upload") == true)
        #expect(refusal(type: .courseEnrolments)?.contains("all sections must be uploaded before course enrolments can be uploaded") == true)
        #expect(refusal(type: .courseEnrolments, sections: true) == nil)
        #expect(refusal(type: .evaluatedMarks) == nil, "Evaluated Marks can be loaded independently")
        #expect(refusal() == nil)
    }

    @Test("a section takes its term's Alternate Term Code and First Day; without the code it is not built")
    func section() throws {
        let row = UploadSection(id: 7, schoolCode: "1042", sisStartYear: 2025, courseNumber: "MAT1791", creditsOffered: 5,
                                alternateTermCode: "1", firstDay: "2025-09-01")
        let section = try InitialUploadRecords.section(row, refId: Self.refId)
        #expect(section.termCode == "1")
        #expect(section.schoolYear.endYear == 2026)
        #expect(section.startDate == (try PASIDate("2025-09-01")))
        #expect(section.creditsOffered == 5)
        #expect(section.pasiCoreVersion == 0)
        var blank = row
        blank.alternateTermCode = " "
        #expect(throws: PASIModelError.self) { try InitialUploadRecords.section(blank, refId: Self.refId) }
    }

    @Test("a course enrolment names its section's RefId and needs the student's ASN")
    func courseEnrolment() throws {
        let row = UploadCourseEnrolment(id: 9, sectionID: 7, schoolCode: "1042", sisStartYear: 2025, courseNumber: "MAT1791",
                                        asn: Self.asn, dateEnrolled: "2025-09-02", dateLeft: "2026-01-30", status: "Completed",
                                        creditsAttempted: 5)
        let enrolment = try InitialUploadRecords.courseEnrolment(row, refId: Self.refId, sectionRefId: Self.sectionRefId)
        #expect(enrolment.sectionRefId == Self.sectionRefId)
        #expect(enrolment.asn.digits == Self.asn)
        #expect(enrolment.exitDate == (try PASIDate("2026-01-30")))
        #expect(enrolment.status == "Completed")
        var noASN = row
        noASN.asn = nil
        let error = #expect(throws: PASIModelError.self) {
            try InitialUploadRecords.courseEnrolment(noASN, refId: Self.refId, sectionRefId: Self.sectionRefId)
        }
        #expect(error?.description.contains("course enrolment 9") == true)
    }

    @Test("an evaluated mark is the stored percent and credits, evaluated on the term's last day or June 30")
    func evaluatedMark() throws {
        let row = UploadStoredGrade(id: 3, schoolCode: "1042", sisStartYear: 2024, courseNumber: "ELA1105", asn: Self.asn,
                                    mark: 78, earnedCredits: 5, termLastDay: "2025-01-31")
        let mark = try InitialUploadRecords.evaluatedMark(row, refId: Self.refId)
        #expect(mark.markValue == 78)
        #expect(mark.credits == 5)
        #expect(mark.isMarkValueApproved)
        #expect(mark.evaluationDate == (try PASIDate("2025-01-31")))
        var transferred = row
        transferred.termLastDay = nil
        #expect(try InitialUploadRecords.evaluatedMark(transferred, refId: Self.refId).evaluationDate == (try PASIDate("2025-06-30")))
        var noPercent = row
        noPercent.mark = nil
        #expect(throws: PASIModelError.self) { try InitialUploadRecords.evaluatedMark(noPercent, refId: Self.refId) }
    }
}
