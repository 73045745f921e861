import PASIModel
import Testing

@Suite struct StudentTests {
    @Test func nameLengthLimits() throws {
        let fifty = String(repeating: "a", count: 50)
        _ = try StudentName(type: .legal, lastName: fifty, firstName: fifty, middleName: fifty, suffix: String(repeating: "b", count: 15))
        #expect(expectModelError { _ = try StudentName(type: .legal, lastName: fifty + "a") }?.field == "StudentName.lastName")
        #expect(expectModelError { _ = try StudentName(type: .alias, lastName: "Lee", firstName: fifty + "a") }?.field == "StudentName.firstName")
        let longSuffix = expectModelError { _ = try StudentName(type: .legal, lastName: "Lee", suffix: String(repeating: "b", count: 16)) }
        #expect(longSuffix?.code == .tooLong)
        #expect(longSuffix?.field == "StudentName.suffix")
        #expect(expectModelError { _ = try StudentName(type: .legal, lastName: "") }?.code == .invalidFormat)
        #expect(expectModelError { _ = try StudentName(type: .legal, lastName: "Lee", firstName: " Ann") }?.code == .invalidCharacters)
    }

    @Test func atMostOnePreferredName() throws {
        let legal = try StudentName(type: .legal, lastName: "Smith", firstName: "Robert", isPreferred: false)
        let alias = try StudentName(type: .alias, lastName: "Smith", firstName: "Bob", isPreferred: true)
        let student = try Student(asn: Sample.asn, names: [legal, alias], gender: .male)
        #expect(student.preferredName == alias)
        #expect(student.legalName == legal)
        var both = legal
        both.isPreferred = true
        let error = expectModelError { _ = try Student(asn: Sample.asn, names: [both, alias], gender: .male) }
        #expect(error?.code == .inconsistent)
        #expect(error?.field == "Student.names")
    }

    @Test func deceasedDateNeedsDeceasedFlagAndFollowsBirth() throws {
        let name = try StudentName(type: .legal, lastName: "Smith")
        #expect(expectModelError {
            _ = try Student(asn: Sample.asn, names: [name], gender: .unknown, deceasedDate: Sample.date("2020-01-01"))
        }?.field == "Student.deceasedDate")
        #expect(expectModelError {
            _ = try Student(asn: Sample.asn, names: [name], gender: .unknown, birthDate: Sample.date("2010-05-05"),
                            isDeceased: true, deceasedDate: Sample.date("2009-01-01"))
        }?.code == .inconsistent)
    }

    @Test func effectiveAndExpiryDatesInOrder() throws {
        _ = try Address(type: .mailing, street: "1 Main St", city: "Edmonton", effectiveDate: Sample.date("2020-01-01"), expiryDate: Sample.date("2020-01-01"))
        #expect(expectModelError {
            _ = try Address(type: .physical, street: "1 Main St", city: "Edmonton", effectiveDate: Sample.date("2020-01-02"), expiryDate: Sample.date("2020-01-01"))
        }?.description == "Address.expiryDate must not be before 2020-01-02, got 2020-01-01")
        #expect(expectModelError {
            _ = try Phone(number: "780-555-0100", type: "Home", effectiveDate: Sample.date("2021-01-01"), expiryDate: Sample.date("2020-01-01"))
        }?.field == "Phone.expiryDate")
        #expect(expectModelError {
            _ = try DisclosureRestriction(code: "PO", effectiveDate: Sample.date("2021-01-01"), expiryDate: Sample.date("2020-01-01"))
        }?.field == "DisclosureRestriction.expiryDate")
    }

    @Test func identificationDocumentKeepsFourCharacters() throws {
        #expect(IdentificationDocument.lastCharacters(of: "AB-123456789") == "6789")
        _ = try IdentificationDocument(type: "BC", numberLastCharacters: "6789")
        #expect(expectModelError { _ = try IdentificationDocument(type: "BC", numberLastCharacters: "56789") }?.code == .tooLong)
    }

    @Test func studentRoundTripsThroughJSON() throws {
        let student = try Student(
            asn: Sample.asn, names: [StudentName(type: .legal, lastName: "Smith", firstName: "Ann", effectiveDate: Sample.date("2015-09-01"))],
            gender: .female, birthDate: Sample.date("2010-05-05"),
            addresses: [Address(type: .mailing, street: "1 Main St", city: "Edmonton", province: "AB", country: "CAN", postalCode: "T5J 0N3")],
            phones: [Phone(number: "780-555-0100", type: "Home")], pasiCoreVersion: 7)
        #expect(try JSONRoundTrip.roundTrip(student) == student)
    }

    @Test func decodingRunsTheValidatingInitializer() {
        let json = #"{"type":"Legal","lastName":" Smith","isNameExact":true,"isPreferred":false}"#
        #expect(throws: PASIModelError.self) { try JSONRoundTrip.decode(StudentName.self, from: json) }
    }
}

@Suite struct SchoolEnrolmentTests {
    typealias Extended = SchoolEnrolment.ExtendedInfo

    @Test func boardsMustBe0001To9999() throws {
        _ = try Extended(residentBoard: OrganizationNumber("0001"), francophoneBoard: OrganizationNumber("9999"))
        let error = expectModelError { _ = try Extended(residentBoard: OrganizationNumber("0000")) }
        #expect(error?.code == .outOfRange)
        #expect(error?.description == "ExtendedInfo.residentBoard must be an integer from 1 to 9999, got 0")
        #expect(expectModelError { _ = try Extended(francophoneBoard: OrganizationNumber("0000")) }?.field == "ExtendedInfo.francophoneBoard")
    }

    @Test(arguments: [1, 9999])
    func frenchHoursAccepted(hours: Int) throws {
        #expect(try Extended(frenchHoursOfInstruction: hours).frenchHoursOfInstruction == hours)
    }

    @Test(arguments: [0, 10_000])
    func frenchHoursRefused(hours: Int) {
        let error = expectModelError { _ = try Extended(frenchHoursOfInstruction: hours) }
        #expect(error?.description == "ExtendedInfo.frenchHoursOfInstruction must be an integer from 1 to 9999, got \(hours)")
    }

    @Test func codeListSizes() throws {
        _ = try Extended(enrolmentTypeCodes: ["100", "110", "120"], exceptionCodes: ["41", "42"], grantsProgramCodes: ["A", "B", "C"])
        #expect(expectModelError { _ = try Extended(enrolmentTypeCodes: ["1", "2", "3", "4"]) }?.code == .tooMany)
        let exceptions = expectModelError { _ = try Extended(exceptionCodes: ["41", "42", "43"]) }
        #expect(exceptions?.description == "ExtendedInfo.exceptionCodes must hold at most 2 codes, got 41,42,43")
        #expect(expectModelError { _ = try Extended(grantsProgramCodes: ["A", "B", "C", "D"]) }?.field == "ExtendedInfo.grantsProgramCodes")
        #expect(expectModelError { _ = try Extended(exceptionCodes: ["41", "41"]) }?.code == .duplicate)
        // A repeated grants program code is PASI's to warn about (rule 10002,
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10002.html): the record holds it.
        #expect(try Extended(grantsProgramCodes: ["A", "A"]).grantsProgramCodes == ["A", "A"])
        #expect(expectModelError { _ = try Extended(enrolmentTypeCodes: [""]) }?.code == .invalidFormat)
    }

    // An exit before the entry is PASI's to refuse (rule 10016,
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10016.html): the record holds it.
    @Test func exitBeforeEntryIsPASIsToRefuseAndRoundTrip() throws {
        let enrolment = try SchoolEnrolment(
            refId: Sample.refId, asn: Sample.asn, schoolCode: Sample.school, schoolYear: Sample.year, grade: GradeCode("10"),
            entryDate: Sample.date("2018-09-04"), exitDate: Sample.date("2019-06-28"), registrationType: "Primary",
            extendedInfo: Extended(residentBoard: OrganizationNumber("0042"), frenchHoursOfInstruction: 120))
        #expect(try JSONRoundTrip.roundTrip(enrolment) == enrolment)
        let early = try SchoolEnrolment(
            refId: Sample.refId, asn: Sample.asn, schoolCode: Sample.school, schoolYear: Sample.year, grade: GradeCode("10"),
            entryDate: Sample.date("2018-09-04"), exitDate: Sample.date("2018-09-03"), registrationType: "Primary")
        #expect(early.exitDate == Sample.date("2018-09-03"))
        #expect(expectModelError {
            _ = try SchoolEnrolment(
                refId: Sample.refId, asn: Sample.asn, schoolCode: Sample.school, schoolYear: Sample.year, grade: GradeCode("10"),
                entryDate: Sample.date("2018-09-04"), registrationType: "Primary", pasiCoreVersion: -1)
        }?.code == .outOfRange)
    }
}

@Suite struct CourseMarksTests {
    @Test func marksAreZeroToHundred() throws {
        func mark(_ value: Int) throws -> EvaluatedMark {
            try EvaluatedMark(refId: Sample.refId, asn: Sample.asn, schoolCode: Sample.school, schoolYear: Sample.year, courseCode: "MAT1791",
                              markValue: value, evaluationMethod: "Challenge", evaluationDate: Sample.date("2019-01-20"))
        }
        #expect(try mark(0).markValue == 0)
        #expect(try mark(100).markValue == 100)
        #expect(expectModelError { _ = try mark(101) }?.description == "EvaluatedMark.markValue must be an integer from 0 to 100, got 101")
        #expect(expectModelError { _ = try DiplomaExamMark(refId: Sample.refId, asn: Sample.asn, courseCode: "ELA3000", schoolYear: Sample.year, examMark: -1) }?.field == "DiplomaExamMark.examMark")
        #expect(expectModelError { _ = try OfficialMark(asn: Sample.asn, courseCode: "ELA3000", schoolYear: Sample.year, creditsAwarded: -5, status: "Final") }?.field == "OfficialMark.creditsAwarded")
    }

    @Test func courseEnrolmentAndSectionRules() throws {
        let enrolment = try CourseEnrolment(
            refId: Sample.refId, asn: Sample.asn, sectionRefId: Sample.otherRefId, schoolCode: Sample.school, schoolYear: Sample.year,
            courseCode: "ELA1105", creditsAttempted: 5, entryDate: Sample.date("2018-09-04"), status: "Active", markValue: 85)
        #expect(try JSONRoundTrip.roundTrip(enrolment) == enrolment)
        #expect(expectModelError {
            _ = try CourseEnrolment(refId: Sample.refId, asn: Sample.asn, sectionRefId: Sample.otherRefId, schoolCode: Sample.school,
                                    schoolYear: Sample.year, courseCode: "ELA1105", entryDate: Sample.date("2018-09-04"),
                                    exitDate: Sample.date("2018-09-01"), status: "Active")
        }?.field == "CourseEnrolment.exitDate")
        #expect(expectModelError {
            _ = try Section(refId: Sample.refId, schoolCode: Sample.school, schoolYear: Sample.year, courseCode: "ELA1105",
                            termCode: "S1", instructionalMinutesOffered: -1)
        }?.description == "Section.instructionalMinutesOffered must be 0 or more, got -1")
        #expect(expectModelError {
            _ = try Term(name: "Semester 1", abbreviation: "S1", schoolYear: Sample.year, firstDay: Sample.date("2019-01-31"), lastDay: Sample.date("2018-09-01"))
        }?.field == "Term.lastDay")
    }

    @Test func organizationsExposeTheirCodes() throws {
        #expect(try School(code: Sample.school, name: "Sample High").organizationCode.description == "S.0042")
        #expect(try SchoolAuthority(code: Sample.school, name: "Sample Division").organizationCode.description == "A.0042")
    }
}
