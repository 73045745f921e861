import PASIModel
import Testing

/// One field changed on the SIS side, and the conflict it must raise.
struct ConflictCase: Sendable, CustomTestStringConvertible {
    let type: ConflictType
    let field: String
    let change: @Sendable (inout SISStudent) -> Void

    var testDescription: String { "\(type.rawValue): \(field)" }

    static let all: [ConflictCase] = [
        ConflictCase(type: .legalNameAndIdentification, field: "Legal Last Name") { $0.demographics.legalLastName = "Tremblé" },
        ConflictCase(type: .legalNameAndIdentification, field: "Legal First Name") { $0.demographics.legalFirstName = "ÉLODIE" },
        ConflictCase(type: .legalNameAndIdentification, field: "Legal Middle Name") { $0.demographics.legalMiddleName = nil },
        ConflictCase(type: .legalNameAndIdentification, field: "Legal Suffix") { $0.demographics.legalSuffix = "Jr." },
        ConflictCase(type: .legalNameAndIdentification, field: "Legal Name Is Exact") { $0.demographics.isLegalNameExact = false },
        ConflictCase(type: .legalNameAndIdentification, field: "Document Number") { $0.demographics.documentNumber = "9999" },
        ConflictCase(type: .legalNameAndIdentification, field: "Document Type") { $0.demographics.documentType = nil },
        ConflictCase(type: .legalNameAndIdentification, field: "Document Issue Date") {
            $0.demographics.documentIssueDate = MatchingFixture.date("2012-04-02")
        },
        ConflictCase(type: .gender, field: "Gender") { $0.demographics.legalGender = .male },
        ConflictCase(type: .preferredName, field: "Preferred Name") { $0.demographics.preferredName = .alias },
        ConflictCase(type: .otherName, field: "Alias First Name") { $0.demographics.aliasFirstName = "Ellie" },
        ConflictCase(type: .mailingAddress, field: "Mailing Street") { $0.demographics.mailingStreet = "14 Jasper Avenue NW" },
        ConflictCase(type: .mailingAddress, field: "Mailing City") { $0.demographics.mailingCity = "Calgary" },
        ConflictCase(type: .mailingAddress, field: "Mailing Postal Code") { $0.demographics.mailingPostalCode = "T5J 0N4" },
        ConflictCase(type: .mailingAddress, field: "Mailing Effective Date") { $0.demographics.mailingEffectiveDate = nil },
        ConflictCase(type: .mailingAddress, field: "Mailing Expiry Date") {
            $0.demographics.mailingExpiryDate = MatchingFixture.date("2030-01-01")
        },
        ConflictCase(type: .permanentAddress, field: "Permanent Street") { $0.demographics.permanentStreet = nil },
        ConflictCase(type: .permanentAddress, field: "Permanent Country") { $0.demographics.permanentCountry = "USA" },
        ConflictCase(type: .phoneNumber, field: "Home Phone") { $0.demographics.homePhone = "780-555-0198" },
        ConflictCase(type: .phoneNumber, field: "Phone Extension") { $0.demographics.phoneExtension = "12" },
        ConflictCase(type: .phoneNumber, field: "Phone Type") { $0.demographics.phoneType = "Cell" },
        ConflictCase(type: .phoneNumber, field: "Phone Is Listable") { $0.demographics.isPhoneListable = true },
        ConflictCase(type: .phoneNumber, field: "Phone Effective Date") {
            $0.demographics.phoneEffectiveDate = MatchingFixture.date("2019-01-01")
        },
        ConflictCase(type: .citizenshipStatus, field: "Citizenship") { $0.demographics.citizenship = "USA" },
        ConflictCase(type: .section23, field: "Section 23 Eligibility") { $0.demographics.section23Eligibility = "Yes" },
        ConflictCase(type: .disclosureRestriction, field: "Disclosure Restriction") { $0.demographics.protectionRestrictions = nil },
        ConflictCase(type: .disclosureRestriction, field: "Protected Under") { $0.demographics.protectedUnder = "Custody order" },
        ConflictCase(type: .disclosureRestriction, field: "Protection Expiry Date") {
            $0.demographics.protectionExpiryDate = MatchingFixture.date("2027-06-30")
        },
        ConflictCase(type: .birthDate, field: "Birth Date") { $0.demographics.birthDate = MatchingFixture.date("2012-03-15") },
    ]
}

@Suite("Initial synchronization: student conflicts")
struct StudentConflictTests {
    @Test("an identical pair is matched High by ASN, with its enrolments, and raises nothing")
    func identicalPair() throws {
        let result = MatchingFixture.compare(MatchingFixture.sis(), [try MatchingFixture.pasi()], enrolments: try MatchingFixture.pasiEnrolments())
        #expect(result.conflicts == [])
        #expect(result.studentMatches == [.init(studentID: 7, asn: MatchingFixture.asn, quality: .high, basis: .asn)])
        #expect(result.enrolmentMatches == [
            .init(enrolmentID: 70, refId: MatchingFixture.pastRef, quality: .high),
            .init(enrolmentID: 71, refId: MatchingFixture.currentRef, quality: .high),
        ])
        #expect(result.unmatchedSIS.isEmpty && result.unmatchedPASI.isEmpty)
        #expect(result.extract.isEmpty)
        #expect(result.logLines.isEmpty)
    }

    @Test("one changed field raises one conflict of its type naming that field", arguments: ConflictCase.all)
    func changedField(_ conflict: ConflictCase) throws {
        var sis = MatchingFixture.sis()
        conflict.change(&sis)
        let result = MatchingFixture.compare(sis, [try MatchingFixture.pasi()], enrolments: try MatchingFixture.pasiEnrolments())
        let found = try #require(result.conflicts.count == 1 ? result.conflicts.first : nil, "\(result.conflicts)")
        #expect(found.conflictType == conflict.type)
        #expect(found.statusType == .student)
        #expect(found.differences.map(\.field) == [conflict.field])
        #expect(found.studentID == 7 && found.pasiASN == MatchingFixture.asn && found.sisASN == MatchingFixture.asn)
        #expect(found.key.recordKey == MatchingFixture.asn.digits)
        #expect(found.key.alertCode == conflict.type.initialSyncAlertCode)
        #expect(found.key.arguments == AlertArguments(["StudentID": "7"]))
        #expect(result.entries(of: .diffStudents).map(\.record) == [.sisStudent(sis, identified: true)])
        #expect(result.logLines.count == 1)
    }

    @Test("a difference names both values; an empty side is nil")
    func differenceValues() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.legalGender = .male
        sis.demographics.documentType = nil
        let result = MatchingFixture.compare(sis, [try MatchingFixture.pasi()], enrolments: try MatchingFixture.pasiEnrolments())
        #expect(result.conflicts.map(\.conflictType) == [.legalNameAndIdentification, .gender])
        #expect(result.conflicts[0].differences == [FieldDifference(field: "Document Type", sisValue: nil, pasiValue: "BIRTHCERT")])
        #expect(result.conflicts[1].differences == [FieldDifference(field: "Gender", sisValue: "Male", pasiValue: "Female")])
    }

    @Test("a SIS without legal name fields is compared on the school's name; legal gender falls back to gender")
    func legalNameFallsBack() throws {
        var sis = MatchingFixture.sis()
        (sis.demographics.legalLastName, sis.demographics.legalFirstName, sis.demographics.legalMiddleName) = (nil, nil, nil)
        sis.demographics.legalGender = nil
        let pasi = [try MatchingFixture.pasi()]
        #expect(MatchingFixture.compare(sis, pasi).conflicts == [])
        sis.middleName = "Maria"
        #expect(MatchingFixture.compare(sis, pasi).conflicts.flatMap(\.differences)
            == [FieldDifference(field: "Legal Middle Name", sisValue: "Maria", pasiValue: "Marie")])
        sis.demographics.gender = nil
        var unknown = try MatchingFixture.pasi()
        unknown.gender = .unknown
        #expect(MatchingFixture.compare(sis, [unknown]).conflicts.map(\.conflictType) == [.legalNameAndIdentification])
    }

    @Test("values empty on both sides are equal; flags the SIS did not collect are not compared")
    func emptyOnBothSides() throws {
        var sis = MatchingFixture.sis()
        var pasi = try MatchingFixture.pasi()
        sis.demographics.citizenship = "  "
        pasi.citizenshipStatus = nil
        sis.demographics.isLegalNameExact = nil
        sis.demographics.isPhoneListable = nil
        sis.demographics.phoneType = nil
        sis.demographics.preferredName = nil
        pasi.names[0].isNameExact = false
        pasi.phones[0].isListable = true
        pasi.phones[0].type = "Cell"
        pasi.names[0].isPreferred = false
        #expect(MatchingFixture.compare(sis, [pasi]).conflicts == [])
    }

    @Test("white space around and inside a value is no difference; case is")
    func whiteSpace() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.legalFirstName = "  Élodie "
        sis.demographics.section23Eligibility = "No "
        #expect(MatchingFixture.compare(sis, [try MatchingFixture.pasi()]).conflicts == [])
        sis.demographics.legalFirstName = "élodie"
        #expect(MatchingFixture.compare(sis, [try MatchingFixture.pasi()]).conflicts.map(\.conflictType) == [.legalNameAndIdentification])
    }

    @Test("phone numbers are compared on their digits")
    func phoneDigits() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.homePhone = "(780) 555.0199"
        #expect(MatchingFixture.compare(sis, [try MatchingFixture.pasi()]).conflicts == [])
    }

    @Test("a PASI student with a primary ASN raises Primary ASN")
    func primaryASN() throws {
        var pasi = try MatchingFixture.pasi()
        pasi.primaryASN = MatchingFixture.otherASN
        let result = MatchingFixture.compare(MatchingFixture.sis(), [pasi], enrolments: try MatchingFixture.pasiEnrolments())
        #expect(result.conflicts.map(\.conflictType) == [.primaryASN])
        #expect(result.conflicts[0].differences == [FieldDifference(field: "ASN", sisValue: MatchingFixture.asn.formatted, pasiValue: MatchingFixture.otherASN.formatted)])
    }

    @Test("the disclosure restriction compared is the one in force")
    func restrictionInForce() throws {
        var pasi = try MatchingFixture.pasi()
        pasi.disclosureRestrictions.insert(
            try DisclosureRestriction(code: "OLD", effectiveDate: MatchingFixture.date("2015-01-01"), expiryDate: MatchingFixture.date("2016-01-01")),
            at: 0)
        #expect(MatchingFixture.compare(MatchingFixture.sis(), [pasi]).conflicts == [])
    }
}

@Suite("Initial synchronization: Smart Address Match")
struct SmartAddressMatchTests {
    @Test("with Smart Address Match on, case, spacing, punctuation and abbreviations are no difference; off, they are")
    func smartAddressMatch() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.mailingStreet = "12  jasper ave. N.W."
        sis.demographics.mailingCity = "EDMONTON"
        sis.demographics.mailingPostalCode = "t5j0n3"
        sis.demographics.permanentStreet = "12 Jasper Av Northwest"
        let pasi = [try MatchingFixture.pasi()]
        #expect(MatchingFixture.compare(sis, pasi, smart: true).conflicts == [])
        let off = MatchingFixture.compare(sis, pasi, smart: false).conflicts
        #expect(off.map(\.conflictType) == [.mailingAddress, .permanentAddress])
        #expect(off[0].differences.map(\.field) == ["Mailing Street", "Mailing City", "Mailing Postal Code"])
    }

    @Test("Smart Address Match still tells different addresses apart")
    func differentStillDiffer() throws {
        var sis = MatchingFixture.sis()
        sis.demographics.mailingStreet = "12 Jasper Avenue SW"
        sis.demographics.permanentStreet = "21 Jasper Avenue NW"
        let conflicts = MatchingFixture.compare(sis, [try MatchingFixture.pasi()], smart: true).conflicts
        #expect(conflicts.map(\.conflictType) == [.mailingAddress, .permanentAddress])
    }

    @Test("the usual abbreviations", arguments: [
        ("100 Main St.", "100 MAIN STREET"), ("5 Elm Rd", "5 elm road"), ("9 Oak Dr", "9 Oak Drive"),
        ("1 Sun Blvd", "1 Sun Boulevard"), ("Apt 4, 10 King St", "Unit 4 10 King Street"), ("#4 10 King St", "Suite 4 10 King St"),
        ("3 Bow Trail SE", "3 Bow Trail Southeast"), ("7 1st Ave N", "7 1st Avenue North"), ("2 Côte Rd", "2 Cote Road"),
    ])
    func abbreviations(_ pair: (String, String)) {
        #expect(SmartAddressMatch(isOn: true).sameText(pair.0, pair.1))
        #expect(!SmartAddressMatch(isOn: false).sameText(pair.0, pair.1))
    }

    @Test("postal codes without spaces or case")
    func postalCodes() {
        #expect(SmartAddressMatch(isOn: true).samePostalCode("T5J 0N3", "t5j0n3"))
        #expect(!SmartAddressMatch(isOn: false).samePostalCode("T5J 0N3", "t5j0n3"))
        #expect(!SmartAddressMatch(isOn: true).samePostalCode("T5J 0N3", "T5J 0N4"))
        #expect(SmartAddressMatch(isOn: false).samePostalCode(" T5J 0N3", "T5J 0N3"))
    }
}
