import PASIModel
import Testing

@Suite("Initial synchronization: matching students")
struct StudentMatchingTests {
    typealias Match = InitialSyncComparison.StudentMatch

    @Test("an ASN match is High with last name and birth date, Medium with one, Low with neither, and always matched")
    func asnGrades() throws {
        let pasi = try MatchingFixture.pasi()
        var sis = MatchingFixture.sis()
        #expect(StudentGrading.asnMatch(sis, pasi) == .high)
        sis.demographics.legalLastName = "Roy"
        #expect(StudentGrading.asnMatch(sis, pasi) == .medium)
        sis.demographics.birthDate = MatchingFixture.date("2011-01-01")
        #expect(StudentGrading.asnMatch(sis, pasi) == .low)
        let result = MatchingFixture.compare(sis, [pasi])
        #expect(result.studentMatches == [Match(studentID: 7, asn: MatchingFixture.asn, quality: .low, basis: .asn)])
        #expect(result.conflicts.map(\.conflictType) == [.legalNameAndIdentification, .birthDate])
    }

    @Test("the lookup folds case, accents and white space")
    func foldedLookup() throws {
        var sis = MatchingFixture.sis(asn: nil)
        sis.demographics.legalLastName = " TREMBLAY "
        sis.demographics.legalFirstName = "elodie"
        #expect(StudentGrading.demographicCandidate(sis, try MatchingFixture.pasi()) == .high)
        #expect(StudentGrading.asnMatch(sis, try MatchingFixture.pasi()) == .high)
    }

    @Test("demographic grades, as IdentifyStudent grades")
    func demographicGrades() throws {
        let pasi = try MatchingFixture.pasi()
        var sis = MatchingFixture.sis(asn: nil)
        #expect(StudentGrading.demographicCandidate(sis, pasi) == .high)
        sis.demographics.legalGender = .male
        #expect(StudentGrading.demographicCandidate(sis, pasi) == .medium)
        sis.demographics.legalFirstName = "Emma"
        #expect(StudentGrading.demographicCandidate(sis, pasi) == .low)
        sis.demographics.legalGender = .female
        #expect(StudentGrading.demographicCandidate(sis, pasi) == .medium)
        sis.demographics.birthDate = MatchingFixture.date("2011-01-01")
        #expect(StudentGrading.demographicCandidate(sis, pasi) == nil)
        sis.demographics.legalFirstName = "Élodie"
        #expect(StudentGrading.demographicCandidate(sis, pasi) == .low)
        sis.demographics.legalLastName = "Roy"
        #expect(StudentGrading.demographicCandidate(sis, pasi) == nil)
    }

    @Test("no ASN match, a High candidate: matched, with an Unmatched ASN conflict naming both ASNs")
    func highCandidateMatched() throws {
        let wrong = try ASN.withCheckDigit(prefix: "90000001")
        let sis = MatchingFixture.sis(asn: wrong)
        let result = MatchingFixture.compare(sis, [try MatchingFixture.pasi()], enrolments: try MatchingFixture.pasiEnrolments())
        #expect(result.studentMatches == [Match(studentID: 7, asn: MatchingFixture.asn, quality: .high, basis: .demographics)])
        #expect(result.enrolmentMatches.count == 2)
        let conflict = try #require(result.conflicts.first)
        #expect(result.conflicts.count == 1)
        #expect(conflict.conflictType == .unmatchedASN)
        #expect(conflict.differences == [FieldDifference(field: "ASN", sisValue: wrong.formatted, pasiValue: MatchingFixture.asn.formatted)])
        #expect(conflict.key.recordKey == "SIS.students.7")
        #expect(result.entries(of: .diffStudents).count == 1)
        #expect(result.unmatchedSIS.isEmpty)
    }

    @Test("a SIS student without an ASN is looked up too")
    func noASN() throws {
        let result = MatchingFixture.compare(MatchingFixture.sis(asn: nil), [try MatchingFixture.pasi()])
        #expect(result.studentMatches.map(\.basis) == [.demographics])
        #expect(result.conflicts.flatMap(\.differences) == [FieldDifference(field: "ASN", sisValue: nil, pasiValue: MatchingFixture.asn.formatted)])
    }

    @Test("a Medium candidate is not matched; the conflict names its ASN; the enrolments go to the unmatched file unidentified")
    func mediumCandidateNotMatched() throws {
        var sis = MatchingFixture.sis(asn: nil)
        sis.demographics.legalFirstName = "Emma"
        let result = MatchingFixture.compare(sis, [try MatchingFixture.pasi()], enrolments: try MatchingFixture.pasiEnrolments())
        #expect(result.studentMatches.isEmpty && result.enrolmentMatches.isEmpty)
        #expect(result.unmatchedSIS == [7])
        #expect(result.unmatchedPASI == [MatchingFixture.asn])
        let conflict = try #require(result.conflicts.first)
        #expect(result.conflicts.count == 1)
        #expect(conflict.conflictType == .unmatchedASN)
        #expect(conflict.pasiASN == MatchingFixture.asn)
        #expect(conflict.differences == [FieldDifference(field: "ASN", sisValue: nil, pasiValue: "\(MatchingFixture.asn) (Medium)")])
        #expect(result.entries(of: .unmatchedStudents).map(\.record) == [.sisStudent(sis, identified: false)])
        #expect(result.entries(of: .unmatchedEnrolments).map(\.record) == sis.enrolments.map { .sisEnrolment($0, student: sis, identified: false) })
    }

    @Test("no candidate at all: the conflict says PASI has no such student")
    func noCandidate() throws {
        var sis = MatchingFixture.sis(asn: try ASN.withCheckDigit(prefix: "90000001"))
        sis.demographics.legalLastName = "Roy"
        let result = MatchingFixture.compare(sis, [try MatchingFixture.pasi()])
        #expect(result.unmatchedSIS == [7])
        #expect(result.conflicts.map(\.conflictType) == [.unmatchedASN])
        #expect(result.conflicts[0].differences[0].pasiValue == nil)
        #expect(result.conflicts[0].message.hasPrefix("PASI holds no student"))
    }

    @Test("two SIS students with the same High candidate: neither is matched")
    func ambiguousHigh() throws {
        let a = MatchingFixture.sis(id: 1, asn: nil)
        var b = MatchingFixture.sis(id: 2, asn: nil)
        b.studentNumber = 100_002
        let result = InitialSyncComparison.compare(
            sis: [a, b], pasi: [try MatchingFixture.pasi()], pasiEnrolments: [], authoritySchools: MatchingFixture.schools,
            years: MatchingFixture.years, smartAddressMatch: false)
        #expect(result.studentMatches.isEmpty)
        #expect(result.unmatchedSIS == [1, 2])
        #expect(result.conflicts.map(\.message).allSatisfy { $0.contains("more than one") })
    }

    @Test("a PASI student matched to another SIS student is no candidate")
    func claimedIsNoCandidate() throws {
        let holder = MatchingFixture.sis(id: 1)
        let lookalike = MatchingFixture.sis(id: 2, asn: nil)
        let result = InitialSyncComparison.compare(
            sis: [holder, lookalike], pasi: [try MatchingFixture.pasi()], pasiEnrolments: [], authoritySchools: MatchingFixture.schools,
            years: MatchingFixture.years, smartAddressMatch: false)
        #expect(result.studentMatches.map(\.studentID) == [1])
        #expect(result.unmatchedSIS == [2])
        // Matched earlier to a student outside the batch: the same.
        let alone = MatchingFixture.compare(lookalike, [try MatchingFixture.pasi()], existing: [99: MatchingFixture.asn])
        #expect(alone.studentMatches.isEmpty)
        #expect(alone.unmatchedPASI.isEmpty)
    }

    @Test("a student matched once stays matched, even when the SIS now holds another student's ASN")
    func existingMatchKept() throws {
        var sis = MatchingFixture.sis(asn: MatchingFixture.otherASN)
        sis.demographics.legalLastName = "Roy"
        let other = try MatchingFixture.pasi(asn: MatchingFixture.otherASN)
        let result = MatchingFixture.compare(
            sis, [try MatchingFixture.pasi(), other], enrolments: try MatchingFixture.pasiEnrolments(), existing: [7: MatchingFixture.asn])
        #expect(result.studentMatches == [Match(studentID: 7, asn: MatchingFixture.asn, quality: .medium, basis: .existing)])
        #expect(result.conflicts.map(\.conflictType) == [.unmatchedASN, .legalNameAndIdentification])
        #expect(result.conflicts[0].message.hasPrefix("Matched earlier"))
        #expect(result.unmatchedPASI == [MatchingFixture.otherASN])
    }

    @Test("an earlier match whose PASI record was not given no longer binds")
    func existingMatchWithoutRecord() throws {
        let result = MatchingFixture.compare(
            MatchingFixture.sis(), [try MatchingFixture.pasi()], existing: [7: MatchingFixture.otherASN])
        #expect(result.studentMatches.map(\.basis) == [.asn])
    }

    @Test("conflict keys are the same on a second run, and differ per type and record")
    func stableKeys() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.legalGender = .male
        sis.demographics.homePhone = "1"
        let first = MatchingFixture.compare(sis, [try MatchingFixture.pasi()])
        sis.demographics.homePhone = "2"
        let second = MatchingFixture.compare(sis, [try MatchingFixture.pasi()])
        #expect(first.conflicts.map(\.key) == second.conflicts.map(\.key))
        #expect(Set(first.conflicts.map(\.key)).count == 2)
        #expect(first.conflicts.map(\.key.alertCode) == ["INIT_GENDER", "INIT_PHONE_NUMBER"])
        #expect(ConflictType.legalNameAndIdentification.initialSyncAlertCode == "INIT_LEGAL_NAME_IDENTIFICATION")
        #expect(ConflictType.section23.initialSyncAlertCode == "INIT_SECTION_23")
    }

    @Test("one log line per difference, naming student, ASN, type, field and both values")
    func logLines() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.mailingStreet = "1\tMain\nStreet"
        sis.demographics.mailingCity = "Calgary"
        let lines = MatchingFixture.compare(sis, [try MatchingFixture.pasi()]).logLines
        #expect(lines == [
            "student 7 (number 100007) ASN \(MatchingFixture.asn) | Mailing Address | Mailing Street | SIS: 1 Main Street | PASI: 12 Jasper Avenue NW",
            "student 7 (number 100007) ASN \(MatchingFixture.asn) | Mailing Address | Mailing City | SIS: Calgary | PASI: Edmonton",
        ])
    }
}
