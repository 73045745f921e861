/// Checks shared by the entity initializers, so each rule reads the same everywhere.
enum Rule {
    /// An optional PASI string: `nil` passes, anything else must obey ``PASIString``.
    static func text(_ value: String?, _ field: String, max: Int? = nil) throws(PASIModelError) {
        if let value { try PASIString.validate(value, field: field, maxLength: max) }
    }

    /// A required, non-empty PASI string (names, code values).
    static func required(_ value: String, _ field: String, max: Int? = nil) throws(PASIModelError) {
        try PASIString.validateRequired(value, field: field, maxLength: max)
    }

    /// An optional PASI string that, when present, must not be empty.
    static func required(_ value: String?, _ field: String, max: Int? = nil) throws(PASIModelError) {
        if let value { try PASIString.validateRequired(value, field: field, maxLength: max) }
    }

    /// An optional integer within a range.
    static func range(_ value: Int?, _ range: ClosedRange<Int>, _ field: String) throws(PASIModelError) {
        if let value, !range.contains(value) {
            throw PASIModelError(.outOfRange, field: field, expectation: "must be an integer from \(range.lowerBound) to \(range.upperBound)", value: String(value))
        }
    }

    /// An optional count or quantity that cannot be negative.
    static func nonNegative(_ value: Int?, _ field: String) throws(PASIModelError) {
        if let value, value < 0 {
            throw PASIModelError(.outOfRange, field: field, expectation: "must be 0 or more", value: String(value))
        }
    }

    /// A `PASICoreVersion`: 0 for a record not yet in PASI, else what PASI returned.
    static func version(_ value: Int64, _ field: String) throws(PASIModelError) {
        if value < 0 {
            throw PASIModelError(.outOfRange, field: field, expectation: "must be 0 or more", value: String(value))
        }
    }

    /// A list of code values: at most `max` items, each a non-empty PASI string, none twice
    /// unless `repeats` (a repeat PASI itself saves with a Warning).
    static func codes(_ values: [String], max: Int, repeats: Bool = false, _ field: String) throws(PASIModelError) {
        if values.count > max {
            throw PASIModelError(.tooMany, field: field, expectation: "must hold at most \(max) codes", value: values.joined(separator: ","))
        }
        var seen: Set<String> = []
        for value in values {
            try required(value, field)
            if !seen.insert(value).inserted, !repeats {
                throw PASIModelError(.duplicate, field: field, expectation: "must not repeat a code", value: value)
            }
        }
    }
}

/// Short names for decoding entity fields, so each `init(from:)` reads as a list of
/// fields handed to the validating initializer.
extension KeyedDecodingContainer {
    func value<T: Decodable>(_ key: Key) throws -> T { try decode(T.self, forKey: key) }
    func optional<T: Decodable>(_ key: Key) throws -> T? { try decodeIfPresent(T.self, forKey: key) }
}
