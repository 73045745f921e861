/// A PASI `RefId`: a GUID naming one record. For a school enrolment the client chooses
/// it, so resubmitting the same enrolment is idempotent.
///
/// Held as 32 lowercase hex digits in the usual 8-4-4-4-12 form; parsing accepts either
/// case, because .NET writes GUIDs in either.
public struct RefId: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The GUID in lowercase, e.g. `0f8fad5b-d9cb-469f-a165-70867728950e`.
    public let value: String

    /// Parses a GUID written 8-4-4-4-12 hex digits, optionally in braces.
    /// - Parameter text: The GUID as written.
    /// - Throws: ``PASIModelError`` with code `invalidFormat`.
    public init(_ text: String) throws(PASIModelError) {
        if Self.isLowercaseGUID(text.utf8) {
            value = text
            return
        }
        var body = Substring(text)
        if body.first == "{", body.last == "}" { body = body.dropFirst().dropLast() }
        let groups = body.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12], groups.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isHexDigit } }) else {
            throw PASIModelError(.invalidFormat, field: "RefId", expectation: "must be a GUID written xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", value: text)
        }
        value = body.lowercased()
    }

    /// Whether `bytes` are a GUID already in the form kept (what PASI and this project send),
    /// checked on bytes: the general parse costs more than the rest of reading a record.
    private static func isLowercaseGUID(_ bytes: String.UTF8View) -> Bool {
        guard bytes.count == 36 else { return false }
        for (offset, byte) in bytes.enumerated() {
            if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                guard byte == UInt8(ascii: "-") else { return false }
            } else {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return false }
            }
        }
        return true
    }

    /// A new random (version 4) GUID, for records this client creates.
    /// - Parameter generator: The randomness source; pass a seeded one in tests.
    public static func random(using generator: inout some RandomNumberGenerator) -> RefId {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
        let hex = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
        let text = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }.joined(separator: "-")
        // The text is built in the exact form init(_:) accepts.
        return try! RefId(text)
    }

    /// A new random (version 4) GUID from the system's random source.
    public static func random() -> RefId {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    /// The lowercase GUID.
    public var description: String { value }

    /// Orders by text, for stable listings and hashes.
    public static func < (lhs: RefId, rhs: RefId) -> Bool { lhs.value < rhs.value }
}

/// Encodes as the lowercase GUID text.
extension RefId: Codable {
    /// Decodes GUID text.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes the lowercase GUID text.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(value)
    }
}
