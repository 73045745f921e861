/// The string rule PASI Core applies to every text field it accepts.
///
/// A PASI string must not start or end with white space, must not hold two white-space
/// characters in a row and must not hold control characters. PASI rejects a whole
/// request for one bad field, so the rule is checked here, before anything is queued.
///
/// Lengths are counted in UTF-16 code units: PASI Core is a .NET service, and .NET's
/// `String.Length` counts UTF-16 code units, so "≤ 50" means what PASI means by it.
public enum PASIString {
    /// Checks `value` against the PASI string rule and an optional maximum length.
    /// - Parameters:
    ///   - value: The text to check. An empty string passes; whether a field may be
    ///     empty is the field's own rule.
    ///   - field: The field's name, for the error message.
    ///   - maxLength: The field's maximum length in UTF-16 code units, if it has one.
    /// - Throws: ``PASIModelError`` with code `invalidCharacters` or `tooLong`.
    public static func validate(_ value: String, field: String, maxLength: Int? = nil) throws(PASIModelError) {
        if let problem = problem(in: value) {
            throw PASIModelError(.invalidCharacters, field: field, expectation: "must be a PASI string (\(problem))", value: value)
        }
        if let maxLength, value.utf16.count > maxLength {
            throw PASIModelError(
                .tooLong, field: field,
                expectation: "must be at most \(maxLength) characters long",
                shown: "\(value.utf16.count) characters")
        }
    }

    /// Checks a field that must not be empty, then applies ``validate(_:field:maxLength:)``.
    /// - Parameters:
    ///   - value: The text to check.
    ///   - field: The field's name, for the error message.
    ///   - maxLength: The field's maximum length, if it has one.
    public static func validateRequired(_ value: String, field: String, maxLength: Int? = nil) throws(PASIModelError) {
        if value.isEmpty {
            throw PASIModelError(.invalidFormat, field: field, expectation: "must not be empty", value: value)
        }
        try validate(value, field: field, maxLength: maxLength)
    }

    /// Whether `value` obeys the PASI string rule (length not considered).
    /// - Parameter value: The text to check.
    public static func isValid(_ value: String) -> Bool { problem(in: value) == nil }

    /// Names the first rule `value` breaks, or `nil`.
    static func problem(in value: String) -> String? {
        if value.utf8.allSatisfy({ $0 < 0x80 }) { return asciiProblem(in: value.utf8) }
        if let first = value.first, first.isWhitespace { return "no leading white space" }
        if let last = value.last, last.isWhitespace { return "no trailing white space" }
        var previousWasSpace = false
        for scalar in value.unicodeScalars {
            if scalar.properties.generalCategory == .control { return "no control characters" }
            let isSpace = scalar.properties.isWhitespace
            if isSpace && previousWasSpace { return "no two spaces in a row" }
            previousWasSpace = isSpace
        }
        return nil
    }

    /// ``problem(in:)`` for ASCII text, on bytes: most fields are ASCII, and looking up
    /// Unicode properties per character cost more than the rest of reading a record. In
    /// ASCII, white space is tab to carriage return and space, control characters are
    /// 0x00–0x1F and 0x7F, and each character is one byte.
    private static func asciiProblem(in bytes: String.UTF8View) -> String? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        if let first = bytes.first, isSpace(first) { return "no leading white space" }
        if let last = bytes.last, isSpace(last) { return "no trailing white space" }
        var previousWasSpace = false
        for byte in bytes {
            if byte < 0x20 || byte == 0x7F { return "no control characters" }
            let isSpace = isSpace(byte)
            if isSpace && previousWasSpace { return "no two spaces in a row" }
            previousWasSpace = isSpace
        }
        return nil
    }
}

/// Maximum lengths PASI Core publishes for the fields of `CallerInfo`.
public enum CallerInfoLimits {
    /// `Software.BuildNumber`.
    public static let buildNumber = 30
    /// `Software.Manufacturer`.
    public static let manufacturer = 100
    /// `Software.Product`.
    public static let product = 100
    /// `Software.Version`.
    public static let version = 30
    /// `ClientMessageID`.
    public static let clientMessageID = 50
    /// `User.IPAddress`.
    public static let ipAddress = 50
    /// `User.LocalID` and `User.Name`: PASI publishes no limit; 100 is this project's
    /// choice, matching the other free-text caller fields.
    public static let localID = 100
    /// See ``localID``.
    public static let name = 100
}
