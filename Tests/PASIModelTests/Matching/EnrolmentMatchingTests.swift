import PASIModel
import Testing

@Suite("Initial synchronization: matching school enrolments")
struct EnrolmentMatchingTests {
    typealias Match = InitialSyncComparison.EnrolmentMatch

    func compare(_ sis: SISStudent, _ enrolments: [SchoolEnrolment], years: Set<SchoolYear> = MatchingFixture.years) throws
        -> InitialSyncComparison.Result
    {
        MatchingFixture.compare(sis, [try MatchingFixture.pasi()], enrolments: enrolments, years: years)
    }

    @Test("another entry date at the same school and year: Medium, matched, with a School Enrolment conflict")
    func entryDateMedium() throws {
        var sis = MatchingFixture.sis()
        sis.enrolments[1].entryDate = MatchingFixture.date("2025-09-08")
        let result = try compare(sis, try MatchingFixture.pasiEnrolments())
        #expect(result.enrolmentMatches.last == Match(enrolmentID: 71, refId: MatchingFixture.currentRef, quality: .medium))
        #expect(result.conflicts.map(\.conflictType) == [.schoolEnrolment])
        let conflict = result.conflicts[0]
        #expect(conflict.differences == [FieldDifference(field: "Entry Date", sisValue: "2025-09-08", pasiValue: "2025-09-02")])
        #expect(conflict.enrolmentID == 71)
        #expect(conflict.refId == MatchingFixture.currentRef)
        #expect(conflict.statusType == .enrolment)
        #expect(conflict.key.recordKey == MatchingFixture.currentRef.value)
        #expect(conflict.key.arguments == AlertArguments(["StudentID": "7", "EnrolmentID": "71"]))
        #expect(result.entries(of: .diffEnrolments).map(\.record) == [.sisEnrolment(sis.enrolments[1], student: sis, identified: true)])
    }

    @Test("the exit date differs: Enrolment Exit Date; the grade differs: School Enrolment")
    func exitDateAndGrade() throws {
        var sis = MatchingFixture.sis()
        sis.enrolments[0].exitDate = MatchingFixture.date("2025-05-30")
        sis.enrolments[1].grade = try GradeCode("09")
        let result = try compare(sis, try MatchingFixture.pasiEnrolments())
        #expect(result.enrolmentMatches.map(\.quality) == [.high, .high])
        #expect(result.conflicts.map(\.conflictType) == [.enrolmentExitDate, .schoolEnrolment])
        #expect(result.conflicts[0].differences == [FieldDifference(field: "Exit Date", sisValue: "2025-05-30", pasiValue: "2025-06-27")])
        #expect(result.conflicts[1].differences == [FieldDifference(field: "Grade", sisValue: "09", pasiValue: "08")])
        #expect(result.entries(of: .diffEnrolments).count == 2)
    }

    @Test("a SIS enrolment PASI lacks: School Enrolment, or Summer School Enrolment when it starts in July or August")
    func sisOnly() throws {
        var sis = MatchingFixture.sis()
        sis.enrolments.append(SISEnrolment(
            id: 72, studentID: 7, schoolID: 1002, schoolCode: MatchingFixture.otherSchool, schoolYear: MatchingFixture.past,
            grade: try GradeCode("07"), entryDate: MatchingFixture.date("2025-07-07"), exitDate: MatchingFixture.date("2025-08-01")))
        var enrolments = try MatchingFixture.pasiEnrolments()
        enrolments.removeLast()
        let result = try compare(sis, enrolments)
        #expect(result.conflicts.map(\.conflictType) == [.schoolEnrolment, .summerSchoolEnrolment])
        #expect(result.conflicts.map(\.enrolmentID) == [71, 72])
        #expect(result.conflicts[0].key.recordKey == "SIS.enrolments.71")
        #expect(result.conflicts[0].differences == [FieldDifference(
            field: "Enrolment", sisValue: "school 1001 2025/2026 grade 08 entry 2025-09-02", pasiValue: nil)])
        #expect(result.entries(of: .unmatchedEnrolments).map(\.record) == [
            .sisEnrolment(sis.enrolments[1], student: sis, identified: true), .sisEnrolment(sis.enrolments[2], student: sis, identified: true),
        ])
        #expect(InitialSyncComparison.isSummerSchool(entryDate: MatchingFixture.date("2025-08-31")))
        #expect(!InitialSyncComparison.isSummerSchool(entryDate: MatchingFixture.date("2025-09-01")))
    }

    @Test("a PASI enrolment at the authority the SIS lacks: Missing Enrolment; at another authority's school: nothing")
    func pasiOnly() throws {
        var enrolments = try MatchingFixture.pasiEnrolments()
        let extra = try SchoolEnrolment(
            refId: MatchingFixture.extraRef, asn: MatchingFixture.asn, schoolCode: MatchingFixture.otherSchool,
            schoolYear: MatchingFixture.current, grade: GradeCode("08"), entryDate: MatchingFixture.date("2026-02-02"),
            exitDate: MatchingFixture.date("2026-03-15"), registrationType: "Primary")
        enrolments.append(extra)
        let result = try compare(MatchingFixture.sis(), enrolments)
        #expect(result.conflicts.map(\.conflictType) == [.missingEnrolment])
        #expect(result.conflicts[0].refId == MatchingFixture.extraRef)
        #expect(result.conflicts[0].enrolmentID == nil)
        #expect(result.conflicts[0].studentID == 7)
        #expect(result.conflicts[0].key.recordKey == MatchingFixture.extraRef.value)
        let sis = MatchingFixture.sis()
        #expect(result.entries(of: .unmatchedEnrolments).map(\.record) == [.pasiEnrolment(extra, student: sis)])

        var foreign = extra
        foreign.schoolCode = MatchingFixture.foreignSchool
        #expect(try compare(MatchingFixture.sis(), try MatchingFixture.pasiEnrolments() + [foreign]).conflicts.isEmpty)
    }

    @Test("only the synchronization years are compared, and enrolments created in error are not")
    func scope() throws {
        var sis = MatchingFixture.sis()
        sis.enrolments[0].exitDate = nil
        var enrolments = try MatchingFixture.pasiEnrolments()
        #expect(try compare(sis, enrolments, years: [MatchingFixture.current]).conflicts.isEmpty)
        #expect(try compare(sis, enrolments).conflicts.map(\.conflictType) == [.enrolmentExitDate])
        enrolments[1].isDeleted = true
        let result = try compare(MatchingFixture.sis(), enrolments)
        #expect(result.conflicts.map(\.conflictType) == [.schoolEnrolment])
        #expect(result.conflicts[0].enrolmentID == 71)
    }

    @Test("two enrolments left at one school and year are not paired on a guess")
    func noGuessing() throws {
        var sis = MatchingFixture.sis()
        sis.enrolments[0] = SISEnrolment(
            id: 70, studentID: 7, schoolID: 1001, schoolCode: MatchingFixture.school, schoolYear: MatchingFixture.current,
            grade: try GradeCode("08"), entryDate: MatchingFixture.date("2025-09-05"), exitDate: MatchingFixture.date("2025-10-01"))
        sis.enrolments[1].entryDate = MatchingFixture.date("2025-10-02")
        let enrolments = try MatchingFixture.pasiEnrolments().filter { $0.schoolYear == MatchingFixture.current }
        let result = try compare(sis, enrolments)
        #expect(result.enrolmentMatches.isEmpty)
        #expect(result.conflicts.map(\.conflictType) == [.schoolEnrolment, .schoolEnrolment, .missingEnrolment])
    }

    @Test("an earlier enrolment match is kept")
    func existingEnrolmentMatch() throws {
        var sis = MatchingFixture.sis()
        sis.enrolments[1].entryDate = MatchingFixture.date("2025-09-08")
        sis.enrolments[1].schoolCode = MatchingFixture.otherSchool
        let result = InitialSyncComparison.compare(
            sis: [sis], pasi: [try MatchingFixture.pasi()], pasiEnrolments: try MatchingFixture.pasiEnrolments(),
            existingEnrolmentMatches: [71: MatchingFixture.currentRef], authoritySchools: MatchingFixture.schools,
            years: MatchingFixture.years, smartAddressMatch: false)
        #expect(result.enrolmentMatches.last == Match(enrolmentID: 71, refId: MatchingFixture.currentRef, quality: .low))
        #expect(result.conflicts.flatMap(\.differences).map(\.field) == ["School", "Entry Date"])
    }

    @Test("a PASI student no SIS student matched: Missing Enrolment per enrolment at the authority, rows unidentified")
    func pasiOnlyStudent() throws {
        let pasi = try MatchingFixture.pasi()
        var enrolments = try MatchingFixture.pasiEnrolments()
        enrolments[0].schoolCode = MatchingFixture.foreignSchool
        let result = InitialSyncComparison.comparePASIOnly(
            [pasi, try MatchingFixture.pasi(asn: MatchingFixture.otherASN)], enrolments: enrolments,
            authoritySchools: MatchingFixture.schools, years: MatchingFixture.years)
        #expect(result.unmatchedPASI == [MatchingFixture.asn])
        #expect(result.conflicts.map(\.conflictType) == [.missingEnrolment])
        #expect(result.conflicts[0].studentID == nil)
        #expect(result.extract.map(\.record) == [.pasiStudent(pasi), .pasiEnrolment(enrolments[1], student: nil)])
        #expect(result.logLines == [
            "student - ASN \(MatchingFixture.asn) enrolment PASI \(MatchingFixture.currentRef) school 1001 2025/2026 | Missing Enrolment"
                + " | Enrolment | SIS: (none) | PASI: school 1001 2025/2026 grade 08 entry 2025-09-02",
        ])
    }
}
