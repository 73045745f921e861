/// The error every validating initializer of `PASIModel` throws.
///
/// The ``description`` names the field, what it must be and the value it got, so a
/// person can fix the input from the message alone, e.g.
/// `maximum_attempts must be an integer from 1 to 100, got 0`.
public struct PASIModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of rule was broken. A struct over a hidden enum, so that new kinds
    /// can be added without breaking callers that switch over it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case invalidFormat
            case outOfRange
            case tooLong
            case invalidCharacters
            case invalidCheckDigit
            case tooMany
            case duplicate
            case inconsistent
            case unknownSetting
            case readOnlySetting
        }

        let base: Base

        /// The text does not have the required shape (e.g. an ASN with letters).
        public static let invalidFormat = Code(base: .invalidFormat)
        /// A number or date lies outside its allowed range.
        public static let outOfRange = Code(base: .outOfRange)
        /// A string is longer than its field allows.
        public static let tooLong = Code(base: .tooLong)
        /// A string breaks the PASI string rule (see ``PASIString``).
        public static let invalidCharacters = Code(base: .invalidCharacters)
        /// An ASN's last digit does not match its computed check digit.
        public static let invalidCheckDigit = Code(base: .invalidCheckDigit)
        /// A list holds more items than allowed.
        public static let tooMany = Code(base: .tooMany)
        /// A list or key set holds the same item twice.
        public static let duplicate = Code(base: .duplicate)
        /// Two fields contradict each other (e.g. expiry before effective date).
        public static let inconsistent = Code(base: .inconsistent)
        /// No setting has the given key.
        public static let unknownSetting = Code(base: .unknownSetting)
        /// The setting cannot be changed by a person.
        public static let readOnlySetting = Code(base: .readOnlySetting)

        /// The code's name, e.g. `outOfRange`.
        public var description: String { base.rawValue }
    }

    /// The kind of rule that was broken.
    public let code: Code
    /// The field, written as the caller knows it (a setting key or `Type.property`).
    public let field: String
    /// What the field must be, phrased to follow the field name ("must be …").
    public let expectation: String
    /// The offending value as shown to a person (quoted when it holds spaces).
    public let value: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of rule broken.
    ///   - field: The field's name.
    ///   - expectation: What the field must be, starting with "must".
    ///   - value: The offending value, raw; it is quoted and shortened for display.
    public init(_ code: Code, field: String, expectation: String, value: String) {
        self.code = code
        self.field = field
        self.expectation = expectation
        self.value = Self.display(value)
    }

    /// Creates an error whose value is already phrased for a person (e.g. "51 characters").
    init(_ code: Code, field: String, expectation: String, shown: String) {
        self.code = code
        self.field = field
        self.expectation = expectation
        self.value = shown
    }

    /// `<field> <expectation>, got <value>`.
    public var description: String { "\(field) \(expectation), got \(value)" }

    /// `<field> <expectation>`, without the value: for a value read from PASI or the SIS, which
    /// may be a child's name, birth date or ASN and must not reach a log line or a job's error.
    public var withoutValue: String { "\(field) \(expectation)" }

    /// Plain tokens read best bare (`got 0`); anything with spaces, control characters
    /// or nothing at all is quoted and escaped so the reader sees exactly what was sent.
    /// Long values are cut, since the message is for a person, not for reproduction.
    static func display(_ raw: String) -> String {
        let cut = raw.count > 60 ? String(raw.prefix(57)) + "..." : raw
        let plain = !cut.isEmpty && cut.unicodeScalars.allSatisfy {
            $0.isASCII && $0.value > 0x20 && $0.value < 0x7F && $0 != "\""
        }
        return plain ? cut : cut.debugDescription
    }
}
