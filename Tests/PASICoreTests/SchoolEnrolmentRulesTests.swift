import PASIContract
import PASIModel
import PASISimulator
import Testing

/// The simulator judges a Student School Enrolment by PASI's documented rules: a Rejection is not
/// saved and comes back with the rule's number and message; a Warning or an Advice is saved and
/// becomes a core alert on the enrolment's status, its code the rule's number.
@Suite("PASI's Student School Enrolment rules, as the simulator enforces them")
struct SchoolEnrolmentRulesTests {
    static let today = try! PASIDate("2026-01-15")
    static let year = try! SchoolYear(endYear: 2026)
    static let asn = try! ASN.withCheckDigit(prefix: "22345678")
    static let caller = CallerInfoElement(
        try! CallerInfo(user: .init(ipAddress: "127.0.0.1", localID: "l", name: "n", organizationCode: OrganizationCode("A.1234"))),
        messageID: "0f8fad5b-d9cb-469f-a165-70867728950e", sentUtcTime: "2026-01-15T12:00:00Z")

    static func date(_ text: String) -> PASIDate { try! PASIDate(text) }

    /// A province of authority 1234 with its schools 1001 and 1002, school 2001 of authority 5678,
    /// and the student (born `born`, deceased when asked).
    static func province(born: String = "2014-05-01", deceased: Bool = false) async throws -> Province {
        let province = Province(organization: try OrganizationCode("A.1234"), today: today)
        let mine = try OrganizationNumber("1234"), theirs = try OrganizationNumber("5678")
        let student = try Student(
            asn: asn, names: [StudentName(type: .legal, lastName: "Rule", firstName: "Tess", isPreferred: true)], gender: .female,
            birthDate: date(born), isDeceased: deceased, deceasedDate: deceased ? date("2025-12-01") : nil)
        await province.load([
            try School(code: OrganizationNumber("1001"), name: "One", authorityCode: mine),
            try School(code: OrganizationNumber("1002"), name: "Two", authorityCode: mine),
            try School(code: OrganizationNumber("2001"), name: "Elsewhere", authorityCode: theirs),
            student,
        ])
        return province
    }

    static func enrolment(_ refId: String = "1d2b6a3c-0000-4000-8000-000000000001", school: String = "1001", entry: String = "2025-09-02",
                          exit: String? = nil, deleted: Bool = false, info: SchoolEnrolment.ExtendedInfo? = nil) throws -> SchoolEnrolment {
        try SchoolEnrolment(
            refId: RefId(refId), asn: asn, schoolCode: OrganizationNumber(school), schoolYear: year, grade: GradeCode("05"),
            entryDate: date(entry), exitDate: exit.map(date), registrationType: "Primary", isDeleted: deleted, extendedInfo: info)
    }

    static func save(_ province: Province, _ e: SchoolEnrolment, version: Int64 = 0) async throws -> SubmitResponse {
        try await province.submit(SubmitRequest(callerInfo: caller, action: .save, id: e.recordID, pasiCoreVersion: version, record: e))
    }

    static func alerts(_ province: Province, _ e: SchoolEnrolment) async -> [StatusAlert] {
        await province.statuses(SchoolEnrolment.self, [.init(e.recordID)]).first?.status.alert ?? []
    }

    /// A save refused with exactly these rules' messages, nothing stored.
    static func refused(_ answer: SubmitResponse, _ expected: [(Int, String)], _ province: Province, _ e: SchoolEnrolment,
                        held: SchoolEnrolment? = nil) async {
        #expect(answer.rejection.map(\.code) == expected.map(\.0))
        #expect(answer.rejection.map(\.message) == expected.map(\.1))
        #expect(await province.record(SchoolEnrolment.self, id: e.recordID) == held, "nothing saved")
    }

    @Test("an enrolment that breaks no rule is saved with no core alert")
    func clean() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment(exit: "2026-06-26")
        let answer = try await Self.save(province, e)
        #expect(answer.rejection.isEmpty && answer.pasiCoreVersion > 0)
        #expect(await Self.alerts(province, e).isEmpty)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10016.html
    @Test("rule 10016 Invalid Enrolment Period: an exit date on or before the start date is refused")
    func rule10016() async throws {
        let province = try await Self.province()
        for exit in ["2025-09-02", "2025-09-01"] {
            let e = try Self.enrolment(exit: exit)
            await Self.refused(try await Self.save(province, e), [(10016, "Invalid Enrolment Period. The exit date provided (\(exit)), must be after the start date (2025-09-02).")], province, e)
        }
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10087.html
    @Test("rule 10087 Invalid Start Date for School Year: a start date outside January 1 of the year before to December 31 of the school year is refused")
    func rule10087() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment(entry: "2024-12-31")
        await Self.refused(try await Self.save(province, e), [(10087, "Invalid Registration Start Date. The Registration Start Date must be between 2025-01-01 and 2026-12-31 for School Year 2026.")], province, e)
        #expect(try await Self.save(province, Self.enrolment(entry: "2025-01-01")).rejection.isEmpty, "the window's first day is inside")
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10088.html
    @Test("rule 10088 Invalid Exit Date for School Year: an exit date after December 31 of the school year is refused")
    func rule10088() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment(exit: "2027-01-01")
        await Self.refused(try await Self.save(province, e), [(10088, "Invalid Registration Exit Date. The Registration Exit Date must be between 2025-01-01 and 2026-12-31 for School Year 2026.")], province, e)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10080.html
    @Test("rule 10080: a deceased student cannot be enrolled")
    func rule10080() async throws {
        let province = try await Self.province(deceased: true)
        let e = try Self.enrolment()
        await Self.refused(try await Self.save(province, e), [(10080, "Invalid Enrolment. A student cannot be enrolled if they are deceased.")], province, e)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10103.html
    @Test("rule 10103 Cannot Change School Code: an existing enrolment keeps its school")
    func rule10103() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment()
        let first = try await Self.save(province, e)
        let held = await province.record(SchoolEnrolment.self, id: e.recordID)
        let moved = try Self.enrolment(school: "1002")
        await Self.refused(try await Self.save(province, moved, version: first.pasiCoreVersion), [(10103, "Cannot change School Code. You cannot change the School Code associated to an existing Student School Enrolment. Delete the Student School Enrolment and submit a new Student School Enrolment.")], province, moved, held: held)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3004.html: the version is checked first.
    @Test("a save on a stale version is answered 3004, not with the rules it would break")
    func versionBeforeRules() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment()
        let first = try await Self.save(province, e)
        let stale = try await Self.save(province, Self.enrolment(school: "1002", exit: "2025-09-01"), version: first.pasiCoreVersion - 1)
        #expect(stale.rejection.map(\.code) == [3004])
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10117.html
    @Test("rule 10117 Cannot Delete School Enrolment: not while course enrolments at its school and year remain; once they are gone it is deleted")
    func rule10117() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment()
        let first = try await Self.save(province, e)
        let held = await province.record(SchoolEnrolment.self, id: e.recordID)
        let course = try CourseEnrolment(
            refId: RefId("1d2b6a3c-0000-4000-8000-0000000000c1"), asn: Self.asn, sectionRefId: RefId("1d2b6a3c-0000-4000-8000-0000000000d1"),
            schoolCode: OrganizationNumber("1001"), schoolYear: Self.year, courseCode: "ELA1105", entryDate: Self.date("2025-09-02"), status: "Active")
        await province.load([course])
        let deleting = try Self.enrolment(deleted: true)
        await Self.refused(try await Self.save(province, deleting, version: first.pasiCoreVersion), [(10117, "Cannot Delete School Enrolment. The linked Course Enrolments must be deleted before the school enrolment can be deleted.")], province, deleting, held: held)

        let other = try Self.enrolment("1d2b6a3c-0000-4000-8000-000000000002", school: "1002")
        let second = try await Self.save(province, other)
        #expect(try await Self.save(province, Self.enrolment("1d2b6a3c-0000-4000-8000-000000000002", school: "1002", deleted: true),
                                    version: second.pasiCoreVersion).rejection.isEmpty, "no course enrolment at school 1002")
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10058.html
    @Test("rule 10058 Unauthorized School Code: an enrolment at another authority's school is refused")
    func rule10058() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment(school: "2001")
        await Self.refused(try await Self.save(province, e), [(10058, "Access Denied. You are not authorized to submit the enrolment (Reference #\(e.refId.value)) for the School 2001.")], province, e)
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10039.html
    @Test("rule 10039 Invalid Age for GPC 121: Enrolment Type Code 121 for a student under 16 on the start date is saved with the Warning; at 16 it is not raised")
    func rule10039() async throws {
        let info = try SchoolEnrolment.ExtendedInfo(enrolmentTypeCodes: ["121"])
        let young = try await Self.province(born: "2009-09-03")
        let e = try Self.enrolment(info: info)
        #expect(try await Self.save(young, e).rejection.isEmpty)
        let alerts = await Self.alerts(young, e)
        #expect(alerts.map(\.alertCode) == ["10039"])
        #expect(alerts.first?.message == "Invalid Enrolment Type Code (121). The student is currently 15 year old and the Enrolment Type Code of 121 can only be used for student's 16 years of age or older as of the registration start date.")
        let sixteen = try await Self.province(born: "2009-09-02")
        #expect(try await Self.save(sixteen, e).rejection.isEmpty)
        #expect(await Self.alerts(sixteen, e).isEmpty, "16 on the start date")
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10150.html
    @Test("rule 10150: a new enrolment cannot be created as Deleted")
    func rule10150() async throws {
        let province = try await Self.province()
        let e = try Self.enrolment(deleted: true)
        await Self.refused(try await Self.save(province, e), [(10150, "Invalid School Enrolment. You cannot create a new Student School Enrolment as “Deleted”.")], province, e)
    }

    @Test("every rejection broken comes back, in rule order")
    func severalRejections() async throws {
        let province = try await Self.province(deceased: true)
        let e = try Self.enrolment(entry: "2024-12-01", exit: "2024-11-01")
        let answer = try await Self.save(province, e)
        #expect(answer.rejection.map(\.code) == [10016, 10080, 10087, 10088])
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10063.html
    @Test("rule 10063 Underage Student: saved, with a Warning core alert on the enrolment's status carrying the birth date; saved again, the alert is not doubled")
    func rule10063() async throws {
        // At least 2.5 years old on September 1, 2025: born on or before March 1, 2023.
        let province = try await Self.province(born: "2023-03-02")
        let e = try Self.enrolment(exit: "2026-06-26")
        let answer = try await Self.save(province, e)
        #expect(answer.rejection.isEmpty)
        #expect(await province.record(SchoolEnrolment.self, id: e.recordID) != nil, "a Warning is saved")
        let alerts = await Self.alerts(province, e)
        #expect(alerts.map(\.alertCode) == ["10063"])
        #expect(alerts.first?.severity == .warning)
        #expect(alerts.first?.message == "Invalid Age. To be enrolled, the student (born 2023-03-02) must be at least 2.5 years of age on September 1.")
        #expect(alerts.first?.arguments["BirthDate"] == "2023-03-02")
        var later = e
        later.exitDate = Self.date("2026-06-25")
        #expect(try await Self.save(province, later, version: answer.pasiCoreVersion).rejection.isEmpty)
        #expect(await Self.alerts(province, e).map(\.alertCode) == ["10063"])

        let onTime = try await Self.province(born: "2023-03-01")
        #expect(try await Self.save(onTime, e).rejection.isEmpty)
        #expect(await Self.alerts(onTime, e).isEmpty, "born on March 1, 2023: old enough")
    }

    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10070.html,
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_10085.html
    @Test("rules 10070 and 10085: an enrolment overlapping others of the year is saved with an Advice naming the other schools, in this authority and in others; once it no longer overlaps the advice goes")
    func rules10070and10085() async throws {
        let province = try await Self.province()
        _ = try await Self.save(province, Self.enrolment("1d2b6a3c-0000-4000-8000-000000000011", school: "1002", entry: "2025-09-02", exit: "2025-12-19"))
        // Another authority's enrolment of the student, as PASI holds it (this caller could not submit it: 10058).
        await province.load([try Self.enrolment("1d2b6a3c-0000-4000-8000-000000000012", school: "2001", entry: "2025-11-01")])
        let e = try Self.enrolment(entry: "2025-10-01")
        let answer = try await Self.save(province, e)
        #expect(answer.rejection.isEmpty)
        let alerts = await Self.alerts(province, e)
        #expect(alerts.map(\.alertCode) == ["10070", "10085"])
        #expect(alerts.map(\.severity) == [.advice, .advice])
        #expect(alerts.first?.message == "Overlapping Enrolment. Student \(Self.asn.digits) is enrolled at other schools within the authority (1234). School(s): 1002.")
        #expect(alerts.last?.message == "Overlapping Enrolment. Student \(Self.asn.digits) is enrolled at schools in other school authorities. School(s): 2001.")

        // Ending before the other schools' enrolments began: no overlap, the advice is gone.
        var early = e
        (early.entryDate, early.exitDate) = (Self.date("2025-08-25"), Self.date("2025-08-29"))
        #expect(try await Self.save(province, early, version: answer.pasiCoreVersion).rejection.isEmpty)
        #expect(await Self.alerts(province, e).isEmpty)
    }

    /// A rule of the enrolment's codes, extended information that breaks it, and the message.
    struct CodeCase: Sendable, CustomTestStringConvertible {
        let rule: Int
        let gpc: [String], etc: [String], exceptions: [String], residentBoard: String?, francophoneBoard: String?
        let message: String
        /// Other rules the same codes break.
        let also: [Int]
        var testDescription: String { "rule \(rule)" }

        init(_ rule: Int, gpc: [String] = [], etc: [String] = [], exceptions: [String] = [], residentBoard: String? = nil,
             francophoneBoard: String? = nil, also: [Int] = [], _ message: String) {
            (self.rule, self.gpc, self.etc, self.exceptions, self.residentBoard, self.francophoneBoard, self.also, self.message) =
                (rule, gpc, etc, exceptions, residentBoard, francophoneBoard, also, message)
        }

        func info() throws -> SchoolEnrolment.ExtendedInfo {
            try SchoolEnrolment.ExtendedInfo(
                residentBoard: residentBoard.map { try OrganizationNumber($0) }, francophoneBoard: francophoneBoard.map { try OrganizationNumber($0) },
                enrolmentTypeCodes: etc, exceptionCodes: exceptions, grantsProgramCodes: gpc)
        }
    }

    static let student = asn.digits
    // Each rule's page: https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_<number>.html
    static let codeCases: [CodeCase] = [
        CodeCase(10002, gpc: ["211", "211"], "Invalid Grants Program Codes. Student \(student) cannot be enrolled with duplicate grants program codes (211, 211)."),
        CodeCase(10004, etc: ["121", "130"], also: [10039], "Invalid Enrolment Type Codes. Student \(student) cannot be enrolled using Enrolment Type Codes 121 and 130 at the same time."),
        CodeCase(10013, gpc: ["500", "550"], exceptions: ["1"], "Invalid Grants Program Codes. Student \(student) cannot be enrolled using Grants Program Code 550 when enrolled using Grants Program Code 500."),
        CodeCase(10014, gpc: ["140", "610"], residentBoard: "0042", "Invalid Grants Program Codes. Student \(student) cannot be enrolled using Grants Program Codes 600, 610, 611, or 612 when enrolled using Grants Program Code 140."),
        CodeCase(10030, gpc: ["640", "630"], "Invalid Grants Program Code (640). An enrolment with a Grants Program Code of 640, cannot also contain Grants Program Codes 600, 610, 611, 612, 620, 621, 622, 623 or 630."),
        CodeCase(10033, gpc: ["620", "621"], residentBoard: "0042", also: [10051], "Invalid Grants Program Code combination. An enrolment can only contain one of the following Grants Program Codes: 620, 621, 622, or 623."),
        CodeCase(10040, gpc: ["110"], "Missing Resident Board. The enrolment record must contain a Resident Board when using Grants Program Code 110, 140, or 150."),
        CodeCase(10051, gpc: ["600", "630"], "Invalid Grants Program Code combination. An enrolment can only contain one of the following Grants Program Codes: 600, 610, 611, 612, 620, 621, 622, 623, or 630."),
        CodeCase(10054, gpc: ["500"], "Missing Exception Code. The enrolment record contains a Grants Program Code of 500, but does not contain any Exception Codes. At least 1 Exception Code should be provided."),
        CodeCase(10071, gpc: ["145"], "Missing Francophone Board. The enrolment record must contain a Francophone Board when using Grants Program Code 145."),
        CodeCase(10093, exceptions: ["1", "2"], "Invalid Exception Codes. Multiple Exception Codes cannot be submitted."),
        CodeCase(10110, etc: ["121", "418"], also: [10039], "Invalid Student School Enrolment Type Codes. An Independent Student (121) cannot also be designated as a Step-child of a Temporary Foreign Worker (418)."),
        CodeCase(10136, gpc: ["622"], "Missing Resident Board. The enrolment record must contain a Resident Board value when using Grants Program Code 620, 621, 622 or 623."),
    ]

    @Test("rules 10002, 10004, 10013, 10014, 10030, 10033, 10040, 10051, 10054, 10071, 10093, 10110, 10136 (the enrolment's codes and boards): saved, with that Warning on its status", arguments: codeCases)
    func codeRule(_ rule: CodeCase) async throws {
        let province = try await Self.province()
        let e = try Self.enrolment(exit: "2026-06-26", info: rule.info())
        let answer = try await Self.save(province, e)
        #expect(answer.rejection.isEmpty)
        let alerts = await Self.alerts(province, e)
        #expect(alerts.map(\.alertCode) == ([rule.rule] + rule.also).sorted().map(String.init))
        let alert = alerts.first { $0.alertCode == String(rule.rule) }
        #expect(alert?.severity == .warning)
        #expect(alert?.message == rule.message)
    }
}
