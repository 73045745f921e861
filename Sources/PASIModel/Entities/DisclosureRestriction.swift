/// A restriction on disclosing a student's information (e.g. a protection order).
public struct DisclosureRestriction: Sendable, Hashable {
    /// The restriction, a PASI code value.
    public var code: String
    /// Free-text details.
    public var details: String?
    /// First day the restriction applies.
    public var effectiveDate: PASIDate?
    /// Last day the restriction applies; not before ``effectiveDate``.
    public var expiryDate: PASIDate?

    /// Creates a restriction, checking the PASI string rule and the date order.
    /// - Throws: ``PASIModelError`` naming the first bad field.
    public init(code: String, details: String? = nil, effectiveDate: PASIDate? = nil, expiryDate: PASIDate? = nil) throws(PASIModelError) {
        try Rule.required(code, "DisclosureRestriction.code")
        try Rule.text(details, "DisclosureRestriction.details")
        try PASIDate.checkOrder(effectiveDate, expiryDate, field: "DisclosureRestriction.expiryDate")
        self.code = code
        self.details = details
        self.effectiveDate = effectiveDate
        self.expiryDate = expiryDate
    }
}

/// Decoding goes through the validating initializer.
extension DisclosureRestriction: Codable {
    /// Decodes and validates a restriction.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(code: c.value(.code), details: c.optional(.details), effectiveDate: c.optional(.effectiveDate), expiryDate: c.optional(.expiryDate))
    }
}
