public import PASIModel

/// A setting's rule as the columns of `sync.settings` spell it (`kind`, `min_value`,
/// `max_value`, `choices`, `max_length`), so the database can enforce what
/// ``PASIModel/SettingsCatalogue`` says, and the tests can check that the two agree.
public struct SettingRule: Sendable, Hashable, CustomStringConvertible {
    /// The `kind` column: `bool`, `integer`, `integer_choice`, `choice`, `time`,
    /// `school_year`, `text` or `authority_code`.
    public let kind: String
    /// The lowest allowed integer (`integer` only).
    public let minimum: Int?
    /// The highest allowed integer (`integer` only).
    public let maximum: Int?
    /// The allowed values in the seed's spelling (`choice`, `integer_choice`).
    public let choices: [String]?
    /// The longest allowed text in UTF-16 units, as PASI counts (`text` only).
    public let maxLength: Int?

    /// The rule of a setting type.
    /// - Parameter type: The catalogue's type.
    public init(_ type: SettingType) {
        switch type {
        case .bool: self.init("bool")
        case .integer(let range): self.init("integer", minimum: range.lowerBound, maximum: range.upperBound)
        case .integerChoice(let values): self.init("integer_choice", choices: values.map(String.init))
        case .choice(let values): self.init("choice", choices: values)
        case .timeOfDay: self.init("time")
        case .schoolYear: self.init("school_year")
        case .text(.pasiString(let maxLength)): self.init("text", maxLength: maxLength)
        case .text(.authorityCode): self.init("authority_code")
        }
    }

    /// A rule as read from the columns.
    /// - Parameters:
    ///   - kind: The `kind` column.
    ///   - minimum: `min_value`.
    ///   - maximum: `max_value`.
    ///   - choices: `choices`.
    ///   - maxLength: `max_length`.
    public init(_ kind: String, minimum: Int? = nil, maximum: Int? = nil, choices: [String]? = nil, maxLength: Int? = nil) {
        self.kind = kind
        self.minimum = minimum
        self.maximum = maximum
        self.choices = choices
        self.maxLength = maxLength
    }

    /// E.g. `integer 1...100`, `choice [Daily, Hourly]`, `text ≤ 50`.
    public var description: String {
        var text = kind
        if let minimum, let maximum { text += " \(minimum)...\(maximum)" }
        if let choices { text += " [\(choices.joined(separator: ", "))]" }
        if let maxLength { text += " ≤ \(maxLength)" }
        return text
    }
}

extension SettingDefinition {
    /// The rule `sync.settings` holds for this setting.
    public var rule: SettingRule { SettingRule(type) }
}
