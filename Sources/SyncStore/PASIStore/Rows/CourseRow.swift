internal import PASIModel

/// A row of `pasi.courses`.
struct CourseRow: PASIRow {
    static let table = PASITable(name: "pasi.courses", keyType: "text", columns: [
        ("ref_id", "text"), ("pasi_core_version", "bigint"), ("name", "text"), ("credits", "integer"),
        ("is_diploma_course", "boolean"),
    ], yearColumn: nil)

    var refId: String
    var pasiCoreVersion: Int64
    var name: String
    var credits: Int?
    var isDiplomaCourse: Bool

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", name, credits, isDiplomaCourse = "is_diploma_course"
    }

    init(_ course: Course) {
        refId = course.code
        pasiCoreVersion = course.pasiCoreVersion
        name = course.name
        credits = course.credits
        isDiplomaCourse = course.isDiplomaCourse
    }

    func model() throws -> Course {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try Course(code: refId, name: name, credits: credits, isDiplomaCourse: isDiplomaCourse, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
