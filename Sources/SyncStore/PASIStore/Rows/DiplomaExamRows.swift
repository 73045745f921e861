internal import PASIModel

/// A row of `pasi.diploma_exams`.
struct DiplomaExamRow: PASIRow {
    static let table = PASITable(name: "pasi.diploma_exams", keyType: "text", columns: [
        ("ref_id", "text"), ("pasi_core_version", "bigint"), ("course_code", "text"), ("school_year", "integer"),
        ("exam_period", "text"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var courseCode: String
    var schoolYear: Int
    var examPeriod: String

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", courseCode = "course_code"
        case schoolYear = "school_year", examPeriod = "exam_period"
    }

    init(_ exam: DiplomaExam) {
        refId = exam.refId.value
        pasiCoreVersion = exam.pasiCoreVersion
        courseCode = exam.courseCode
        schoolYear = exam.schoolYear.endYear
        examPeriod = exam.examPeriod
    }

    func model() throws -> DiplomaExam {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try DiplomaExam(refId: RefId(refId), courseCode: courseCode, schoolYear: SchoolYear(endYear: schoolYear),
                            examPeriod: examPeriod, pasiCoreVersion: pasiCoreVersion)
        }
    }
}

/// A row of `pasi.diploma_exam_sittings`: an exam's date at a writing centre.
struct DiplomaExamSittingRow: PASIRow {
    static let table = PASITable(name: "pasi.diploma_exam_sittings", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("diploma_exam_ref_id", "text"), ("school_year", "integer"),
        ("sitting_date", "date"), ("writing_centre", "text"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var examRefId: String
    var schoolYear: Int
    var sittingDate: String
    var writingCentre: String?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", examRefId = "diploma_exam_ref_id"
        case schoolYear = "school_year", sittingDate = "sitting_date", writingCentre = "writing_centre"
    }

    init(_ sitting: DiplomaExamSitting) {
        refId = sitting.refId.value
        pasiCoreVersion = sitting.pasiCoreVersion
        examRefId = sitting.examRefId.value
        schoolYear = sitting.schoolYear.endYear
        sittingDate = sitting.sittingDate.description
        writingCentre = sitting.writingCentre
    }

    func model() throws -> DiplomaExamSitting {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try DiplomaExamSitting(
                refId: RefId(refId), examRefId: RefId(examRefId), schoolYear: SchoolYear(endYear: schoolYear),
                sittingDate: PASIDate(sittingDate), writingCentre: writingCentre, pasiCoreVersion: pasiCoreVersion)
        }
    }
}

/// A row of `pasi.diploma_exam_marks`.
struct DiplomaExamMarkRow: PASIRow {
    static let table = PASITable(name: "pasi.diploma_exam_marks", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("asn", "char(9)"), ("course_code", "text"),
        ("school_year", "integer"), ("sitting_ref_id", "uuid"), ("exam_mark", "integer"), ("official_mark", "integer"),
        ("credits_awarded", "integer"),
    ], yearColumn: "school_year")

    var refId: String
    var pasiCoreVersion: Int64
    var asn: String
    var courseCode: String
    var schoolYear: Int
    var sittingRefId: String?
    var examMark: Int?
    var officialMark: Int?
    var creditsAwarded: Int?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", asn, courseCode = "course_code"
        case schoolYear = "school_year", sittingRefId = "sitting_ref_id", examMark = "exam_mark"
        case officialMark = "official_mark", creditsAwarded = "credits_awarded"
    }

    init(_ mark: DiplomaExamMark) {
        refId = mark.refId.value
        pasiCoreVersion = mark.pasiCoreVersion
        asn = mark.asn.digits
        courseCode = mark.courseCode
        schoolYear = mark.schoolYear.endYear
        sittingRefId = mark.sittingRefId?.value
        examMark = mark.examMark
        officialMark = mark.officialMark
        creditsAwarded = mark.creditsAwarded
    }

    func model() throws -> DiplomaExamMark {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try DiplomaExamMark(
                refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored), courseCode: courseCode,
                schoolYear: SchoolYear(endYear: schoolYear), sittingRefId: sittingRefId.map { text throws(PASIModelError) in try RefId(text) },
                examMark: examMark, officialMark: officialMark, creditsAwarded: creditsAwarded, pasiCoreVersion: pasiCoreVersion)
        }
    }
}
