/// One of a student's names in PASI: the legal name or an alias.
public struct StudentName: Sendable, Hashable {
    /// Whether a name is the student's legal name or another name they are known by.
    public enum NameType: String, Sendable, Hashable, Codable, CaseIterable {
        /// `Legal`: the name on the identification document.
        case legal = "Legal"
        /// `Alias`: any other name.
        case alias = "Alias"
    }

    /// PASI's limit for first, middle and last names.
    public static let maxNameLength = 50
    /// PASI's limit for the suffix (Jr., III …).
    public static let maxSuffixLength = 15

    /// PASI's id of this name; `nil` until PASI has stored it.
    public var refId: RefId?
    /// Legal or alias.
    public var type: NameType
    /// The surname; required, as a name without one cannot be matched.
    public var lastName: String
    /// The given name.
    public var firstName: String?
    /// The middle name(s).
    public var middleName: String?
    /// The suffix.
    public var suffix: String?
    /// Whether the spelling is known to be exact (PASI's `IsNameExact`).
    public var isNameExact: Bool
    /// Whether this is the name the student prefers; at most one per student.
    public var isPreferred: Bool
    /// The date from which the name applies.
    public var effectiveDate: PASIDate?

    /// Creates a name, checking the PASI string rule and lengths (names ≤ 50, suffix ≤ 15).
    /// - Throws: ``PASIModelError`` naming the first bad field.
    public init(
        refId: RefId? = nil, type: NameType, lastName: String, firstName: String? = nil,
        middleName: String? = nil, suffix: String? = nil, isNameExact: Bool = true,
        isPreferred: Bool = false, effectiveDate: PASIDate? = nil
    ) throws(PASIModelError) {
        try Rule.required(lastName, "StudentName.lastName", max: Self.maxNameLength)
        try Rule.text(firstName, "StudentName.firstName", max: Self.maxNameLength)
        try Rule.text(middleName, "StudentName.middleName", max: Self.maxNameLength)
        try Rule.text(suffix, "StudentName.suffix", max: Self.maxSuffixLength)
        self.refId = refId
        self.type = type
        self.lastName = lastName
        self.firstName = firstName
        self.middleName = middleName
        self.suffix = suffix
        self.isNameExact = isNameExact
        self.isPreferred = isPreferred
        self.effectiveDate = effectiveDate
    }
}

/// Decoding goes through the validating initializer.
extension StudentName: Codable {
    /// Decodes and validates a name.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            refId: c.optional(.refId), type: c.value(.type), lastName: c.value(.lastName),
            firstName: c.optional(.firstName), middleName: c.optional(.middleName), suffix: c.optional(.suffix),
            isNameExact: c.value(.isNameExact), isPreferred: c.value(.isPreferred), effectiveDate: c.optional(.effectiveDate))
    }
}
