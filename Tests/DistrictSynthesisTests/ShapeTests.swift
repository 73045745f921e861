import DistrictSynthesis
import PASIModel
import Testing

@Suite struct ShapeTests {
    @Test func countsAreAsConfigured() {
        let students = Array(smallDistrict.students())
        #expect(students.count == 1_000)
        #expect(Array(smallDistrict.pasiStudents()).count == 1_000)
        #expect(Set(students.map(\.id)).count == 1_000)
        let schools = Array(smallDistrict.schools())
        #expect(schools.count == smallDistrict.schoolCount)
        #expect(schools.count == 3)
        #expect(Array(smallDistrict.pasiSchools()).map(\.schoolCode) == schools.map(\.schoolNumber))

        // Every student is enrolled in the current year; past years only from grade 1 on.
        let enrolments = Array(smallDistrict.enrolments())
        let currentStartYear = smallDistrict.currentSchoolYear.sisStartYear
        #expect(enrolments.filter { $0.schoolYear == currentStartYear }.count == 1_000)
        #expect(Set(enrolments.map(\.schoolYear)) == Set([currentStartYear, currentStartYear - 1, currentStartYear - 2]))
        #expect(Set(enrolments.map(\.id)).count == enrolments.count)
        // PASI holds the same enrolments, minus those missing there, plus those missing in the SIS.
        let perKind = smallDistrict.discrepanciesPerKind
        #expect(perKind == 10)
        #expect(Array(smallDistrict.pasiEnrolments()).count == enrolments.count - perKind + perKind)
    }

    @Test func everyASNIsValidAndUnique() throws {
        let sis = Array(smallDistrict.students()).map(\.stateStudentNumber)
        let pasi = Array(smallDistrict.pasiStudents()).map(\.asn)
        for digits in sis + pasi {
            _ = try ASN(digits)  // enforces the check digit
        }
        #expect(Set(sis).count == sis.count)
        #expect(Set(pasi).count == pasi.count)
    }

    @Test func refIdsAreGUIDsAndUnique() throws {
        let refIds = Array(smallDistrict.pasiEnrolments()).map(\.refId) + Array(smallDistrict.pasiStudents()).map(\.legalNameRefId)
        for text in refIds { #expect(try RefId(text).value == text) }
        #expect(Set(refIds).count == refIds.count)
    }

    @Test func versionsArePositiveAndUniqueAcrossStudentsAndEnrolments() {
        let versions = Array(smallDistrict.pasiStudents()).map(\.pasiCoreVersion) + Array(smallDistrict.pasiEnrolments()).map(\.pasiCoreVersion)
        #expect(versions.allSatisfy { $0 > 0 })
        #expect(Set(versions).count == versions.count)
    }

    @Test func datesAreRealAndExitsFollowEntries() throws {
        for row in smallDistrict.pasiEnrolments() {
            let entry = try PASIDate(row.entryDate)
            if let exit = row.exitDate { #expect(try PASIDate(exit) >= entry) }
            _ = try GradeCode(row.grade)
            _ = try SchoolYear(endYear: row.schoolYear)
        }
        for row in smallDistrict.students() { _ = try PASIDate(row.dob) }
        for row in smallDistrict.courseEnrolments() { #expect(row.dateEnrolled <= row.dateLeft) }
    }

    @Test func courseDataReferencesExistingSectionsAndTerms() {
        let sections = Dictionary(uniqueKeysWithValues: smallDistrict.sections().map { ($0.id, $0) })
        let terms = Set(smallDistrict.terms().map(\.id))
        #expect(sections.values.allSatisfy { terms.contains($0.termID) })
        let courseEnrolments = Array(smallDistrict.courseEnrolments())
        #expect(!courseEnrolments.isEmpty)
        for row in courseEnrolments {
            let section = sections[row.sectionID]
            #expect(section?.courseNumber == row.courseNumber)
            #expect(section?.termID == row.termID)
            #expect(section?.schoolID == row.schoolID)
        }
        let enrolled = Set(courseEnrolments.map(\.id))
        let grades = Array(smallDistrict.storedGrades())
        #expect(!grades.isEmpty)
        #expect(grades.allSatisfy { enrolled.contains($0.id) && $0.schoolYear < smallDistrict.currentSchoolYear.sisStartYear })
    }

    @Test func catalogueHasDiplomaCoursesWithCreditsAndDiplomaSectionsHaveExams() {
        let courses = Array(smallDistrict.courses())
        let diploma = courses.filter(\.isDiplomaCourse)
        #expect(!diploma.isEmpty)
        #expect(diploma.allSatisfy { ($0.creditHours ?? 0) > 0 })
        let diplomaCodes = Set(diploma.map(\.courseNumber))
        for section in smallDistrict.sections() {
            #expect((section.examRegistrationDate != nil) == diplomaCodes.contains(section.courseNumber))
        }
    }

    @Test func highSchoolsCarryEveryIntegrationStatus() {
        // Only the schools are read, so a large district costs nothing here.
        let schools = Array(DistrictGenerator(students: 100_000, seed: 7).schools())
        let high = schools.filter(\.isHighSchool)
        #expect(Set(high.map(\.courseMarkIntegrationStatus)) == ["Active", "Inactive", ""])
        #expect(schools.filter { !$0.isHighSchool }.allSatisfy { $0.courseMarkIntegrationStatus.isEmpty })
        #expect(Set(schools.map(\.schoolNumber)).count == schools.count)
    }

    @Test func schoolsCarryEverySchoolTypeAndTheirLevel() {
        let schools = Array(DistrictGenerator(students: 100_000, seed: 7).schools())
        #expect(Set(schools.map(\.schoolType)) == ["Active", "Inactive", ""])
        #expect(schools.allSatisfy { ($0.schoolLevel == "High School") == $0.isHighSchool })
        #expect(Set(schools.map(\.schoolLevel)) == ["Elementary", "Junior High", "High School"])
        // The same seed gives the same types.
        #expect(Array(DistrictGenerator(students: 100_000, seed: 7).schools()).map(\.schoolType) == schools.map(\.schoolType))
    }

    @Test func linesMatchHeadersAndUseTheNullMarker() {
        for table in DistrictTable.allCases {
            smallDistrict.forEachLine(of: table) { line in
                #expect(line.split(separator: "\t", omittingEmptySubsequences: false).count == table.header.count)
            }
        }
        let withoutMiddle = smallDistrict.students().first { $0.middleName == nil }
        #expect(withoutMiddle?.line.contains("\t\\N\t") == true)
        #expect(Tabular.escape("a\tb\\c") == "a\\tb\\\\c")
    }
}

@Suite struct TinyDistrictTests {
    @Test(arguments: [1, 2, 9, 40])
    func tinyDistrictsAreWholeAndConsistent(students: Int) {
        // 1000 per thousand asks for every student in every kind; the cap leaves one kind each.
        let generator = DistrictGenerator(students: students, seed: 5, discrepanciesPerThousand: 1_000)
        #expect(generator.discrepanciesPerKind == students / DiscrepancyKind.allCases.count)
        #expect(Array(generator.students()).count == students)
        #expect(generator.schoolCount == 3)
        let found = DiscrepancyTests.compare(generator)
        for kind in DiscrepancyKind.allCases {
            #expect(Set(generator.discrepancyReport.keys[kind] ?? []) == (found[kind] ?? []), "\(kind)")
        }
    }
}
