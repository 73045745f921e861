internal import PASIModel

/// A row of `pasi.evaluated_marks`.
struct EvaluatedMarkRow: PASIRow {
    static let table = PASITable(name: "pasi.evaluated_marks", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("asn", "char(9)"), ("school_code", "char(4)"),
        ("school_year", "integer"), ("course_code", "text"), ("credits", "integer"), ("mark_value", "integer"),
        ("is_mark_value_approved", "boolean"), ("evaluation_method", "text"), ("evaluation_date", "date"),
        ("is_funding_requested", "boolean"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var asn: String
    var schoolCode: String
    var schoolYear: Int
    var courseCode: String
    var credits: Int?
    var markValue: Int
    var isMarkValueApproved: Bool
    var evaluationMethod: String
    var evaluationDate: String
    var isFundingRequested: Bool

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", asn, schoolCode = "school_code"
        case schoolYear = "school_year", courseCode = "course_code", credits, markValue = "mark_value"
        case isMarkValueApproved = "is_mark_value_approved", evaluationMethod = "evaluation_method"
        case evaluationDate = "evaluation_date", isFundingRequested = "is_funding_requested"
    }

    init(_ mark: EvaluatedMark) {
        refId = mark.refId.value
        pasiCoreVersion = mark.pasiCoreVersion
        asn = mark.asn.digits
        schoolCode = mark.schoolCode.description
        schoolYear = mark.schoolYear.endYear
        courseCode = mark.courseCode
        credits = mark.credits
        markValue = mark.markValue
        isMarkValueApproved = mark.isMarkValueApproved
        evaluationMethod = mark.evaluationMethod
        evaluationDate = mark.evaluationDate.description
        isFundingRequested = mark.isFundingRequested
    }

    func model() throws -> EvaluatedMark {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try EvaluatedMark(
                refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored),
                schoolCode: OrganizationNumber(schoolCode, field: "EvaluatedMark.schoolCode"),
                schoolYear: SchoolYear(endYear: schoolYear), courseCode: courseCode, credits: credits, markValue: markValue,
                isMarkValueApproved: isMarkValueApproved, evaluationMethod: evaluationMethod,
                evaluationDate: PASIDate(evaluationDate), isFundingRequested: isFundingRequested, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
