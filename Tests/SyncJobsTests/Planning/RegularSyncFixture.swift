import PASIModel

/// A SIS student and the PASI student that agrees with it in every field Regular Sync sends, with
/// one enrolment each; tests change one side. (The values of `PASIModelTests`' matching fixture.)
enum RegularSyncFixture {
    static let asn = try! ASN.withCheckDigit(prefix: "10203040")
    static let school = try! OrganizationNumber("1001")
    static let current = try! SchoolYear(endYear: 2026)
    static let old = try! SchoolYear(endYear: 2020)
    static let enrolmentRef = try! RefId("11111111-1111-4111-8111-111111111111")

    static func date(_ text: String) -> PASIDate { try! PASIDate(text) }

    static func sis(id: Int = 7, asn: ASN? = RegularSyncFixture.asn, enrolmentYear: SchoolYear = current) -> SISStudent {
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
                    id: 71, studentID: id, schoolID: 1001, schoolCode: school, schoolYear: enrolmentYear, grade: try! GradeCode("08"),
                    entryDate: date("2025-09-02"), enrollStatus: 0, isCurrent: true, registrationType: "Primary"),
            ])
    }

    static func pasi(asn: ASN = RegularSyncFixture.asn) throws -> Student {
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

    static func pasiEnrolment(asn: ASN = RegularSyncFixture.asn) throws -> SchoolEnrolment {
        try SchoolEnrolment(
            refId: enrolmentRef, asn: asn, schoolCode: school, schoolYear: current, grade: GradeCode("08"),
            entryDate: date("2025-09-02"), registrationType: "Primary", pasiCoreVersion: 4)
    }
}
