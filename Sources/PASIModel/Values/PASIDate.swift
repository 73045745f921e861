/// A calendar date without time or zone, as PASI exchanges birth, entry, exit,
/// effective and expiry dates; written `YYYY-MM-DD`.
///
/// Kept free of Foundation: PASI dates are plain civil dates, and a `Date` would
/// invite time-zone shifts of a day.
public struct PASIDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1–9999.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, valid for the month and year.
    public let day: Int

    /// Creates a date, refusing days that do not exist (2023-02-29).
    /// - Parameters:
    ///   - year: 1–9999.
    ///   - month: 1–12.
    ///   - day: 1 to the month's length.
    /// - Throws: ``PASIModelError`` with code `outOfRange`.
    public init(year: Int, month: Int, day: Int) throws(PASIModelError) {
        let shown = "\(year)-\(month)-\(day)"
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...Self.daysIn(month: month, year: year)).contains(day)
        else {
            throw PASIModelError(.outOfRange, field: "date", expectation: "must be a real calendar date", value: shown)
        }
        (self.year, self.month, self.day) = (year, month, day)
    }

    /// Parses `YYYY-MM-DD`.
    /// - Parameter text: The date as written.
    /// - Throws: ``PASIModelError`` with code `invalidFormat` or `outOfRange`.
    public init(_ text: String) throws(PASIModelError) {
        // `YYYY-MM-DD` read on bytes first: splitting costs more than the rest of reading a record.
        if text.utf8.count == 10 {
            var fields = (year: 0, month: 0, day: 0), shaped = true
            for (offset, byte) in text.utf8.enumerated() {
                if offset == 4 || offset == 7 {
                    shaped = shaped && byte == UInt8(ascii: "-")
                    continue
                }
                guard shaped, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else {
                    shaped = false
                    break
                }
                let digit = Int(byte - UInt8(ascii: "0"))
                switch offset {
                case 0..<4: fields.year = fields.year * 10 + digit
                case 5, 6: fields.month = fields.month * 10 + digit
                default: fields.day = fields.day * 10 + digit
                }
            }
            if shaped {
                try self.init(year: fields.year, month: fields.month, day: fields.day)
                return
            }
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.map(\.count) == [4, 2, 2],
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else {
            throw PASIModelError(.invalidFormat, field: "date", expectation: "must be written YYYY-MM-DD", value: text)
        }
        try self.init(year: year, month: month, day: day)
    }

    /// `YYYY-MM-DD`.
    public var description: String {
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Earlier dates first.
    public static func < (lhs: PASIDate, rhs: PASIDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year.isMultiple(of: 4) && !year.isMultiple(of: 100)) || year.isMultiple(of: 400) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Refuses `end` before `start`; shared by every effective/expiry and entry/exit pair.
    /// - Parameters:
    ///   - start: The first date, if any.
    ///   - end: The last date, if any.
    ///   - field: Names the pair, e.g. `Address.expiryDate`.
    static func checkOrder(_ start: PASIDate?, _ end: PASIDate?, field: String) throws(PASIModelError) {
        if let start, let end, end < start {
            throw PASIModelError(.inconsistent, field: field, expectation: "must not be before \(start)", value: end.description)
        }
    }
}

/// Encodes as `YYYY-MM-DD`.
extension PASIDate: Codable {
    /// Decodes `YYYY-MM-DD`.
    public init(from decoder: any Decoder) throws {
        try self.init(decoder.singleValueContainer().decode(String.self))
    }

    /// Encodes `YYYY-MM-DD`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
