internal import PASIModel

/// A row of `pasi.school_enrolments`. The extended information is kept as jsonb with the keys of
/// ``PASIModel/SchoolEnrolment/ExtendedInfo``'s coding (`localStudentID`, `residentBoard`, …). An
/// enrolment PASI holds deleted (created in error) stays, `is_deleted` (migration 0036).
struct SchoolEnrolmentRow: PASIRow {
    static let table = PASITable(name: "pasi.school_enrolments", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("asn", "char(9)"), ("school_code", "char(4)"),
        ("school_year", "integer"), ("grade", "text"), ("entry_date", "date"), ("exit_date", "date"),
        ("registration_type", "text"), ("is_deleted", "boolean"), ("extended_info", "jsonb"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var asn: String
    var schoolCode: String
    var schoolYear: Int
    var grade: String
    var entryDate: String
    var exitDate: String?
    var registrationType: String?
    var isDeleted: Bool
    var extendedInfo: SchoolEnrolment.ExtendedInfo?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", asn, schoolCode = "school_code"
        case schoolYear = "school_year", grade, entryDate = "entry_date", exitDate = "exit_date"
        case registrationType = "registration_type", isDeleted = "is_deleted"
        case extendedInfo = "extended_info"
    }

    init(_ enrolment: SchoolEnrolment) {
        refId = enrolment.refId.value
        pasiCoreVersion = enrolment.pasiCoreVersion
        asn = enrolment.asn.digits
        schoolCode = enrolment.schoolCode.description
        schoolYear = enrolment.schoolYear.endYear
        grade = enrolment.grade.code
        entryDate = enrolment.entryDate.description
        exitDate = enrolment.exitDate?.description
        registrationType = enrolment.registrationType
        isDeleted = enrolment.isDeleted
        extendedInfo = enrolment.extendedInfo
    }

    func model() throws -> SchoolEnrolment {
        let reader = RowReader(table: Self.table.name, key: refId)
        let registrationType = try reader.required(registrationType, "registration_type")
        return try reader.read { () throws(PASIModelError) in
            try SchoolEnrolment(
                refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored),
                schoolCode: OrganizationNumber(schoolCode, field: "SchoolEnrolment.schoolCode"),
                schoolYear: SchoolYear(endYear: schoolYear), grade: GradeCode(grade), entryDate: PASIDate(entryDate),
                exitDate: exitDate.map { text throws(PASIModelError) in try PASIDate(text) },
                registrationType: registrationType, isDeleted: isDeleted, extendedInfo: extendedInfo,
                pasiCoreVersion: pasiCoreVersion)
        }
    }
}
