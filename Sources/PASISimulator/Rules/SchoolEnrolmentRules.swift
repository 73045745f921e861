import PASIContract
import PASIModel

/// What the Student School Enrolment rules read, gathered by the province (``Province/schoolEnrolmentFacts(_:)``):
/// the rules themselves are pure.
struct SchoolEnrolmentFacts: Sendable {
    /// The enrolment submitted.
    var enrolment: SchoolEnrolment
    /// PASI's copy before this submit; `nil` for a new enrolment.
    var held: SchoolEnrolment?
    /// The student PASI holds under the enrolment's ASN.
    var student: Student?
    /// The student's other enrolments PASI holds, deleted ones left out.
    var others: [SchoolEnrolment]
    /// The school authority of each school of ``enrolment`` and ``others`` PASI knows one for.
    var authorities: [String: String]
    /// How many of the student's course enrolments (not deleted) PASI holds at the enrolment's
    /// school in its school year: the course enrolments linked to it.
    var linkedCourseEnrolments: Int
    /// Whether the enrolment's school is the caller's: the school it is, or one of its authority's.
    var isCallersSchool: Bool
}

/// PASI's documented rules of a Student School Enrolment that the simulator holds the data for,
/// each by its number with its type and message as its page gives them. `docs/pasi-rules.md` lists
/// the rules of the object and why the others are not enforced.
enum SchoolEnrolmentRules {
    static let exitNotAfterStart = ValidationRule(
        number: 10016, name: "Invalid Enrolment Period", type: .rejection,
        message: "Invalid Enrolment Period. The exit date provided ({RegistrationExitDate}), must be after the start date ({RegistrationStartDate}).")
    static let independentUnder16 = ValidationRule(
        number: 10039, name: "Invalid Age for GPC 121", type: .warning,
        message: "Invalid Enrolment Type Code (121). The student is currently {Age} year old and the Enrolment Type Code of 121 can only be used for student's 16 years of age or older as of the registration start date.")
    static let unauthorizedSchool = ValidationRule(
        number: 10058, name: "Unauthorized School Code", type: .rejection,
        message: "Access Denied. You are not authorized to submit the enrolment (Reference #{RefId}) for the School {SchoolCode}.")
    static let underage = ValidationRule(
        number: 10063, name: "Underage Student", type: .warning,
        message: "Invalid Age. To be enrolled, the student (born {BirthDate}) must be at least 2.5 years of age on September 1.")
    static let overlappingInAuthority = ValidationRule(
        number: 10070, name: "Overlapping Enrolments within School Authority", type: .advice,
        message: "Overlapping Enrolment. Student {StateProvinceID} is enrolled at other schools within the authority ({AuthorityCode}). School(s): {ListOfSchoolCodes}.")
    static let deceased = ValidationRule(
        number: 10080, name: "Deceased Student", type: .rejection,
        message: "Invalid Enrolment. A student cannot be enrolled if they are deceased.")
    static let overlappingElsewhere = ValidationRule(
        number: 10085, name: "Overlapping Enrolments in Other School Authorities", type: .advice,
        message: "Overlapping Enrolment. Student {StateProvinceID} is enrolled at schools in other school authorities. School(s): {ListOfSchoolCodes}.")
    static let startOutsideYear = ValidationRule(
        number: 10087, name: "Invalid Start Date for School Year", type: .rejection,
        message: "Invalid Registration Start Date. The Registration Start Date must be between {MinDate} and {MaxDate} for School Year {SchoolYear}.")
    static let exitOutsideYear = ValidationRule(
        number: 10088, name: "Invalid Exit Date for School Year", type: .rejection,
        message: "Invalid Registration Exit Date. The Registration Exit Date must be between {MinDate} and {MaxDate} for School Year {SchoolYear}.")
    static let schoolCodeChanged = ValidationRule(
        number: 10103, name: "Cannot Change School Code", type: .rejection,
        message: "Cannot change School Code. You cannot change the School Code associated to an existing Student School Enrolment. Delete the Student School Enrolment and submit a new Student School Enrolment.")
    static let deleteWithCourseEnrolments = ValidationRule(
        number: 10117, name: "Cannot Delete School Enrolment", type: .rejection,
        message: "Cannot Delete School Enrolment. The linked Course Enrolments must be deleted before the school enrolment can be deleted.")
    static let newAsDeleted = ValidationRule(
        number: 10150, name: "Cannot Submit A New Enrolment As Deleted", type: .rejection,
        message: "Invalid School Enrolment. You cannot create a new Student School Enrolment as “Deleted”.")

    /// Every rule enforced here, for the coverage list and the alerts a save replaces.
    static let all = [exitNotAfterStart, independentUnder16, unauthorizedSchool, underage, overlappingInAuthority, deceased, overlappingElsewhere, startOutsideYear,
                      exitOutsideYear, schoolCodeChanged, deleteWithCourseEnrolments, newAsDeleted] + CodeRules.all.map(\.rule)

    /// The rules a save breaks, rejections first in rule order, then warnings and advice.
    static func judge(_ facts: SchoolEnrolmentFacts) -> [BrokenRule] {
        let e = facts.enrolment
        var broken: [BrokenRule] = []
        // rule_10150.html, rule_10103.html, rule_10117.html: what a create, a change and a delete may not do.
        // rule_10058.html: an enrolment at a school that is not the caller's.
        if !facts.isCallersSchool {
            broken.append(unauthorizedSchool.broken(["RefId": e.refId.value, "SchoolCode": e.schoolCode.description]))
        }
        if facts.held == nil, e.isDeleted { broken.append(newAsDeleted.broken()) }
        if let held = facts.held, held.schoolCode != e.schoolCode { broken.append(schoolCodeChanged.broken()) }
        if e.isDeleted {
            // Created in Error: only what a delete may not do is checked.
            if facts.held?.isDeleted == false, facts.linkedCourseEnrolments > 0 { broken.append(deleteWithCourseEnrolments.broken()) }
            return broken
        }
        // rule_10080.html
        if facts.student?.isDeceased == true { broken.append(deceased.broken()) }
        // rule_10016.html: "must be after" the start date, so the same day breaks it too.
        if let exit = e.exitDate, !(e.entryDate < exit) {
            broken.append(exitNotAfterStart.broken(["RegistrationExitDate": exit.description, "RegistrationStartDate": e.entryDate.description]))
        }
        // rule_10087.html, rule_10088.html: "if the School Year is 2011, then the Registration Start
        // Date must be between Jan 1, 2010 and Dec 31, 2011".
        let (first, last) = window(e.schoolYear)
        if !(first...last).contains(e.entryDate) {
            broken.append(startOutsideYear.broken(["MinDate": first.description, "MaxDate": last.description, "SchoolYear": String(e.schoolYear.endYear)]))
        }
        if let exit = e.exitDate, !(first...last).contains(exit) {
            broken.append(exitOutsideYear.broken(["MinDate": first.description, "MaxDate": last.description, "SchoolYear": String(e.schoolYear.endYear)]))
        }
        // rule_10063.html: "at least 2.5 years of age on September 1" of the school year.
        if let birth = facts.student?.birthDate, let latest = latestBirthDate(e.schoolYear), latest < birth {
            broken.append(underage.broken(["BirthDate": birth.description]))
        }
        // rule_10039.html: Enrolment Type Code 121 for a student under 16 on the start date.
        if e.extendedInfo?.enrolmentTypeCodes.contains("121") == true, let birth = facts.student?.birthDate {
            let age = years(from: birth, to: e.entryDate)
            if age < 16 { broken.append(independentUnder16.broken(["Age": String(age)])) }
        }
        broken += overlaps(facts)
        if let info = e.extendedInfo {
            broken += CodeRules.all.compactMap { $0.check(info, e.asn.digits) }
        }
        return broken.sorted { ($0.rule.type != .rejection ? 1 : 0, $0.rule.number) < ($1.rule.type != .rejection ? 1 : 0, $1.rule.number) }
    }

    /// Whole years from `birth` to `day`.
    static func years(from birth: PASIDate, to day: PASIDate) -> Int {
        day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day) ? 1 : 0)
    }

    /// The two-year window of rules 10087 and 10088: January 1 of the year before the school
    /// year's end to December 31 of its end year.
    static func window(_ year: SchoolYear) -> (PASIDate, PASIDate) {
        // Both dates exist for every year a SchoolYear holds (1906–2100).
        (try! PASIDate(year: year.endYear - 1, month: 1, day: 1), try! PASIDate(year: year.endYear, month: 12, day: 31))
    }

    /// The last birth date 2.5 years before September 1 of the school year's first year.
    static func latestBirthDate(_ year: SchoolYear) -> PASIDate? {
        try? PASIDate(year: year.endYear - 3, month: 3, day: 1)
    }

    /// Rules 10070 and 10085 (rule_10070.html, rule_10085.html): the student's enrolments of the
    /// same school year at other schools whose periods overlap this one's, in this authority or
    /// in others.
    static func overlaps(_ facts: SchoolEnrolmentFacts) -> [BrokenRule] {
        let e = facts.enrolment
        let school = e.schoolCode.description
        guard let authority = facts.authorities[school] else { return [] }
        let overlapping = facts.others.filter { other in
            other.refId != e.refId && other.schoolYear == e.schoolYear && other.schoolCode.description != school && overlap(other, e)
        }
        let (same, elsewhere) = (overlapping.filter { facts.authorities[$0.schoolCode.description] == authority },
                                 overlapping.filter { facts.authorities[$0.schoolCode.description].map { $0 != authority } ?? false })
        func codes(_ list: [SchoolEnrolment]) -> String { Set(list.map(\.schoolCode.description)).sorted().joined(separator: ", ") }
        var broken: [BrokenRule] = []
        if !same.isEmpty {
            broken.append(overlappingInAuthority.broken(["StateProvinceID": e.asn.digits, "AuthorityCode": authority, "ListOfSchoolCodes": codes(same)]))
        }
        if !elsewhere.isEmpty {
            broken.append(overlappingElsewhere.broken(["StateProvinceID": e.asn.digits, "ListOfSchoolCodes": codes(elsewhere)]))
        }
        return broken
    }

    /// Whether two enrolments' periods share a day (an enrolment without an exit date runs on).
    static func overlap(_ a: SchoolEnrolment, _ b: SchoolEnrolment) -> Bool {
        let aEndsBeforeB = a.exitDate.map { $0 < b.entryDate } ?? false
        let bEndsBeforeA = b.exitDate.map { $0 < a.entryDate } ?? false
        return !aEndsBeforeB && !bEndsBeforeA
    }
}

/// The Warnings that read only the enrolment's codes (grants program, enrolment type, exception)
/// and boards. Rules whose pages the copies give twice with different words for different years
/// (10041 and 10123 on the Resident Board, 10092 and 10120 on French Hours of Instruction) are
/// left out until their effective periods are known (`docs/pasi-rules.md`).
enum CodeRules {
    struct CodeRule: Sendable {
        let rule: ValidationRule
        /// Whether `info` breaks the rule.
        let breaks: @Sendable (SchoolEnrolment.ExtendedInfo) -> Bool
        /// The placeholders' values; the student's ASN is `asn`.
        let arguments: @Sendable (SchoolEnrolment.ExtendedInfo, String) -> KeyValuePairs<String, String>

        func check(_ info: SchoolEnrolment.ExtendedInfo, _ asn: String) -> BrokenRule? {
            breaks(info) ? rule.broken(arguments(info, asn)) : nil
        }
    }

    static func warning(_ number: Int, _ name: String, _ message: String, breaks: @escaping @Sendable (SchoolEnrolment.ExtendedInfo) -> Bool,
                        arguments: @escaping @Sendable (SchoolEnrolment.ExtendedInfo, String) -> KeyValuePairs<String, String> = { _, _ in [:] }) -> CodeRule {
        CodeRule(rule: ValidationRule(number: number, name: name, type: .warning, message: message), breaks: breaks, arguments: arguments)
    }

    /// How many of `codes` the enrolment's grants program codes hold.
    static func count(_ info: SchoolEnrolment.ExtendedInfo, _ codes: Set<String>) -> Int { info.grantsProgramCodes.filter(codes.contains).count }
    static func has(_ info: SchoolEnrolment.ExtendedInfo, _ code: String) -> Bool { info.grantsProgramCodes.contains(code) }

    static let all: [CodeRule] = [
        warning(10002, "GPC Not Unique", "Invalid Grants Program Codes. Student {StateProvinceId} cannot be enrolled with duplicate grants program codes ({GrantsProgramCodes}).",
                breaks: { Set($0.grantsProgramCodes).count < $0.grantsProgramCodes.count },
                arguments: { info, asn in ["StateProvinceId": asn, "GrantsProgramCodes": info.grantsProgramCodes.joined(separator: ", ")] }),
        warning(10004, "Invalid Enrolment Type Codes (121, 130)", "Invalid Enrolment Type Codes. Student {StateProvinceId} cannot be enrolled using Enrolment Type Codes 121 and 130 at the same time.",
                breaks: { $0.enrolmentTypeCodes.contains("121") && $0.enrolmentTypeCodes.contains("130") }, arguments: { _, asn in ["StateProvinceId": asn] }),
        warning(10013, "Invalid GPC Combination (500, 550)", "Invalid Grants Program Codes. Student {StateProvinceId} cannot be enrolled using Grants Program Code 550 when enrolled using Grants Program Code 500.",
                breaks: { has($0, "500") && has($0, "550") }, arguments: { _, asn in ["StateProvinceId": asn] }),
        warning(10014, "Invalid GPC Combination (140, 600, 610, 611, 612)", "Invalid Grants Program Codes. Student {StateProvinceId} cannot be enrolled using Grants Program Codes 600, 610, 611, or 612 when enrolled using Grants Program Code 140.",
                breaks: { has($0, "140") && count($0, ["600", "610", "611", "612"]) > 0 }, arguments: { _, asn in ["StateProvinceId": asn] }),
        warning(10030, "Invalid GPC Combination (600, 610, 611, 612, 620, 621, 630, 640)", "Invalid Grants Program Code (640). An enrolment with a Grants Program Code of 640, cannot also contain Grants Program Codes 600, 610, 611, 612, 620, 621, 622, 623 or 630.",
                breaks: { has($0, "640") && count($0, ["600", "610", "611", "612", "620", "621", "622", "623", "630"]) > 0 }),
        warning(10033, "Invalid GPC Combination for GPC 620, 621, 622, 623", "Invalid Grants Program Code combination. An enrolment can only contain one of the following Grants Program Codes: 620, 621, 622, or 623.",
                breaks: { count($0, ["620", "621", "622", "623"]) > 1 }),
        warning(10040, "Missing Resident Board", "Missing Resident Board. The enrolment record must contain a Resident Board when using Grants Program Code 110, 140, or 150.",
                breaks: { $0.residentBoard == nil && count($0, ["110", "140", "150"]) > 0 }),
        warning(10051, "Invalid GPC Combination (600, 610, 611, 612, 620, 621, 622, 623, 630)", "Invalid Grants Program Code combination. An enrolment can only contain one of the following Grants Program Codes: 600, 610, 611, 612, 620, 621, 622, 623, or 630.",
                breaks: { count($0, ["600", "610", "611", "612", "620", "621", "622", "623", "630"]) > 1 }),
        warning(10054, "Missing Exception Code", "Missing Exception Code. The enrolment record contains a Grants Program Code of 500, but does not contain any Exception Codes. At least 1 Exception Code should be provided.",
                breaks: { has($0, "500") && $0.exceptionCodes.isEmpty }),
        warning(10071, "Missing Francophone Board", "Missing Francophone Board. The enrolment record must contain a Francophone Board when using Grants Program Code 145.",
                breaks: { has($0, "145") && $0.francophoneBoard == nil }),
        warning(10093, "Too Many Exception Codes", "Invalid Exception Codes. Multiple Exception Codes cannot be submitted.",
                breaks: { $0.exceptionCodes.count > 1 }),
        warning(10110, "Invalid School Enrolment Type Codes", "Invalid Student School Enrolment Type Codes. An Independent Student (121) cannot also be designated as a Step-child of a Temporary Foreign Worker (418).",
                breaks: { $0.enrolmentTypeCodes.contains("121") && $0.enrolmentTypeCodes.contains("418") }),
        warning(10136, "Missing Resident Board (620, 621, 622, 623)", "Missing Resident Board. The enrolment record must contain a Resident Board value when using Grants Program Code 620, 621, 622 or 623.",
                breaks: { $0.residentBoard == nil && count($0, ["620", "621", "622", "623"]) > 0 }),
    ]
}
