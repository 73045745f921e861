internal import PASIModel

/// A row of `pasi.student_record_documents`: the documents PASI accepted from Daily Document
/// Submission, at PASI's version.
struct StudentRecordDocumentRow: PASIRow {
    static let table = PASITable(name: "pasi.student_record_documents", keyType: "uuid", columns: [
        ("ref_id", "uuid"), ("pasi_core_version", "bigint"), ("asn", "char(9)"), ("document_type", "text"),
        ("title", "text"), ("school_code", "char(4)"), ("document_date", "date"),
    ], yearColumn: nil)

    var refId: String
    var pasiCoreVersion: Int64
    var asn: String
    var documentType: String
    var title: String
    var schoolCode: String?
    var documentDate: String?

    enum CodingKeys: String, CodingKey {
        case refId = "ref_id", pasiCoreVersion = "pasi_core_version", asn, documentType = "document_type", title
        case schoolCode = "school_code", documentDate = "document_date"
    }

    init(_ document: StudentRecordDocument) {
        refId = document.refId.value
        pasiCoreVersion = document.pasiCoreVersion
        asn = document.asn.digits
        documentType = document.documentType
        title = document.title
        schoolCode = document.schoolCode?.description
        documentDate = document.documentDate?.description
    }

    func model() throws -> StudentRecordDocument {
        try RowReader(table: Self.table.name, key: refId).read { () throws(PASIModelError) in
            try StudentRecordDocument(
                refId: RefId(refId), asn: ASN(asn, checkDigit: .ignored), documentType: documentType, title: title,
                schoolCode: schoolCode.map { code throws(PASIModelError) in try OrganizationNumber(code, field: "StudentRecordDocument.schoolCode") },
                documentDate: documentDate.map { text throws(PASIModelError) in try PASIDate(text) },
                pasiCoreVersion: pasiCoreVersion)
        }
    }
}
