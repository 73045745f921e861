internal import PASIModel

/// A row of `pasi.classroom_accommodations`: the accommodations PASI holds for the authority's
/// students, as PASI Data Available fetched them or Regular Sync's submits were accepted, at PASI's
/// version. Not year-scoped in the change feed (the record carries its school year).
struct ClassroomAccommodationRow: PASIRow {
    static let table = PASITable(name: "pasi.classroom_accommodations", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("asn", "char(9)"), ("school_year", "integer"),
        ("accommodation_code", "text"), ("comment", "text"),
    ], yearColumn: nil)

    var refId: String
    var pasiCoreVersion: Int64
    var asn: String
    var schoolYear: Int
    var accommodationCode: String
    var comment: String?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", asn, schoolYear = "school_year"
        case accommodationCode = "accommodation_code", comment
    }

    init(_ accommodation: ClassroomAccommodation) {
        refId = accommodation.refId.value
        pasiCoreVersion = accommodation.pasiCoreVersion
        asn = accommodation.asn.digits
        schoolYear = accommodation.schoolYear.endYear
        accommodationCode = accommodation.accommodationCode
        comment = accommodation.comment
    }

    func model() throws -> ClassroomAccommodation {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try ClassroomAccommodation(
                refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored), schoolYear: SchoolYear(endYear: schoolYear),
                accommodationCode: accommodationCode, comment: comment, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
