import PASIModel
import Testing

@Suite struct SchoolTermValidationsTests {
    static let year = try! SchoolYear(endYear: 2026)

    /// A clean school: a year term and two semesters within it, each with its own codes.
    static func cleanSchool(_ code: String = "1042", firstID: Int = 1) -> [SchoolTermSetup] {
        [
            SchoolTermSetup(termID: firstID, schoolCode: code, schoolYear: year, name: "2025-2026", abbreviation: "YR",
                            firstDay: Sample.date("2025-09-01"), lastDay: Sample.date("2026-06-30"), isYear: true,
                            alternateTermCode: "Y", finalMarkStoreCode: "Y1"),
            SchoolTermSetup(termID: firstID + 1, schoolCode: code, schoolYear: year, name: "Semester 1", abbreviation: "S1",
                            firstDay: Sample.date("2025-09-01"), lastDay: Sample.date("2026-01-31"),
                            alternateTermCode: "1", finalMarkStoreCode: "S1", sections: 12, courseEnrolments: 300),
            SchoolTermSetup(termID: firstID + 2, schoolCode: code, schoolYear: year, name: "Semester 2", abbreviation: "S2",
                            firstDay: Sample.date("2026-02-01"), lastDay: Sample.date("2026-06-30"),
                            alternateTermCode: "2", finalMarkStoreCode: "S2", sections: 1, courseEnrolments: 1),
        ]
    }

    @Test func cleanTermsHaveNoValidations() {
        #expect(SchoolTermValidations.validate(Self.cleanSchool() + Self.cleanSchool("2001", firstID: 10)).isEmpty)
        #expect(SchoolTermValidations.validate([]).isEmpty)
    }

    @Test func aTermWithSectionsAndNoAlternateTermCodeFails() throws {
        var terms = Self.cleanSchool()
        terms[1].alternateTermCode = nil
        let failures = SchoolTermValidations.validate(terms)
        #expect(failures.map(\.rule) == [.alternateTermCodeMissing])
        let incident = try #require(failures.first?.incidents.first)
        #expect(failures.first?.incidents.count == 1)
        #expect(incident.term.termID == 2)
        #expect(incident.detail == "12 sections")
    }

    @Test func blankCodesAreMissingButATermWithoutSectionsNeedsNone() {
        var terms = Self.cleanSchool()
        terms[2] = SchoolTermSetup(termID: 3, schoolCode: "1042", schoolYear: Self.year, name: "Semester 2", abbreviation: "S2",
                                   firstDay: Sample.date("2026-02-01"), lastDay: Sample.date("2026-06-30"),
                                   alternateTermCode: "  ", finalMarkStoreCode: "", sections: 1, courseEnrolments: 1)
        terms[0].alternateTermCode = nil  // the year term has no sections
        terms[0].finalMarkStoreCode = nil
        let failures = SchoolTermValidations.validate(terms)
        #expect(failures.map(\.rule) == [.alternateTermCodeMissing, .finalMarkStoreCodeMissing])
        #expect(failures.map { $0.incidents.map(\.term.termID) } == [[3], [3]])
        #expect(failures.last?.incidents.first?.detail == "1 section, 1 course enrolment")
    }

    @Test func twoTermsOfAYearSharingACodeFailEach() {
        var terms = Self.cleanSchool()
        terms[2].alternateTermCode = "1"
        // The same code at another school, or in another year, is no incident.
        var other = Self.cleanSchool("2001", firstID: 10)
        other[1].alternateTermCode = "2"
        let failures = SchoolTermValidations.validate(terms + other)
        #expect(failures.map(\.rule) == [.alternateTermCodeShared])
        let incidents = failures.first?.incidents ?? []
        #expect(incidents.map(\.term.termID) == [2, 3, 11, 12])
        #expect(incidents.first?.detail == "Alternate Term Code 1 is also that of S2")
    }

    @Test func aTermOutsideItsYearTermFails() {
        var terms = Self.cleanSchool()
        terms[2].lastDay = Sample.date("2026-07-15")
        let failures = SchoolTermValidations.validate(terms)
        #expect(failures.map(\.rule) == [.termOutsideSchoolYear])
        #expect(failures.first?.incidents.map(\.term.termID) == [3])
        #expect(failures.first?.incidents.first?.detail == "2026-02-01 to 2026-07-15 is not within the year YR (2025-09-01 to 2026-06-30)")
        // Without a year term nothing holds the terms: no incident.
        #expect(SchoolTermValidations.validate(Array(terms.dropFirst())).isEmpty)
    }

    @Test func failuresComeInRuleOrderAndIncidentsBySchoolYearAndFirstDay() {
        var a = Self.cleanSchool("2001", firstID: 10)
        var b = Self.cleanSchool("1042", firstID: 20)
        for index in [2, 1] {
            a[index].alternateTermCode = nil
            b[index].alternateTermCode = nil
        }
        b[1].lastDay = Sample.date("2026-08-01")
        let failures = SchoolTermValidations.validate(a + b)
        #expect(failures.map(\.rule) == [.alternateTermCodeMissing, .termOutsideSchoolYear])
        #expect(failures.first?.incidents.map(\.term.termID) == [21, 22, 11, 12])
    }

    @Test func everyRuleHasANameARuleAndStepsToCorrect() {
        #expect(Set(SchoolTermRule.allCases.map(\.name)).count == SchoolTermRule.allCases.count)
        for rule in SchoolTermRule.allCases {
            #expect(!rule.name.isEmpty && !rule.businessRule.isEmpty)
            #expect(rule.stepsToCorrect.contains("Years & Terms"), "\(rule)")
            #expect(rule.stepsToCorrect.contains("UPDATE sis.terms"), "\(rule)")
        }
    }

    @Test func integrationStatusBlankIsInactiveAndTypedInAnyCase() throws {
        #expect(CourseMarkIntegrationStatus(stored: nil) == .inactive)
        #expect(CourseMarkIntegrationStatus(stored: "") == .inactive)
        #expect(CourseMarkIntegrationStatus(stored: "Active") == .active)
        #expect(CourseMarkIntegrationStatus(stored: "active") == nil)
        #expect(try CourseMarkIntegrationStatus(typed: "ACTIVE") == .active)
        #expect(try CourseMarkIntegrationStatus(typed: "inactive") == .inactive)
        let error = expectModelError { _ = try CourseMarkIntegrationStatus(typed: "On") }
        #expect(error?.description == "Course Mark Integration Status must be Active or Inactive, got On")
        #expect(CourseMarkIntegrationStatus.inactive.consequence.contains("not synchronized later"))
        #expect(CourseMarkIntegrationStatus.inactive.consequence.contains("Alternate Course Number"))
    }
}
