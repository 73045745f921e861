import PASIModel

/// A SIS student and the PASI student that agrees with it in every field the initial
/// synchronization compares, with two enrolments each; tests change one side.
enum MatchingFixture {
    static let asn = try! ASN.withCheckDigit(prefix: "10203040")
    static let otherASN = try! ASN.withCheckDigit(prefix: "50607080")
    static let school = try! OrganizationNumber("1001")
    static let otherSchool = try! OrganizationNumber("1002")
    static let foreignSchool = try! OrganizationNumber("7777")
    static let current = try! SchoolYear(endYear: 2026)
    static let past = try! SchoolYear(endYear: 2025)
    static let years: Set<SchoolYear> = [current, past]
    static let schools: Set<OrganizationNumber> = [school, otherSchool]
    static let currentRef = try! RefId("11111111-1111-4111-8111-111111111111")
    static let pastRef = try! RefId("22222222-2222-4222-8222-222222222222")
    static let extraRef = try! RefId("33333333-3333-4333-8333-333333333333")

    static func date(_ text: String) -> PASIDate { try! PASIDate(text) }

    static func sis(id: Int = 7, asn: ASN? = MatchingFixture.asn) -> SISStudent {
        let demographics = SISDemographics(
            legalLastName: "Tremblay", legalFirstName: "Élodie", legalMiddleName: "Marie", gender: .female,
            birthDate: date("2012-03-14"), mailingStreet: "12 Jasper Avenue NW", mailingCity: "Edmonton", mailingProvince: "AB",
            mailingPostalCode: "T5J 0N3", homePhone: "780-555-0199", citizenship: "CAN", section23Eligibility: "No",
            legalSuffix: nil, isLegalNameExact: true, aliasLastName: "Tremblay-Roy", aliasFirstName: "Elle",
            preferredName: .legal, legalGender: .female, documentType: "BIRTHCERT", documentNumber: "4321",
            documentIssueDate: date("2012-04-01"), mailingEffectiveDate: date("2020-01-01"),
            permanentStreet: "12 Jasper Avenue NW", permanentCity: "Edmonton", permanentProvince: "AB",
            permanentPostalCode: "T5J 0N3", permanentCountry: "CAN", phoneType: "Home", isPhoneListable: false,
            phoneEffectiveDate: date("2020-01-01"), protectedStatus: "Y", protectedUnder: "Court order",
            protectionRestrictions: "NODISCLOSE", protectionEffectiveDate: date("2021-09-01"))
        return SISStudent(
            id: id, studentNumber: 100_007, asn: asn, lastName: "Tremblay", firstName: "Élodie", middleName: "Marie",
            demographics: demographics, enrolments: [
                SISEnrolment(
                    id: 70, studentID: id, schoolID: 1001, schoolCode: school, schoolYear: past, grade: try! GradeCode("07"),
                    entryDate: date("2024-09-03"), exitDate: date("2025-06-27"), enrollStatus: 2, registrationType: "Primary"),
                SISEnrolment(
                    id: 71, studentID: id, schoolID: 1001, schoolCode: school, schoolYear: current, grade: try! GradeCode("08"),
                    entryDate: date("2025-09-02"), enrollStatus: 0, isCurrent: true, registrationType: "Primary"),
            ])
    }

    static func pasi(asn: ASN = MatchingFixture.asn) throws -> Student {
        try Student(
            asn: asn,
            names: [
                StudentName(type: .legal, lastName: "Tremblay", firstName: "Élodie", middleName: "Marie", isNameExact: true, isPreferred: true),
                StudentName(type: .alias, lastName: "Tremblay-Roy", firstName: "Elle", isNameExact: false),
            ],
            gender: .female, birthDate: date("2012-03-14"),
            identificationDocument: IdentificationDocument(type: "BIRTHCERT", numberLastCharacters: "4321", issueDate: date("2012-04-01")),
            addresses: [
                Address(type: .mailing, street: "12 Jasper Avenue NW", city: "Edmonton", province: "AB", country: "CAN",
                        postalCode: "T5J 0N3", isPreferred: true, effectiveDate: date("2020-01-01")),
                Address(type: .physical, street: "12 Jasper Avenue NW", city: "Edmonton", province: "AB", country: "CAN",
                        postalCode: "T5J 0N3"),
            ],
            phones: [Phone(number: "780-555-0199", type: "Home", isListable: false, isPreferred: true, effectiveDate: date("2020-01-01"))],
            citizenshipStatus: "CAN", section23Eligibility: "No",
            disclosureRestrictions: [DisclosureRestriction(code: "NODISCLOSE", details: "Court order", effectiveDate: date("2021-09-01"))],
            pasiCoreVersion: 12)
    }

    static func pasiEnrolments(asn: ASN = MatchingFixture.asn) throws -> [SchoolEnrolment] {
        [
            try SchoolEnrolment(
                refId: pastRef, asn: asn, schoolCode: school, schoolYear: past, grade: GradeCode("07"),
                entryDate: date("2024-09-03"), exitDate: date("2025-06-27"), registrationType: "Primary"),
            try SchoolEnrolment(
                refId: currentRef, asn: asn, schoolCode: school, schoolYear: current, grade: GradeCode("08"),
                entryDate: date("2025-09-02"), registrationType: "Primary"),
        ]
    }

    /// Compares one SIS student with PASI students; the PASI enrolments are the fixture's unless given.
    static func compare(
        _ sis: SISStudent, _ pasi: [Student], enrolments: [SchoolEnrolment]? = nil, existing: [Int: ASN] = [:],
        smart: Bool = false, years: Set<SchoolYear> = MatchingFixture.years
    ) -> InitialSyncComparison.Result {
        InitialSyncComparison.compare(
            sis: [sis], pasi: pasi, pasiEnrolments: enrolments ?? (try! pasiEnrolments()), existingMatches: existing,
            authoritySchools: schools,
            years: years, smartAddressMatch: smart)
    }
}
