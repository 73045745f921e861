import DistrictSynthesis
import PASIModel
import Testing

@Suite struct DiplomaExamTests {
    static let generator = DistrictGenerator(students: 400, seed: 42)

    @Test func theSameSeedGivesTheSameDiplomaExamRecords() {
        let one = Self.generator.pasiDiplomaExams()
        let two = DistrictGenerator(students: 400, seed: 42).pasiDiplomaExams()
        #expect(one.exams == two.exams && one.sittings == two.sittings && one.marks == two.marks)
        #expect(one.marks != DistrictGenerator(students: 400, seed: 43).pasiDiplomaExams().marks)
    }

    @Test func marksAreForDiplomaCourseEnrolmentsAtAnExistingSittingWithPASIsBlendAndCredits() throws {
        let records = Self.generator.pasiDiplomaExams()
        let diploma = Set(Self.generator.courses().filter(\.isDiplomaCourse).map(\.courseNumber))
        let sittings = Set(records.sittings.map(\.refId))
        #expect(!records.marks.isEmpty)
        #expect(Set(records.exams.map(\.courseCode)) == diploma)
        #expect(records.exams.count == diploma.count * Self.generator.schoolYears.count)
        for mark in records.marks {
            #expect(diploma.contains(mark.courseCode))
            #expect(mark.sittingRefId.map(sittings.contains) == true)
            let official = try #require(mark.officialMark)
            #expect((official >= 50) == (mark.creditsAwarded ?? 0 > 0))
        }
        // Every diploma course enrolment of the SIS has its mark (one per student, course and year).
        let enrolments = Self.generator.courseEnrolments().filter { diploma.contains($0.courseNumber) }.count
        #expect(records.marks.count == enrolments)
        #expect(DistrictGenerator.blendedMark(school: 80, exam: 60) == 76)
        #expect(DistrictGenerator.blendedMark(school: 49, exam: 51) == 49)
    }
}
