/// The document that proves a student's legal name and birth date. PASI keeps only
/// the last four characters of its number, so neither side stores the whole number.
public struct IdentificationDocument: Sendable, Hashable {
    /// How many characters of the document number PASI keeps.
    public static let keptNumberLength = 4

    /// The document type, a PASI code value (e.g. birth certificate, passport).
    public var type: String
    /// The last (up to) four characters of the document's number.
    public var numberLastCharacters: String?
    /// The date the document was issued.
    public var issueDate: PASIDate?

    /// Creates a document record.
    /// - Parameters:
    ///   - type: The document type code.
    ///   - numberLastCharacters: One to four characters, the end of the number; pass
    ///     ``lastCharacters(of:)`` of a full number.
    ///   - issueDate: The issue date.
    /// - Throws: ``PASIModelError`` naming the first bad field.
    public init(type: String, numberLastCharacters: String? = nil, issueDate: PASIDate? = nil) throws(PASIModelError) {
        try Rule.required(type, "IdentificationDocument.type")
        if let numberLastCharacters {
            try Rule.required(numberLastCharacters, "IdentificationDocument.numberLastCharacters", max: Self.keptNumberLength)
        }
        self.type = type
        self.numberLastCharacters = numberLastCharacters
        self.issueDate = issueDate
    }

    /// The part of a full document number that may be kept.
    /// - Parameter number: The full number as written on the document.
    public static func lastCharacters(of number: String) -> String { String(number.suffix(keptNumberLength)) }
}

/// Decoding goes through the validating initializer.
extension IdentificationDocument: Codable {
    /// Decodes and validates a document record.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(type: c.value(.type), numberLastCharacters: c.optional(.numberLastCharacters), issueDate: c.optional(.issueDate))
    }
}
