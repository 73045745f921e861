import PASIModel
import Testing

@Suite("Regular synchronization: SIS changes as PASI records")
struct OutboundTests {
    @Test("events fold into one change per record, in the order of each record's first event, with every column changed")
    func fold() {
        let changes = RecordChange.fold([
            (1, "sis.students", "7", "U", ["home_phone"]),
            (2, "sis.enrolments", "71", "I", ["entry_date", "grade_level"]),
            (3, "sis.students", "7", "U", ["mailing_city"]),
            (4, "sis.enrolments", "71", "D", []),
        ])
        #expect(changes.map(\.subject) == ["sis.students:7", "sis.enrolments:71"])
        #expect(changes[0].eventIDs == [1, 3] && changes[0].changedColumns == ["home_phone", "mailing_city"])
        #expect(!changes[0].wasInserted && !changes[0].isDeleted)
        #expect(changes[1].eventIDs == [2, 4] && changes[1].wasInserted && changes[1].isDeleted)
    }

    @Test("a changed column picks its group; an insert sends every group; a column PASI does not hold picks none")
    func groups() {
        #expect(StudentSubmission.groups(changed: ["home_phone", "mailing_zip"], inserted: false) == [.phone, .mailingAddress])
        #expect(StudentSubmission.groups(changed: ["student_number"], inserted: false).isEmpty)
        #expect(StudentSubmission.groups(changed: [], inserted: true) == Set(StudentSubmission.FieldGroup.allCases))
    }

    @Test("a new home phone replaces PASI's home phone and nothing else; the rest of the record stays PASI's")
    func phoneOnly() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.homePhone = "780-555-0142"
        sis.demographics.citizenship = "USA"   // changed too, but not in the groups sent
        let pasi = try MatchingFixture.pasi()
        let record = try StudentSubmission.apply(sis, onto: pasi, groups: [.phone])
        #expect(record.phones.map(\.number) == ["780-555-0142"])
        #expect(record.phones[0].isPreferred && !record.phones[0].isListable && record.phones[0].type == "Home")
        #expect(record.citizenshipStatus == "CAN")
        #expect(record.names == pasi.names && record.addresses == pasi.addresses)
        #expect(record.pasiCoreVersion == 12)
        #expect(!StudentSubmission.same(record, pasi))
    }

    @Test("an emptied mailing street removes PASI's mailing address; a new alias name is added; the legal name keeps its RefId")
    func addressAndNames() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.mailingStreet = "  "
        sis.demographics.aliasLastName = "Roy"
        sis.demographics.legalFirstName = "Elodie  Anne"
        var pasi = try MatchingFixture.pasi()
        let ref = try RefId("44444444-4444-4444-8444-444444444444")
        pasi.names[0].refId = ref
        let record = try StudentSubmission.apply(sis, onto: pasi, groups: [.mailingAddress, .aliasName, .legalName])
        #expect(record.addresses.map(\.type) == [.physical])
        #expect(record.names.first { $0.type == .alias }?.lastName == "Roy")
        let legal = try #require(record.legalName)
        #expect(legal.refId == ref && legal.firstName == "Elodie Anne" && legal.isPreferred)
    }

    @Test("a SIS value PASI's rules refuse is an error that names the field, not a submit")
    func refused() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.legalLastName = String(repeating: "x", count: 60)
        #expect(throws: PASIModelError.self) { try StudentSubmission.apply(sis, onto: try MatchingFixture.pasi(), groups: [.legalName]) }
    }

    @Test("the same record in another order, or at another version, is the same to PASI")
    func sameInAnyOrder() throws {
        let pasi = try MatchingFixture.pasi()
        var other = pasi
        other.names.reverse()
        other.addresses.reverse()
        other.pasiCoreVersion = 99
        #expect(StudentSubmission.same(pasi, other))
    }

    @Test("an enrolment keeps what the SIS does not hold from PASI's copy and takes the rest from the SIS")
    func enrolment() throws {
        var sis = MatchingFixture.sis().enrolments[1]
        sis.exitDate = MatchingFixture.date("2026-01-30")
        let base = try MatchingFixture.pasiEnrolments()[1]
        let record = try EnrolmentSubmission.record(sis, asn: MatchingFixture.asn, refId: base.refId, base: base)
        #expect(record.refId == base.refId && !record.isDeleted && record.pasiCoreVersion == base.pasiCoreVersion)
        #expect(record.exitDate == MatchingFixture.date("2026-01-30"))
        #expect(!EnrolmentSubmission.same(record, base))
        sis.exitDate = nil
        #expect(EnrolmentSubmission.same(try EnrolmentSubmission.record(sis, asn: MatchingFixture.asn, refId: base.refId, base: base), base))
    }

    @Test("a new enrolment without a registration type cannot be sent, and says why")
    func enrolmentWithoutType() throws {
        var sis = MatchingFixture.sis().enrolments[1]
        sis.registrationType = nil
        #expect(throws: PASIModelError.self) {
            try EnrolmentSubmission.record(sis, asn: MatchingFixture.asn, refId: MatchingFixture.extraRef, base: nil)
        }
    }
}
