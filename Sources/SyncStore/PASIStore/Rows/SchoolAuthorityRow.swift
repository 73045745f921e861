internal import PASIModel

/// A row of `pasi.school_authorities`.
struct SchoolAuthorityRow: PASIRow {
    static let table = PASITable(name: "pasi.school_authorities", keyType: "char(4)", columns: [
        ("ref_id", "char(4)"), ("pasi_core_version", "bigint"), ("name", "text"),
    ], yearColumn: nil)

    var refId: String
    var pasiCoreVersion: Int64
    var name: String

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", name
    }

    init(_ authority: SchoolAuthority) {
        refId = authority.code.description
        pasiCoreVersion = authority.pasiCoreVersion
        name = authority.name
    }

    func model() throws -> SchoolAuthority {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try SchoolAuthority(code: OrganizationNumber(refId, field: "SchoolAuthority.code"), name: name, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
