/// A PASI grade code: exactly two characters, upper-case ASCII letters or digits.
///
/// The authoritative list arrives from PASI through `GetCodeValues` and can change, so
/// only the shape is enforced here. ``known`` documents this project's working list
/// (PASI's full list is not public): `EC` early childhood services (pre-kindergarten),
/// `KG` kindergarten, `01`–`12` grades one to twelve, and `UG` ungraded.
public struct GradeCode: Sendable, Hashable, CustomStringConvertible {
    /// The two characters, e.g. `KG` or `07`.
    public let code: String

    /// The grade codes this project knows; see the type's documentation.
    public static let known: [GradeCode] =
        (["EC", "KG"] + (1...12).map { $0 < 10 ? "0\($0)" : "\($0)" } + ["UG"]).map(GradeCode.init(unchecked:))

    /// Parses a two-character code.
    /// - Parameter text: The code as written.
    /// - Throws: ``PASIModelError`` with code `invalidFormat`.
    public init(_ text: String) throws(PASIModelError) {
        guard text.count == 2, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) else {
            throw PASIModelError(.invalidFormat, field: "GradeCode", expectation: "must be two upper-case letters or digits", value: text)
        }
        code = text
    }

    init(unchecked code: String) { self.code = code }

    /// Whether the code is on the project's ``known`` list.
    public var isKnown: Bool { Self.known.contains(self) }

    /// The two characters.
    public var description: String { code }
}

/// Encodes as the two characters.
extension GradeCode: Codable {
    /// Decodes a two-character code.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the two characters.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(code)
    }
}
