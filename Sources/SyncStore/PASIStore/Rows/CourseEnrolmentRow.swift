internal import PASIModel

/// A row of `pasi.course_enrolments`.
struct CourseEnrolmentRow: PASIRow {
    static let table = PASITable(name: "pasi.course_enrolments", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("asn", "char(9)"), ("section_ref_id", "uuid"),
        ("school_code", "char(4)"), ("school_year", "integer"), ("course_code", "text"), ("credits_attempted", "integer"),
        ("entry_date", "date"), ("exit_date", "date"), ("status", "text"), ("mark_value", "integer"),
        ("is_mark_approved", "boolean"), ("is_funding_requested", "boolean"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var asn: String
    var sectionRefId: String
    var schoolCode: String
    var schoolYear: Int
    var courseCode: String
    var creditsAttempted: Int?
    var entryDate: String
    var exitDate: String?
    var status: String
    var markValue: Int?
    var isMarkApproved: Bool
    var isFundingRequested: Bool

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", asn, sectionRefId = "section_ref_id"
        case schoolCode = "school_code", schoolYear = "school_year", courseCode = "course_code"
        case creditsAttempted = "credits_attempted", entryDate = "entry_date", exitDate = "exit_date", status
        case markValue = "mark_value", isMarkApproved = "is_mark_approved", isFundingRequested = "is_funding_requested"
    }

    init(_ enrolment: CourseEnrolment) {
        refId = enrolment.refId.value
        pasiCoreVersion = enrolment.pasiCoreVersion
        asn = enrolment.asn.digits
        sectionRefId = enrolment.sectionRefId.value
        schoolCode = enrolment.schoolCode.description
        schoolYear = enrolment.schoolYear.endYear
        courseCode = enrolment.courseCode
        creditsAttempted = enrolment.creditsAttempted
        entryDate = enrolment.entryDate.description
        exitDate = enrolment.exitDate?.description
        status = enrolment.status
        markValue = enrolment.markValue
        isMarkApproved = enrolment.isMarkApproved
        isFundingRequested = enrolment.isFundingRequested
    }

    func model() throws -> CourseEnrolment {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try CourseEnrolment(
                refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored), sectionRefId: RefId(sectionRefId),
                schoolCode: OrganizationNumber(schoolCode, field: "CourseEnrolment.schoolCode"),
                schoolYear: SchoolYear(endYear: schoolYear), courseCode: courseCode, creditsAttempted: creditsAttempted,
                entryDate: PASIDate(entryDate), exitDate: exitDate.map { text throws(PASIModelError) in try PASIDate(text) },
                status: status, markValue: markValue, isMarkApproved: isMarkApproved,
                isFundingRequested: isFundingRequested, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
