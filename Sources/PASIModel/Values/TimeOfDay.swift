/// A wall-clock time of day in the district's local time, written `HH:MM`; used for the
/// schedule times of the settings catalogue (e.g. reconciliation at 03:00).
public struct TimeOfDay: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The hour, 0–23.
    public let hour: Int
    /// The minute, 0–59.
    public let minute: Int

    /// Creates a time of day.
    /// - Parameters:
    ///   - hour: 0–23.
    ///   - minute: 0–59.
    /// - Throws: ``PASIModelError`` with code `outOfRange`.
    public init(hour: Int, minute: Int) throws(PASIModelError) {
        guard (0...23).contains(hour), (0...59).contains(minute) else {
            throw PASIModelError(.outOfRange, field: "time", expectation: "must be a time from 00:00 to 23:59", value: "\(hour):\(minute)")
        }
        (self.hour, self.minute) = (hour, minute)
    }

    /// Parses `HH:MM` or `H:MM` (the seed writes "3:00").
    /// - Parameter text: The time as written.
    /// - Throws: ``PASIModelError`` with code `invalidFormat` or `outOfRange`.
    public init(_ text: String) throws(PASIModelError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let hour = Int(parts[0]), let minute = Int(parts[1])
        else {
            throw PASIModelError(.invalidFormat, field: "time", expectation: "must be written HH:MM", value: text)
        }
        try self.init(hour: hour, minute: minute)
    }

    /// `HH:MM`, e.g. `03:00`.
    public var description: String {
        (hour < 10 ? "0" : "") + "\(hour):" + (minute < 10 ? "0" : "") + "\(minute)"
    }

    /// Earlier times first.
    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool { (lhs.hour, lhs.minute) < (rhs.hour, rhs.minute) }
}

/// Encodes as `HH:MM`.
extension TimeOfDay: Codable {
    /// Decodes `HH:MM`.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `HH:MM`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
