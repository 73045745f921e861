/// A student's address in PASI.
public struct Address: Sendable, Hashable {
    /// Which of the two addresses PASI keeps this is.
    public enum AddressType: String, Sendable, Hashable, Codable, CaseIterable {
        /// Where mail goes.
        case mailing = "Mailing"
        /// Where the student lives.
        case permanent = "Permanent"
    }

    /// Mailing or permanent.
    public var type: AddressType
    /// Street line.
    public var street: String
    /// City or town.
    public var city: String
    /// Province or state code, e.g. `AB`.
    public var province: String?
    /// Country code, e.g. `CAN`.
    public var country: String?
    /// Postal or ZIP code; not checked against a national format, since PASI holds
    /// foreign addresses too.
    public var postalCode: String?
    /// Whether this is the address the student prefers.
    public var isPreferred: Bool
    /// First day the address applies.
    public var effectiveDate: PASIDate?
    /// Last day the address applies; not before ``effectiveDate``.
    public var expiryDate: PASIDate?

    /// Creates an address, checking the PASI string rule and the date order.
    /// - Throws: ``PASIModelError`` naming the first bad field.
    public init(
        type: AddressType, street: String, city: String, province: String? = nil, country: String? = nil,
        postalCode: String? = nil, isPreferred: Bool = false, effectiveDate: PASIDate? = nil, expiryDate: PASIDate? = nil
    ) throws(PASIModelError) {
        try Rule.required(street, "Address.street")
        try Rule.required(city, "Address.city")
        try Rule.text(province, "Address.province")
        try Rule.text(country, "Address.country")
        try Rule.text(postalCode, "Address.postalCode")
        try PASIDate.checkOrder(effectiveDate, expiryDate, field: "Address.expiryDate")
        self.type = type
        self.street = street
        self.city = city
        self.province = province
        self.country = country
        self.postalCode = postalCode
        self.isPreferred = isPreferred
        self.effectiveDate = effectiveDate
        self.expiryDate = expiryDate
    }
}

/// Decoding goes through the validating initializer.
extension Address: Codable {
    /// Decodes and validates an address.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            type: c.value(.type), street: c.value(.street), city: c.value(.city), province: c.optional(.province),
            country: c.optional(.country), postalCode: c.optional(.postalCode), isPreferred: c.value(.isPreferred),
            effectiveDate: c.optional(.effectiveDate), expiryDate: c.optional(.expiryDate))
    }
}
