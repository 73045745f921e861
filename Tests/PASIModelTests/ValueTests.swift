import PASIModel
import Testing

@Suite struct OrganizationCodeTests {
    @Test(arguments: [("S.0042", OrganizationCode.Kind.school), ("A.1234", .authority), ("O.9999", .other)])
    func parsesEveryKind(text: String, kind: OrganizationCode.Kind) throws {
        let code = try OrganizationCode(text)
        #expect(code.kind == kind)
        #expect(code.description == text)
    }

    @Test(arguments: ["X.0042", "s.0042", "S0042", "S.042", "S.00420", "S.00a2", "A.", ".0042", ""])
    func refusesBadForms(text: String) {
        let error = expectModelError { _ = try OrganizationCode(text) }
        #expect(error?.code == .invalidFormat)
    }

    @Test func authorityHelperAcceptsOnlyA() throws {
        #expect(try OrganizationCode.authority("A.0042").number.value == 42)
        let error = expectModelError { _ = try OrganizationCode.authority("S.0042") }
        #expect(error?.description == "OrganizationCode must be an authority code A.NNNN, got S.0042")
    }

    @Test func organizationNumberIsFourDigits() throws {
        #expect(try OrganizationNumber("0007").description == "0007")
        #expect(try OrganizationNumber(7).description == "0007")
        #expect(expectModelError { _ = try OrganizationNumber("7") }?.code == .invalidFormat)
        #expect(expectModelError { _ = try OrganizationNumber(10_000) }?.code == .outOfRange)
    }
}

@Suite struct PASIStringTests {
    @Test(arguments: ["Smith", "Mary Ann", "O'Brien-Lee", "Émilie", ""])
    func acceptsCleanStrings(text: String) throws {
        try PASIString.validate(text, field: "f")
    }

    @Test(arguments: [(" Smith", "no leading white space"), ("Smith ", "no trailing white space"),
                      ("Mary  Ann", "no two spaces in a row"), ("Mary\u{7}Ann", "no control characters"),
                      ("Mary\nAnn", "no control characters"), ("\tSmith", "no leading white space")])
    func refusesBrokenRules(text: String, problem: String) {
        let error = expectModelError { try PASIString.validate(text, field: "lastName") }
        #expect(error?.code == .invalidCharacters)
        #expect(error?.expectation == "must be a PASI string (\(problem))")
        #expect(error?.description.hasPrefix("lastName must be a PASI string") == true)
    }

    @Test func lengthCountsUTF16Units() throws {
        try PASIString.validate(String(repeating: "a", count: 30), field: "f", maxLength: 30)
        let error = expectModelError { try PASIString.validate(String(repeating: "a", count: 31), field: "BuildNumber", maxLength: 30) }
        #expect(error?.code == .tooLong)
        #expect(error?.description == "BuildNumber must be at most 30 characters long, got 31 characters")
        // One emoji is two UTF-16 units, as .NET counts it.
        #expect(expectModelError { try PASIString.validate("😀", field: "f", maxLength: 1) }?.code == .tooLong)
    }

    @Test("ASCII text (read on bytes) gets the same answer as text beyond ASCII (read by Unicode properties)")
    func asciiAgreesWithUnicode() {
        func problem(_ text: String) -> String? {
            do {
                try PASIString.validate(text, field: "f")
                return nil
            } catch {
                return error.expectation
            }
        }
        for byte in UInt8(0)...0x7F {
            let x = String(UnicodeScalar(byte))
            // The same character leading, inside (once and twice) and trailing, with an "é"
            // elsewhere to send the second string down the Unicode path.
            for (ascii, unicode) in [(x + "a", x + "aé"), ("a" + x + "b", "éa" + x + "b"), ("a" + x + x + "b", "éa" + x + x + "b"), ("a" + x, "éa" + x)] {
                #expect(problem(ascii) == problem(unicode), "byte \(byte) in \(ascii.debugDescription)")
            }
        }
    }

    @Test func requiredRefusesEmpty() {
        #expect(expectModelError { try PASIString.validateRequired("", field: "f") }?.code == .invalidFormat)
    }
}

@Suite struct CallerInfoTests {
    static let user = try! CallerInfo.User(ipAddress: "10.0.0.5", localID: "pasisync42", name: "Sample School Division", organizationCode: OrganizationCode("A.0042"))

    @Test func pasisyncSoftwareFitsLimits() throws {
        let software = CallerInfo.Software.pasisync
        #expect(software.product == "pasisync")
        #expect(software.manufacturer == "pasisync project")
        #expect(software.version == PasisyncRelease.version)
    }

    @Test(arguments: [
        ("CallerInfo.Software.BuildNumber", 30), ("CallerInfo.Software.Manufacturer", 100),
        ("CallerInfo.Software.Product", 100), ("CallerInfo.Software.Version", 30),
    ])
    func softwareFieldLimits(field: String, limit: Int) throws {
        func make(_ length: Int) throws -> CallerInfo.Software {
            let text = String(repeating: "x", count: length)
            return try CallerInfo.Software(
                buildNumber: field.hasSuffix("BuildNumber") ? text : "1",
                manufacturer: field.hasSuffix("Manufacturer") ? text : "m",
                product: field.hasSuffix("Product") ? text : "p",
                version: field.hasSuffix("Version") ? text : "v")
        }
        _ = try make(limit)
        let error = expectModelError { _ = try make(limit + 1) }
        #expect(error?.code == .tooLong)
        #expect(error?.field == field)
    }

    @Test func userLimitsAndAuthorityCode() throws {
        let longIP = String(repeating: "1", count: 51)
        #expect(expectModelError {
            _ = try CallerInfo.User(ipAddress: longIP, localID: "l", name: "n", organizationCode: OrganizationCode("A.0001"))
        }?.field == "CallerInfo.User.IPAddress")
        #expect(expectModelError {
            _ = try CallerInfo.User(ipAddress: "1.2.3.4", localID: "l", name: "n", organizationCode: OrganizationCode("S.0001"))
        }?.field == "CallerInfo.User.OrganizationCode")
        #expect(CallerInfo.User.defaultLocalID(districtNumber: 4321) == "pasisync4321")
    }

    @Test func messageIDIsAFreshGUIDAndLimitedTo50() throws {
        let first = try CallerInfo(user: Self.user)
        let second = try CallerInfo(user: Self.user)
        #expect(first.clientMessageID != second.clientMessageID)
        #expect(try RefId(first.clientMessageID).value == first.clientMessageID)
        #expect(expectModelError { _ = try CallerInfo(clientMessageID: String(repeating: "a", count: 51), user: Self.user) }?.code == .tooLong)
        #expect(try JSONRoundTrip.roundTrip(first) == first)
    }
}

@Suite struct SmallValueTests {
    @Test func gradeCodeShapeAndKnownList() throws {
        #expect(try GradeCode("KG").isKnown)
        #expect(try GradeCode("07").isKnown)
        #expect(try !GradeCode("ZZ").isKnown)
        #expect(GradeCode.known.count == 15)
        for bad in ["7", "007", "kg", "K ", "ÉC"] {
            #expect(expectModelError { _ = try GradeCode(bad) }?.code == .invalidFormat)
        }
    }

    @Test func genderUsesPASISpellings() throws {
        #expect(Gender.allCases.map(\.rawValue) == ["Male", "Female", "Unspecified", "Unknown"])
        #expect(try JSONRoundTrip.decode(Gender.self, from: "\"Unspecified\"") == .unspecified)
    }

    @Test func datesAreRealCalendarDates() throws {
        #expect(try PASIDate("2024-02-29").description == "2024-02-29")
        #expect(expectModelError { _ = try PASIDate("2023-02-29") }?.code == .outOfRange)
        #expect(expectModelError { _ = try PASIDate("1900-02-29") }?.code == .outOfRange)
        #expect(expectModelError { _ = try PASIDate("2024-2-29") }?.code == .invalidFormat)
        #expect(Sample.date("2019-06-30") < Sample.date("2019-07-01"))
    }

    @Test func timeOfDayParsesSeedForms() throws {
        #expect(try TimeOfDay("3:00").description == "03:00")
        #expect(try TimeOfDay("20:00") == TimeOfDay(hour: 20, minute: 0))
        #expect(expectModelError { _ = try TimeOfDay("24:00") }?.code == .outOfRange)
        #expect(expectModelError { _ = try TimeOfDay("3pm") }?.code == .invalidFormat)
    }

    @Test func refIdNormalisesAndGeneratesVersion4() throws {
        #expect(try RefId("{0F8FAD5B-D9CB-469F-A165-70867728950E}") == Sample.refId)
        #expect(expectModelError { _ = try RefId("0f8fad5b-d9cb-469f-a165-70867728950") }?.code == .invalidFormat)
        let random = RefId.random()
        let characters = Array(random.value)
        #expect(characters[14] == "4")
        #expect("89ab".contains(characters[19]))
        #expect(RefId.random() != random)
    }
}
