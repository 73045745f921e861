/// A student's phone number in PASI.
public struct Phone: Sendable, Hashable {
    /// PASI's id of the number (the `RefId` a correction or a delete names: "the RefId property on
    /// the PhoneNumber", https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/b7cf28cf-fe19-eb97-d3b4-2b1db11d8cfc.htm);
    /// `nil` for a number PASI does not hold yet, sent as RefId 0.
    public var id: Int64?
    /// The number as PASI stores it (free text: PASI holds foreign numbers too).
    public var number: String
    /// The extension.
    public var `extension`: String?
    /// The phone type, a PASI code value (e.g. home, cell).
    public var type: String
    /// Whether the number may be listed (given out).
    public var isListable: Bool
    /// Whether this is the number the student prefers.
    public var isPreferred: Bool
    /// First day the number applies.
    public var effectiveDate: PASIDate?
    /// Last day the number applies; not before ``effectiveDate``.
    public var expiryDate: PASIDate?

    /// Creates a phone number, checking the PASI string rule and the date order.
    /// - Throws: ``PASIModelError`` naming the first bad field.
    public init(
        id: Int64? = nil, number: String, extension: String? = nil, type: String, isListable: Bool = true, isPreferred: Bool = false,
        effectiveDate: PASIDate? = nil, expiryDate: PASIDate? = nil
    ) throws(PASIModelError) {
        try Rule.required(number, "Phone.number")
        try Rule.text(`extension`, "Phone.extension")
        try Rule.required(type, "Phone.type")
        try PASIDate.checkOrder(effectiveDate, expiryDate, field: "Phone.expiryDate")
        self.id = id
        self.number = number
        self.extension = `extension`
        self.type = type
        self.isListable = isListable
        self.isPreferred = isPreferred
        self.effectiveDate = effectiveDate
        self.expiryDate = expiryDate
    }
}

/// Decoding goes through the validating initializer; the id is `RefId` on the wire.
extension Phone: Codable {
    enum CodingKeys: String, CodingKey {
        case id = "refId", number, `extension`, type, isListable, isPreferred, effectiveDate, expiryDate
    }

    /// Decodes and validates a phone number.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.optional(.id), number: c.value(.number), extension: c.optional(.extension), type: c.value(.type),
            isListable: c.value(.isListable), isPreferred: c.value(.isPreferred),
            effectiveDate: c.optional(.effectiveDate), expiryDate: c.optional(.expiryDate))
    }
}
