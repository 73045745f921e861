/// A student's demographic record in PASI, keyed by ASN.
public struct Student: Sendable, Hashable {
    /// The student's ASN.
    public var asn: ASN
    /// When ``asn`` is a secondary ASN, the primary one to use instead.
    public var primaryASN: ASN?
    /// Other ASNs linked to this student as secondary.
    public var secondaryASNs: [ASN]
    /// Whether the ASN has been deactivated.
    public var isDeactivated: Bool
    /// Legal and alias names; at most one is preferred.
    public var names: [StudentName]
    /// Gender.
    public var gender: Gender
    /// Birth date.
    public var birthDate: PASIDate?
    /// The document proving name and birth date.
    public var identificationDocument: IdentificationDocument?
    /// Mailing and permanent addresses.
    public var addresses: [Address]
    /// Phone numbers.
    public var phones: [Phone]
    /// Citizenship status, a PASI code value.
    public var citizenshipStatus: String?
    /// Section 23 (minority-language education rights) eligibility, a PASI code value.
    public var section23Eligibility: String?
    /// Disclosure restrictions.
    public var disclosureRestrictions: [DisclosureRestriction]
    /// Whether the student is deceased.
    public var isDeceased: Bool
    /// Date of death; only with ``isDeceased``.
    public var deceasedDate: PASIDate?
    /// Maturity (independent student) status, a PASI code value.
    public var maturity: String?
    /// PASI's version of this record; 0 before it exists in PASI.
    public var pasiCoreVersion: Int64

    /// Creates a student record.
    /// - Throws: ``PASIModelError`` if two names are preferred, if a deceased date is
    ///   given without ``isDeceased`` or lies before the birth date, or if a code value
    ///   breaks the PASI string rule.
    public init(
        asn: ASN, primaryASN: ASN? = nil, secondaryASNs: [ASN] = [], isDeactivated: Bool = false,
        names: [StudentName], gender: Gender, birthDate: PASIDate? = nil,
        identificationDocument: IdentificationDocument? = nil, addresses: [Address] = [], phones: [Phone] = [],
        citizenshipStatus: String? = nil, section23Eligibility: String? = nil,
        disclosureRestrictions: [DisclosureRestriction] = [], isDeceased: Bool = false, deceasedDate: PASIDate? = nil,
        maturity: String? = nil, pasiCoreVersion: Int64 = 0
    ) throws(PASIModelError) {
        if names.filter(\.isPreferred).count > 1 {
            throw PASIModelError(
                .inconsistent, field: "Student.names", expectation: "must have at most one preferred name",
                value: names.filter(\.isPreferred).map(\.lastName).joined(separator: ", "))
        }
        if let deceasedDate, !isDeceased {
            throw PASIModelError(.inconsistent, field: "Student.deceasedDate", expectation: "must be empty unless the student is deceased", value: deceasedDate.description)
        }
        try PASIDate.checkOrder(birthDate, deceasedDate, field: "Student.deceasedDate")
        try Rule.text(citizenshipStatus, "Student.citizenshipStatus")
        try Rule.text(section23Eligibility, "Student.section23Eligibility")
        try Rule.text(maturity, "Student.maturity")
        try Rule.version(pasiCoreVersion, "Student.pasiCoreVersion")
        self.asn = asn
        self.primaryASN = primaryASN
        self.secondaryASNs = secondaryASNs
        self.isDeactivated = isDeactivated
        self.names = names
        self.gender = gender
        self.birthDate = birthDate
        self.identificationDocument = identificationDocument
        self.addresses = addresses
        self.phones = phones
        self.citizenshipStatus = citizenshipStatus
        self.section23Eligibility = section23Eligibility
        self.disclosureRestrictions = disclosureRestrictions
        self.isDeceased = isDeceased
        self.deceasedDate = deceasedDate
        self.maturity = maturity
        self.pasiCoreVersion = pasiCoreVersion
    }

    /// The legal name, if the record holds one.
    public var legalName: StudentName? { names.first { $0.type == .legal } }
    /// The preferred name, falling back to the legal name.
    public var preferredName: StudentName? { names.first(where: \.isPreferred) ?? legalName }
}

/// Decoding goes through the validating initializer.
extension Student: Codable {
    /// Decodes and validates a student record.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            asn: c.value(.asn), primaryASN: c.optional(.primaryASN), secondaryASNs: c.value(.secondaryASNs),
            isDeactivated: c.value(.isDeactivated), names: c.value(.names), gender: c.value(.gender),
            birthDate: c.optional(.birthDate), identificationDocument: c.optional(.identificationDocument),
            addresses: c.value(.addresses), phones: c.value(.phones), citizenshipStatus: c.optional(.citizenshipStatus),
            section23Eligibility: c.optional(.section23Eligibility), disclosureRestrictions: c.value(.disclosureRestrictions),
            isDeceased: c.value(.isDeceased), deceasedDate: c.optional(.deceasedDate), maturity: c.optional(.maturity),
            pasiCoreVersion: c.value(.pasiCoreVersion))
    }
}
