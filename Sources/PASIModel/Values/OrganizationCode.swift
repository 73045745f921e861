/// A four-digit PASI organization number (`NNNN`): a school code, an authority (board)
/// number such as a resident board, or the number inside an ``OrganizationCode``.
public struct OrganizationNumber: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The number, 0–9999.
    public let value: Int

    /// Parses exactly four digits, e.g. `0042`.
    /// - Parameters:
    ///   - text: The number as written.
    ///   - field: Names the field in an error, e.g. `SchoolEnrolment.schoolCode`.
    /// - Throws: ``PASIModelError`` with code `invalidFormat`.
    public init(_ text: String, field: String = "organization number") throws(PASIModelError) {
        guard text.count == 4, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) else {
            throw PASIModelError(.invalidFormat, field: field, expectation: "must be four digits (NNNN)", value: text)
        }
        self.value = value
    }

    /// Creates a number from its value.
    /// - Parameters:
    ///   - value: 0–9999.
    ///   - field: Names the field in an error.
    /// - Throws: ``PASIModelError`` with code `outOfRange`.
    public init(_ value: Int, field: String = "organization number") throws(PASIModelError) {
        guard (0...9999).contains(value) else {
            throw PASIModelError(.outOfRange, field: field, expectation: "must be a number from 0000 to 9999", value: String(value))
        }
        self.value = value
    }

    /// The four digits, zero-padded.
    public var description: String {
        let digits = String(value)
        return String(repeating: "0", count: 4 - digits.count) + digits
    }

    /// Numeric order.
    public static func < (lhs: OrganizationNumber, rhs: OrganizationNumber) -> Bool { lhs.value < rhs.value }
}

/// Encodes as the four-digit text.
extension OrganizationNumber: Codable {
    /// Decodes four-digit text.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes four-digit text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A PASI organization code `T.NNNN`: a kind letter and a four-digit number, e.g.
/// `A.0042` for a school authority. `CallerInfo.User.OrganizationCode` must be the
/// authority form; PASI answers a wrong one with exception 1008.
public struct OrganizationCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The kind of organization, the letter before the dot.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// `S`: a school.
        case school = "S"
        /// `A`: a school authority (district, division).
        case authority = "A"
        /// `O`: any other organization.
        case other = "O"
    }

    /// The kind letter.
    public let kind: Kind
    /// The four-digit number.
    public let number: OrganizationNumber

    /// Creates a code from its parts.
    /// - Parameters:
    ///   - kind: The kind letter.
    ///   - number: The four-digit number.
    public init(kind: Kind, number: OrganizationNumber) {
        self.kind = kind
        self.number = number
    }

    /// Parses `T.NNNN` with T one of S, A, O (upper case, as PASI writes it).
    /// - Parameter text: The code as written.
    /// - Throws: ``PASIModelError`` with code `invalidFormat`.
    public init(_ text: String) throws(PASIModelError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let kind = Kind(rawValue: String(parts[0])),
              let number = try? OrganizationNumber(String(parts[1]))
        else {
            throw PASIModelError(.invalidFormat, field: "OrganizationCode", expectation: "must be T.NNNN with T one of S, A, O", value: text)
        }
        self.init(kind: kind, number: number)
    }

    /// Parses an authority code `A.NNNN`, the only form the caller information accepts.
    /// - Parameters:
    ///   - text: The code as written.
    ///   - field: Names the field in an error.
    /// - Throws: ``PASIModelError`` with code `invalidFormat`.
    public static func authority(_ text: String, field: String = "OrganizationCode") throws(PASIModelError) -> OrganizationCode {
        guard let code = try? OrganizationCode(text), code.kind == .authority else {
            throw PASIModelError(.invalidFormat, field: field, expectation: "must be an authority code A.NNNN", value: text)
        }
        return code
    }

    /// `T.NNNN`.
    public var description: String { "\(kind.rawValue).\(number)" }

    /// Orders by kind letter, then number.
    public static func < (lhs: OrganizationCode, rhs: OrganizationCode) -> Bool {
        (lhs.kind.rawValue, lhs.number.value) < (rhs.kind.rawValue, rhs.number.value)
    }
}

/// Encodes as `T.NNNN`.
extension OrganizationCode: Codable {
    /// Decodes `T.NNNN`.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `T.NNNN`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
