/// An Alberta Student Number (PASI's `StateProvinceId`): nine digits, shown `####-####-#`.
///
/// The last digit is a check digit. Alberta Education does not publish its algorithm,
/// so this project uses the **Luhn (mod 10) algorithm over the first eight digits**:
/// walking from the eighth digit leftwards, every other digit starting with the eighth
/// is doubled (subtracting 9 when the result exceeds 9), all eight are summed and the
/// check digit is `(10 - sum % 10) % 10`. Because the real algorithm may differ, the
/// check is switchable (``CheckDigitPolicy``); an ASN that PASI itself sends should be
/// read with `.ignored`, since PASI is the authority on its own numbers.
public struct ASN: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whether parsing verifies the check digit.
    public enum CheckDigitPolicy: Sendable, Hashable {
        /// Refuse an ASN whose last digit is not the Luhn check digit of the first eight.
        case enforced
        /// Accept any nine digits.
        case ignored
    }

    /// The nine digits without separators, e.g. `123456782`.
    public let digits: String

    /// Parses an ASN written as nine digits (`123456782`) or grouped (`1234-5678-2`).
    /// - Parameters:
    ///   - text: The ASN as typed or received.
    ///   - checkDigit: Whether to verify the check digit; enforced unless told otherwise.
    /// - Throws: ``PASIModelError`` with code `invalidFormat` or `invalidCheckDigit`.
    public init(_ text: String, checkDigit: CheckDigitPolicy = .enforced) throws(PASIModelError) {
        var characters = Array(text)
        if characters.count == 11, characters[4] == "-", characters[9] == "-" {
            characters.remove(at: 9)
            characters.remove(at: 4)
        }
        guard characters.count == 9, characters.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PASIModelError(.invalidFormat, field: "ASN", expectation: "must be nine digits, written 123456789 or 1234-5678-9", value: text)
        }
        let digits = String(characters)
        if checkDigit == .enforced {
            let expected = Self.checkDigit(forPrefix: digits.prefix(8))
            guard digits.last?.wholeNumberValue == expected else {
                throw PASIModelError(.invalidCheckDigit, field: "ASN", expectation: "must end in its check digit \(expected)", value: text)
            }
        }
        self.digits = digits
    }

    /// Makes a valid ASN from its first eight digits by appending the check digit;
    /// meant for tests and synthetic data.
    /// - Parameter prefix: Eight digits.
    /// - Throws: ``PASIModelError`` with code `invalidFormat` if `prefix` is not eight digits.
    public static func withCheckDigit(prefix: String) throws(PASIModelError) -> ASN {
        guard prefix.utf8.count == 8, prefix.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw PASIModelError(.invalidFormat, field: "ASN prefix", expectation: "must be eight digits", value: prefix)
        }
        return try ASN(prefix + String(checkDigit(forPrefix: Substring(prefix))), checkDigit: .enforced)
    }

    /// The Luhn check digit of eight ASCII digits (see the type's documentation).
    /// - Parameter prefix: Exactly eight ASCII digits; callers check the shape first.
    public static func checkDigit(forPrefix prefix: Substring) -> Int {
        var sum = 0
        for (offset, character) in prefix.reversed().enumerated() {
            var digit = character.wholeNumberValue ?? 0
            if offset.isMultiple(of: 2) {
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return (10 - sum % 10) % 10
    }

    /// Whether the last digit matches the Luhn check digit; useful to flag, rather than
    /// refuse, an ASN that was read with `.ignored`.
    public var hasValidCheckDigit: Bool {
        Self.checkDigit(forPrefix: digits.prefix(8)) == digits.last?.wholeNumberValue
    }

    /// The display form `####-####-#`.
    public var formatted: String {
        let d = Array(digits)
        return String(d[0..<4]) + "-" + String(d[4..<8]) + "-" + String(d[8])
    }

    /// The display form `####-####-#`.
    public var description: String { formatted }

    /// Orders by digits, i.e. numerically.
    public static func < (lhs: ASN, rhs: ASN) -> Bool { lhs.digits < rhs.digits }
}

/// Encodes as the nine bare digits. Decoding accepts either form and ignores the check
/// digit: stored ASNs came from PASI or passed the check when entered.
extension ASN: Codable {
    /// Decodes an ASN, checking its shape but not its check digit.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self), checkDigit: .ignored)
    }

    /// Encodes the nine bare digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(digits)
    }
}
