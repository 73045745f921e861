import PASIModel
import Testing

@Suite struct DiplomaSectionValidationsTests {
    static let year = try! SchoolYear(endYear: 2026)

    static func section(_ id: Int, date: String? = "2025-11-01", centre: String? = "1042") -> DiplomaSectionFact.Section {
        DiplomaSectionFact.Section(sectionID: id, schoolCode: "1042", schoolYear: year, term: "S1", sectionNumber: "01",
                                   examRegistrationDate: date.map { Sample.date($0) }, examWritingCentre: centre)
    }

    @Test func aCleanDiplomaCourseHasNoValidations() {
        let facts = [DiplomaSectionFact(courseNumber: "ELA3104", courseName: "ELA 30-1", isDiplomaInSIS: true, isDiplomaInPASI: true,
                                        section: Self.section(1)),
                     DiplomaSectionFact(courseNumber: "ELA3104", courseName: "ELA 30-1", isDiplomaInSIS: true, isDiplomaInPASI: true,
                                        section: Self.section(2))]
        #expect(DiplomaSectionValidations.validate(facts).isEmpty)
        #expect(DiplomaSectionValidations.validate([]).isEmpty)
    }

    @Test func aPASIDiplomaCourseNotMarkedYesFailsOncePerCourseAndItsSectionsNeedTheExamFields() throws {
        let facts = [DiplomaSectionFact(courseNumber: "MAT3211", courseName: "Math 31", isDiplomaInSIS: false, isDiplomaInPASI: true,
                                        section: Self.section(7, date: nil, centre: nil)),
                     DiplomaSectionFact(courseNumber: "MAT3211", courseName: "Math 31", isDiplomaInSIS: false, isDiplomaInPASI: true,
                                        section: Self.section(8, centre: "  "))]
        let failures = DiplomaSectionValidations.validate(facts)
        #expect(failures.map(\.rule) == [.diplomaCourseNotYes, .examRegistrationDateMissing, .examWritingCentreMissing])
        #expect(failures[0].incidents.count == 1 && failures[0].incidents[0].detail.hasPrefix("PASI: diploma course"))
        #expect(failures[1].incidents.map { $0.section?.sectionID } == [7])
        #expect(failures[2].incidents.map { $0.section?.sectionID } == [7, 8])
        #expect(failures[0].rule.stepsToCorrect.contains("confirm that the Diploma Course field is set to Yes"))
    }

    @Test func aCourseTaughtAsADiplomaCourseMustSayYes() {
        let facts = [DiplomaSectionFact(courseNumber: "SCN3230", courseName: "Biology 30", isDiplomaInSIS: false, isDiplomaInPASI: false,
                                        section: Self.section(3))]
        let failures = DiplomaSectionValidations.validate(facts)
        #expect(failures.map(\.rule) == [.diplomaCourseNotYes])
        #expect(failures[0].incidents[0].detail.contains("1 section with diploma exam fields"))
    }

    @Test func aDiplomaCourseWithoutSectionsIsCheckedOnlyForItsField() {
        let facts = [DiplomaSectionFact(courseNumber: "SCN3796", courseName: "Chemistry 30", isDiplomaInSIS: false, isDiplomaInPASI: true)]
        #expect(DiplomaSectionValidations.validate(facts).map(\.rule) == [.diplomaCourseNotYes])
        #expect(DiplomaSectionValidations.validate([DiplomaSectionFact(courseNumber: "SCN3796", courseName: "Chemistry 30",
                                                                       isDiplomaInSIS: true, isDiplomaInPASI: true)]).isEmpty)
    }
}
