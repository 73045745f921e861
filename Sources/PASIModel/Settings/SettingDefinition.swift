/// The headings of the seed's settings pages, in the seed's order.
public enum SettingGroup: String, Sendable, Hashable, Codable, CaseIterable {
    /// Caller Information page.
    case callerInformation = "Caller Information"
    /// Synchronization Settings › General.
    case general = "General"
    /// Synchronization Settings › Regular Synchronization.
    case regularSynchronization = "Regular Synchronization"
    /// Synchronization Settings › Hash Synchronization.
    case hashSynchronization = "Hash Synchronization"
    /// Synchronization Settings › Core Alerts Reconciliation.
    case coreAlertsReconciliation = "Core Alerts Reconciliation"
    /// Synchronization Settings › Diploma Exam and Official Marks Updates.
    case diplomaExamAndOfficialMarksUpdates = "Diploma Exam and Official Marks Updates"
    /// Synchronization Settings › Daily Document Submission Runtime.
    case dailyDocumentSubmissionRuntime = "Daily Document Submission Runtime"
    /// Synchronization Settings › Demographic and Enrolment Items.
    case demographicAndEnrolmentItems = "Demographic and Enrolment Items"
    /// Synchronization Settings › School Course Marks Items.
    case schoolCourseMarksItems = "School Course Marks Items"
    /// Synchronization Settings › Diploma Exam Items.
    case diplomaExamItems = "Diploma Exam Items"
    /// Synchronization Settings › Threading.
    case threading = "Threading"
    /// Synchronization Settings › Archiving.
    case archiving = "Archiving"
    /// Log Settings page.
    case logs = "Logs"
    /// How long personal data the software keeps for itself stays (this project's, not the seed's).
    case retention = "Retention"
}

/// The kind of value a setting holds, with its allowed values.
public enum SettingType: Sendable, Hashable {
    /// On or off.
    case bool
    /// A whole number within a range.
    case integer(ClosedRange<Int>)
    /// One of a fixed list of whole numbers (e.g. archive ages in days).
    case integerChoice([Int])
    /// One of a fixed list of words (e.g. Daily, Hourly).
    case choice([String])
    /// A time of day `HH:MM`.
    case timeOfDay
    /// Text obeying a rule.
    case text(TextRule)
    /// A school year `YYYY-YYYY` as the seed shows it, or `0000-0000` for "not yet known".
    case schoolYear

    /// The rule for a text setting. Every text setting may be empty, meaning "not yet
    /// configured"; building a ``CallerInfo`` refuses an empty field, so an
    /// unconfigured installation cannot call PASI.
    public enum TextRule: Sendable, Hashable {
        /// A PASI string of at most this many characters.
        case pasiString(maxLength: Int)
        /// An authority organization code `A.NNNN`.
        case authorityCode
    }
}

/// A setting's value. ``description`` is its text form, which ``SettingDefinition/parse(_:)``
/// reads back; store settings as that text.
public enum SettingValue: Sendable, Hashable, CustomStringConvertible {
    /// On or off.
    case bool(Bool)
    /// A whole number (also for ``SettingType/integerChoice(_:)``).
    case integer(Int)
    /// Text (also for ``SettingType/choice(_:)``, holding the canonical spelling).
    case text(String)
    /// A time of day.
    case time(TimeOfDay)
    /// A school year, shown as the seed does (`2017-2018`); `nil` is "not yet known", `0000-0000`.
    case schoolYear(SchoolYear?)

    /// The text form: `on`/`off`, the number, the text, `HH:MM`, `YYYY-YYYY` or `0000-0000`.
    public var description: String {
        switch self {
        case .bool(let on): on ? "on" : "off"
        case .integer(let number): String(number)
        case .text(let text): text
        case .time(let time): time.description
        case .schoolYear(let year): year?.hyphenated ?? SettingDefinition.unknownSchoolYear
        }
    }
}

/// One setting of the seed's Caller Information, Synchronization Settings or Logs pages.
public struct SettingDefinition: Sendable, Hashable, Identifiable {
    /// How an unknown school year is shown, as the seed's initial "0000-0000".
    public static let unknownSchoolYear = "0000-0000"

    /// The stable key, e.g. `maximum_attempts`.
    public let key: SettingKey
    /// The seed's label, e.g. "Maximum Attempts".
    public let label: String
    /// The seed's heading the setting sits under.
    public let group: SettingGroup
    /// The value type and allowed values.
    public let type: SettingType
    /// The default value, as the seed states it (or this project chose; see ``note``).
    public let defaultValue: SettingValue
    /// Whether only the software, never a person, changes it.
    public let isReadOnly: Bool
    /// The seed's asterisk: a change takes effect only after a restart.
    public let needsRestart: Bool
    /// The seed's double asterisk: synchronized one way, from PASI to the SIS.
    public let isOneWayFromPASI: Bool
    /// Anything a reader must know: units, fixed schedules, choices made where the seed is silent.
    public let note: String?

    /// The key, as the identity.
    public var id: SettingKey { key }

    init(
        _ key: SettingKey, _ label: String, _ group: SettingGroup, _ type: SettingType, default defaultValue: SettingValue,
        readOnly: Bool = false, restart: Bool = false, oneWay: Bool = false, note: String? = nil
    ) {
        self.key = key
        self.label = label
        self.group = group
        self.type = type
        self.defaultValue = defaultValue
        self.isReadOnly = readOnly
        self.needsRestart = restart
        self.isOneWayFromPASI = oneWay
        self.note = note
    }

    /// What the setting accepts, phrased to follow "must be": e.g. "an integer from 1 to 100".
    public var allowed: String {
        switch type {
        case .bool: "on or off"
        case .integer(let range): "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .integerChoice(let values): "one of " + values.map(String.init).joined(separator: ", ")
        case .choice(let values): "one of " + values.joined(separator: ", ")
        case .timeOfDay: "a time of day HH:MM"
        case .text(.pasiString(let maxLength)): "text of at most \(maxLength) characters without leading, trailing or double spaces"
        case .text(.authorityCode): "an authority code A.NNNN"
        case .schoolYear: "a school year YYYY-YYYY"
        }
    }

    /// Checks a value against the setting's type and allowed values.
    /// - Parameter value: The value to check.
    /// - Throws: ``PASIModelError`` naming the key and what it allows, e.g.
    ///   `maximum_attempts must be an integer from 1 to 100, got 0`.
    public func validate(_ value: SettingValue) throws(PASIModelError) {
        let fits: Bool = switch (type, value) {
        case (.bool, .bool): true
        case (.integer(let range), .integer(let number)): range.contains(number)
        case (.integerChoice(let values), .integer(let number)): values.contains(number)
        case (.choice(let values), .text(let text)): values.contains(text)
        case (.timeOfDay, .time): true
        case (.text(.pasiString(let maxLength)), .text(let text)): PASIString.isValid(text) && text.utf16.count <= maxLength
        case (.text(.authorityCode), .text(let text)): text.isEmpty || (try? OrganizationCode.authority(text)) != nil
        case (.schoolYear, .schoolYear): true
        default: false
        }
        if !fits { throw refusal(value.description) }
    }

    /// Reads a value from text, as typed in `settings set KEY VALUE` or stored, and validates it.
    ///
    /// Booleans accept on/off, true/false, yes/no, enabled/disabled and 1/0; choices
    /// match without regard to case and come back in the seed's spelling. Surrounding
    /// white space is ignored except for text settings, where PASI's rule applies.
    /// - Parameter text: The value as text.
    /// - Throws: ``PASIModelError`` naming the key and what it allows.
    public func parse(_ text: String) throws(PASIModelError) -> SettingValue {
        let trimmed = String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        let value: SettingValue
        switch type {
        case .bool:
            switch trimmed.lowercased() {
            case "on", "true", "yes", "enabled", "1": value = .bool(true)
            case "off", "false", "no", "disabled", "0": value = .bool(false)
            default: throw refusal(text, .invalidFormat)
            }
        case .integer, .integerChoice:
            guard let number = Int(trimmed) else { throw refusal(text, .invalidFormat) }
            value = .integer(number)
        case .choice(let values):
            guard let match = values.first(where: { $0.lowercased() == trimmed.lowercased() }) else { throw refusal(text, .invalidFormat) }
            value = .text(match)
        case .timeOfDay:
            guard let time = try? TimeOfDay(trimmed) else { throw refusal(text, .invalidFormat) }
            value = .time(time)
        case .text:
            value = .text(text)
        case .schoolYear:
            if trimmed == Self.unknownSchoolYear {
                value = .schoolYear(nil)
            } else {
                guard let year = try? SchoolYear(trimmed) else { throw refusal(text, .invalidFormat) }
                value = .schoolYear(year)
            }
        }
        try validate(value)
        return value
    }

    func refusal(_ got: String, _ code: PASIModelError.Code = .outOfRange) -> PASIModelError {
        PASIModelError(code, field: key.rawValue, expectation: "must be \(allowed)", value: got)
    }
}
