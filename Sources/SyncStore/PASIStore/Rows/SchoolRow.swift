internal import PASIModel

/// A row of `pasi.schools`.
struct SchoolRow: PASIRow {
    static let table = PASITable(name: "pasi.schools", keyType: "char(4)", columns: [
        ("ref_id", "char(4)"), ("pasi_core_version", "bigint"), ("name", "text"), ("authority_code", "char(4)"),
    ], yearColumn: nil)

    var refId: String
    var pasiCoreVersion: Int64
    var name: String
    var authorityCode: String?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", name, authorityCode = "authority_code"
    }

    init(_ school: School) {
        refId = school.code.description
        pasiCoreVersion = school.pasiCoreVersion
        name = school.name
        authorityCode = school.authorityCode?.description
    }

    func model() throws -> School {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try School(
                code: OrganizationNumber(refId, field: "School.code"), name: name,
                authorityCode: authorityCode.map { code throws(PASIModelError) in try OrganizationNumber(code, field: "School.authorityCode") },
                pasiCoreVersion: pasiCoreVersion)
        }
    }
}
