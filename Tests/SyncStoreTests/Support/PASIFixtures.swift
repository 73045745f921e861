import PASIModel

/// Records of every entity the local PASI store holds, with every optional field filled, for
/// round trips.
enum PASIFixtures {
    static func asn(_ n: Int) -> ASN { try! ASN.withCheckDigit(prefix: String(10_000_000 + n)) }
    static func refId(_ n: Int, _ kind: Int = 0) -> RefId {
        let hex = String(n, radix: 16)
        return try! RefId("0000000\(kind)-0000-4000-8000-" + String(repeating: "0", count: 12 - hex.count) + hex)
    }
    static func date(_ text: String) -> PASIDate { try! PASIDate(text) }
    static let school = try! OrganizationNumber("1042")
    static let year = try! SchoolYear(endYear: 2026)

    static func student(_ n: Int, version: Int64 = 1, lastName: String = "Tremblay") throws -> Student {
        try Student(
            asn: asn(n), secondaryASNs: [asn(n + 500_000)], isDeactivated: false,
            names: [
                // RefIds ascending: the store returns names in RefId order.
                StudentName(refId: refId(n, 1), type: .legal, lastName: lastName, firstName: "Émilie", middleName: "Rose",
                            suffix: "Jr.", isNameExact: true, isPreferred: false, effectiveDate: date("2010-05-01")),
                StudentName(refId: refId(n, 2), type: .alias, lastName: "Tremblay-Roy", firstName: "Em", isNameExact: false,
                            isPreferred: true),
            ],
            gender: .female, birthDate: date("2009-04-30"),
            identificationDocument: IdentificationDocument(type: "BirthCertificate", numberLastCharacters: "4321", issueDate: date("2009-06-01")),
            addresses: [
                // PASI's ids and format kept (migration 0050); the physical address holds neither.
                Address(id: Int64(n) * 10 + 1, type: .mailing, format: "Mail-CA", street: "12 Jasper Avenue", city: "Edmonton", province: "AB", country: "CAN",
                        postalCode: "T5J 0N3", isPreferred: true, effectiveDate: date("2020-01-01"), expiryDate: date("2030-12-31")),
                Address(type: .physical, street: "1 Main Street", city: "Banff", province: "AB", country: "CAN"),
            ],
            phones: [Phone(id: Int64(n) * 10 + 2, number: "780-555-0101", extension: "12", type: "Home", isListable: false, isPreferred: true,
                           effectiveDate: date("2020-01-01"))],
            citizenshipStatus: "Canadian", section23Eligibility: "Eligible",
            disclosureRestrictions: [DisclosureRestriction(code: "NoRelease", details: "Court order", effectiveDate: date("2021-01-01"))],
            maturity: "Minor", pasiCoreVersion: version)
    }

    static func schoolEnrolment(_ n: Int, version: Int64 = 1, year: SchoolYear = year) throws -> SchoolEnrolment {
        try SchoolEnrolment(
            refId: refId(n, 3), asn: asn(n), schoolCode: school, schoolYear: year, grade: GradeCode("10"),
            entryDate: date("2025-09-02"), exitDate: date("2026-06-26"), registrationType: "Primary",
            extendedInfo: SchoolEnrolment.ExtendedInfo(
                localStudentID: "S\(n)", residentBoard: OrganizationNumber("0042"), francophoneBoard: nil, fnmiDeclaration: "Metis",
                frenchHoursOfInstruction: 120, enrolmentTypeCodes: ["301"], exceptionCodes: ["54"], grantsProgramCodes: ["ELL", "FNMI"]),
            pasiCoreVersion: version)
    }

    static func schoolRecord(version: Int64 = 1) throws -> School {
        try School(code: school, name: "Jasper Place High School", authorityCode: OrganizationNumber("0042"), pasiCoreVersion: version)
    }

    static func course(version: Int64 = 1) throws -> Course {
        try Course(code: "MAT3791", name: "Mathematics 30-1", credits: 5, isDiplomaCourse: true, pasiCoreVersion: version)
    }

    static func section(_ n: Int, version: Int64 = 1, year: SchoolYear = year) throws -> Section {
        try Section(
            refId: refId(n, 4), schoolCode: school, schoolYear: year, courseCode: "MAT3791", creditsOffered: 5, termCode: "S1",
            primaryDeliveryMethod: "Classroom", languageOfInstruction: "English", deliverySchedule: "Semester",
            instructionalMinutesOffered: 6250, startDate: date("2025-09-02"), pasiCoreVersion: version)
    }

    static func courseEnrolment(_ n: Int, version: Int64 = 1) throws -> CourseEnrolment {
        try CourseEnrolment(
            refId: refId(n, 5), asn: asn(n), sectionRefId: refId(n, 4), schoolCode: school, schoolYear: year,
            courseCode: "MAT3791", creditsAttempted: 5, entryDate: date("2025-09-02"), exitDate: date("2026-01-30"),
            status: "Completed", markValue: 87, isMarkApproved: true, isFundingRequested: true, pasiCoreVersion: version)
    }

    static func evaluatedMark(_ n: Int, version: Int64 = 1) throws -> EvaluatedMark {
        try EvaluatedMark(
            refId: refId(n, 6), asn: asn(n), schoolCode: school, schoolYear: year, courseCode: "MAT3791", credits: 5,
            markValue: 91, isMarkValueApproved: true, evaluationMethod: "Challenge", evaluationDate: date("2026-01-15"),
            isFundingRequested: false, pasiCoreVersion: version)
    }
}
