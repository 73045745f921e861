/// A student's address in PASI.
public struct Address: Sendable, Hashable {
    /// Which of the two addresses PASI keeps this is: "restricted to only Mailing (Address Type)
    /// and Physical values" (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/address_type_student_address.html).
    /// The SIS calls the physical one the permanent address (PowerSchool's `Permanent*` fields).
    public enum AddressType: String, Sendable, Hashable, Codable, CaseIterable {
        /// Where mail goes.
        case mailing = "Mailing"
        /// Where the student lives.
        case physical = "Physical"
    }

    /// The Address Format PASI gives a Canadian address by default ("Otherwise default value is
    /// Mail-CA", https://extranet.education.alberta.ca/pasidevnet/Docs/Business/address_format_student_address.html).
    public static let defaultFormat = "Mail-CA"

    /// PASI's id of the address (its `StudentAddressId`, the `RefId` a correction or a delete
    /// names); `nil` for an address PASI does not hold yet, sent as RefId 0
    /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9006.html).
    public var id: Int64?
    /// Mailing or physical.
    public var type: AddressType
    /// The Address Format code value (`Mail-CA`, `RuralAlbertaAddress`, …), required by PASI;
    /// ``defaultFormat`` where nothing says otherwise.
    public var format: String
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
        id: Int64? = nil, type: AddressType, format: String = Address.defaultFormat, street: String, city: String, province: String? = nil, country: String? = nil,
        postalCode: String? = nil, isPreferred: Bool = false, effectiveDate: PASIDate? = nil, expiryDate: PASIDate? = nil
    ) throws(PASIModelError) {
        try Rule.required(street, "Address.street")
        try Rule.required(city, "Address.city")
        try Rule.text(province, "Address.province")
        try Rule.text(country, "Address.country")
        try Rule.text(postalCode, "Address.postalCode")
        try PASIDate.checkOrder(effectiveDate, expiryDate, field: "Address.expiryDate")
        try Rule.required(format, "Address.format")
        self.id = id
        self.type = type
        self.format = format
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

/// Decoding goes through the validating initializer; the id is `RefId` on the wire, as PASI names it.
extension Address: Codable {
    enum CodingKeys: String, CodingKey {
        case id = "refId", type, format, street, city, province, country, postalCode, isPreferred, effectiveDate, expiryDate
    }

    /// Decodes and validates an address.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            id: c.optional(.id), type: c.value(.type), format: c.optional(.format) ?? Address.defaultFormat, street: c.value(.street), city: c.value(.city), province: c.optional(.province),
            country: c.optional(.country), postalCode: c.optional(.postalCode), isPreferred: c.value(.isPreferred),
            effectiveDate: c.optional(.effectiveDate), expiryDate: c.optional(.expiryDate))
    }
}
