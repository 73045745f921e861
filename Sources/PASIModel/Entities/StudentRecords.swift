/// A document filed on a student's PASI record; new ones go to PASI in the daily
/// document submission run.
public struct StudentRecordDocument: Sendable, Hashable {
    /// PASI's id of the document.
    public var refId: RefId
    /// The student.
    public var asn: ASN
    /// The document type, a PASI code value.
    public var documentType: String
    /// A title shown to people.
    public var title: String
    /// The school that filed it.
    public var schoolCode: OrganizationNumber?
    /// The date on the document.
    public var documentDate: PASIDate?
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates a student record document.
    /// - Throws: ``PASIModelError`` if a text breaks the PASI string rule or the version is negative.
    public init(
        refId: RefId, asn: ASN, documentType: String, title: String, schoolCode: OrganizationNumber? = nil,
        documentDate: PASIDate? = nil, pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        try Rule.required(documentType, "StudentRecordDocument.documentType")
        try Rule.required(title, "StudentRecordDocument.title")
        try Rule.version(pasiCoreVersion, "StudentRecordDocument.pasiCoreVersion")
        self.refId = refId
        self.asn = asn
        self.documentType = documentType
        self.title = title
        self.schoolCode = schoolCode
        self.documentDate = documentDate
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// An accommodation a student receives in class for a school year.
public struct ClassroomAccommodation: Sendable, Hashable {
    /// PASI's id of the accommodation.
    public var refId: RefId
    /// The student.
    public var asn: ASN
    /// The school year.
    public var schoolYear: SchoolYear
    /// The accommodation, a PASI code value.
    public var accommodationCode: String
    /// A free-text comment.
    public var comment: String?
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates a classroom accommodation.
    /// - Throws: ``PASIModelError`` if a text breaks the PASI string rule or the version is negative.
    public init(refId: RefId, asn: ASN, schoolYear: SchoolYear, accommodationCode: String, comment: String? = nil, pasiCoreVersion: Int64 = 0) throws(PASIModelError) {
        try Rule.required(accommodationCode, "ClassroomAccommodation.accommodationCode")
        try Rule.text(comment, "ClassroomAccommodation.comment")
        try Rule.version(pasiCoreVersion, "ClassroomAccommodation.pasiCoreVersion")
        self.refId = refId
        self.asn = asn
        self.schoolYear = schoolYear
        self.accommodationCode = accommodationCode
        self.comment = comment
        self.pasiCoreVersion = pasiCoreVersion
    }
}

/// Decoding goes through the validating initializer.
extension StudentRecordDocument: Codable {
    /// Decodes and validates a document.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), asn: c.value(.asn), documentType: c.value(.documentType), title: c.value(.title),
            schoolCode: c.optional(.schoolCode), documentDate: c.optional(.documentDate), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}

/// Decoding goes through the validating initializer.
extension ClassroomAccommodation: Codable {
    /// Decodes and validates an accommodation.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.value(.refId), asn: c.value(.asn), schoolYear: c.value(.schoolYear),
            accommodationCode: c.value(.accommodationCode), comment: c.optional(.comment), pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
