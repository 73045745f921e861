/// A civil date inside the generator. Every date it makes is valid by construction
/// (days never exceed 28 unless the month is known), so it skips `PASIDate`'s checks
/// for speed; ``text`` is the same `YYYY-MM-DD` form.
struct Day: Sendable, Hashable, Comparable {
    var year: Int
    var month: Int
    var day: Int

    /// `YYYY-MM-DD`.
    var text: String { pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) }

    static func < (lhs: Day, rhs: Day) -> Bool { (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day) }
}

/// Zero-pads a non-negative number to `width` digits.
func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

/// Deterministic GUID text (version 4 shape, 8-4-4-4-12 lowercase hex) from 128 random
/// bits; what PASI's `RefId` parser accepts.
func guidText(_ high: UInt64, _ low: UInt64) -> String {
    let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    var bytes = [UInt8](repeating: 0, count: 16)
    for i in 0..<8 {
        bytes[i] = UInt8(truncatingIfNeeded: high >> (56 - 8 * UInt64(i)))
        bytes[8 + i] = UInt8(truncatingIfNeeded: low >> (56 - 8 * UInt64(i)))
    }
    bytes[6] = (bytes[6] & 0x0F) | 0x40  // version 4
    bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 4122 variant
    var out = [UInt8]()
    out.reserveCapacity(36)
    for (i, byte) in bytes.enumerated() {
        if i == 4 || i == 6 || i == 8 || i == 10 { out.append(0x2D) }
        out.append(hexDigits[Int(byte >> 4)])
        out.append(hexDigits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
}
