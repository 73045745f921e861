/// Where one field of a row lies in the scanned bytes.
///
/// `start..<end` holds the value's bytes: inside the quotes when the field was quoted, with any
/// doubled quote (`""`) still doubled when ``escaped`` is true. The field as it was written, quotes
/// included, is ``rawStart``..<``rawEnd``.
public struct CSVFieldRange: Sendable, Hashable {
    /// The first byte of the value.
    public var start: Int
    /// One past the last byte of the value.
    public var end: Int
    /// The field was written between double quotes.
    public var quoted: Bool
    /// The value holds a doubled quote that stands for one quote.
    public var escaped: Bool

    /// The first byte of the field as written (its opening quote when quoted).
    public var rawStart: Int { quoted ? start - 1 : start }
    /// One past the last byte of the field as written (past its closing quote when quoted).
    public var rawEnd: Int { quoted ? end + 1 : end }
}

/// A syntax error of a CSV file, with the place where it was found (both 1-based; the column
/// counts characters, not bytes).
public struct CSVSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line of the file, counting every line break, also those inside quoted fields.
    public var line: Int
    /// The character of that line.
    public var column: Int
    /// What is wrong, e.g. `a quoted field is never closed`.
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// A strict RFC 4180 reader over bytes in memory: it finds rows and the ranges of their fields
/// without copying them, and refuses what is not CSV with the line and column of the fault.
///
/// Accepted: fields separated by commas, rows ended by CRLF, LF or a lone CR; fields quoted with
/// `"` that may hold commas, line breaks and doubled quotes; blank lines (skipped, so blank
/// trailing lines are harmless). Refused: a quote inside an unquoted field, anything but a comma or
/// a line end after a closing quote, a quoted field that is never closed, a NUL byte, and text that
/// is not UTF-8. The caller keeps the bytes alive while the scanner is used.
public struct CSVScanner {
    /// The bytes scanned.
    public let bytes: UnsafeBufferPointer<UInt8>
    /// The fields of the row last returned by ``nextRow()``.
    public private(set) var fields: [CSVFieldRange] = []
    /// The line on which the last row begins.
    public private(set) var rowLine = 0
    /// The first byte of the last row.
    public private(set) var rowStart = 0
    /// One past the last byte of the last row, its line end excluded.
    public private(set) var rowEnd = 0
    /// Whether the last row ended with CRLF (false for LF, a lone CR or the end of the bytes).
    public private(set) var rowEndedWithCRLF = false

    private var position: Int
    private var line: Int
    private var lineStart: Int

    /// A scanner that starts at `offset`, which it counts as the start of line `line`.
    public init(bytes: UnsafeBufferPointer<UInt8>, offset: Int = 0, line: Int = 1) {
        self.bytes = bytes
        self.position = offset
        self.line = line
        self.lineStart = offset
        fields.reserveCapacity(32)
    }

    /// Moves to `offset`, counted as the start of line `line`, keeping the field storage.
    public mutating func seek(to offset: Int, line: Int = 1) {
        position = offset
        self.line = line
        lineStart = offset
    }

    /// The offset of the next byte to scan.
    public var offset: Int { position }
    /// The line of the next byte to scan.
    public var nextLine: Int { line }

    /// The 1-based character column of byte `offset` in `bytes`, counted from the line break before it.
    public static func column(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var start = min(offset, bytes.count)
        while start > 0 && bytes[start - 1] != lf && bytes[start - 1] != cr { start -= 1 }
        return column(from: start, to: offset, in: bytes)
    }

    /// The 1-based character column of byte `offset` on a line that begins at byte `lineStart`.
    static func column(from lineStart: Int, to offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var column = 1
        var i = lineStart
        while i < offset {
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return column
    }

    private static let quote: UInt8 = 0x22
    private static let comma: UInt8 = 0x2C
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    /// Reads the next row that is not blank.
    /// - Returns: false at the end of the bytes; otherwise ``fields`` holds the row.
    /// - Throws: ``CSVSyntaxError`` for input that is not CSV.
    public mutating func nextRow() throws(CSVSyntaxError) -> Bool {
        fields.removeAll(keepingCapacity: true)
        let count = bytes.count
        // The position in a register while the row is read.
        var position = self.position
        defer { self.position = position }
        // Blank lines.
        while position < count {
            let b = bytes[position]
            if b == Self.lf {
                position += 1
            } else if b == Self.cr {
                position += 1
                if position < count && bytes[position] == Self.lf { position += 1 }
            } else {
                break
            }
            line += 1
            lineStart = position
        }
        if position >= count { return false }
        rowStart = position
        rowLine = line
        var high: UInt8 = 0
        // Eight bytes at a time up to the next byte that needs a look (a quote, a comma outside
        // quotes, a control byte such as a line end or NUL). `highWords` collects the top bits of
        // the bytes skipped so, for the UTF-8 check.
        var highWords: UInt64 = 0
        let base = UnsafeRawPointer(bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!)
        while true {
            if position < count && bytes[position] == Self.quote {
                let openLine = line, openLineStart = lineStart, openOffset = position
                position += 1
                let start = position
                var escaped = false
                while true {
                    while position + 8 <= count {
                        let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                        let found = Self.specialInQuoted(word)
                        if found != 0 {
                            // Straight to the first byte that needs a look (the lowest flagged one
                            // is exact).
                            let k = found.trailingZeroBitCount >> 3
                            highWords |= word & ((1 << (UInt64(k) << 3)) &- 1)
                            position += k
                            break
                        }
                        highWords |= word
                        position += 8
                    }
                    guard position < count else {
                        throw CSVSyntaxError(line: openLine, column: Self.column(from: openLineStart, to: openOffset, in: bytes),
                                             message: "a quoted field is never closed")
                    }
                    let b = bytes[position]
                    high |= b
                    // Every byte that needs a look (quote, line ends, NUL) is below 0x23.
                    if b > Self.quote {
                        position += 1
                        continue
                    }
                    if b == Self.quote {
                        if position + 1 < count && bytes[position + 1] == Self.quote {
                            escaped = true
                            position += 2
                            continue
                        }
                        break
                    }
                    if b == Self.lf || (b == Self.cr && !(position + 1 < count && bytes[position + 1] == Self.lf)) {
                        line += 1
                        lineStart = position + 1
                    } else if b == 0 {
                        throw fault(at: position, "a NUL byte (this is not a text file)")
                    }
                    position += 1
                }
                fields.append(CSVFieldRange(start: start, end: position, quoted: true, escaped: escaped))
                position += 1
                if position < count {
                    let b = bytes[position]
                    if b != Self.comma && b != Self.lf && b != Self.cr {
                        throw fault(at: position, "expected a comma or a line end after the closing quote")
                    }
                }
            } else {
                let start = position
                while position < count {
                    while position + 8 <= count {
                        let word = base.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                        let found = Self.specialInUnquoted(word)
                        if found != 0 {
                            let k = found.trailingZeroBitCount >> 3
                            highWords |= word & ((1 << (UInt64(k) << 3)) &- 1)
                            position += k
                            break
                        }
                        highWords |= word
                        position += 8
                    }
                    guard position < count else { break }
                    let b = bytes[position]
                    // Every byte that ends or breaks an unquoted field is at most a comma (0x2C).
                    if b > Self.comma {
                        high |= b
                        position += 1
                        continue
                    }
                    if b == Self.comma || b == Self.lf || b == Self.cr { break }
                    if b == Self.quote { throw fault(at: position, "a quote inside a field that is not quoted") }
                    if b == 0 { throw fault(at: position, "a NUL byte (this is not a text file)") }
                    high |= b
                    position += 1
                }
                fields.append(CSVFieldRange(start: start, end: position, quoted: false, escaped: false))
            }
            if position >= count {
                rowEnd = position
                rowEndedWithCRLF = false
                break
            }
            let b = bytes[position]
            if b == Self.comma {
                position += 1
                continue
            }
            rowEnd = position
            position += 1
            rowEndedWithCRLF = false
            if b == Self.cr && position < count && bytes[position] == Self.lf {
                position += 1
                rowEndedWithCRLF = true
            }
            line += 1
            lineStart = position
            break
        }
        if high >= 0x80 || highWords & 0x8080_8080_8080_8080 != 0 { try checkUTF8() }
        return true
    }

    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let tops: UInt64 = 0x8080_8080_8080_8080

    /// A top bit in each byte of `word` below 0x0E (NUL, LF and CR among them), by the bit trick
    /// of "Bit Twiddling Hacks" (hasless): zero when there is none, and the lowest set bit is
    /// that of the first such byte (a borrow can flag only bytes above a true one).
    @inline(__always)
    static func controls(_ word: UInt64) -> UInt64 {
        (word &- ones &* 0x0E) & ~word & tops
    }

    /// The same for the bytes equal to `byte` (haszero of the word xor the byte).
    @inline(__always)
    static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        let v = word ^ (ones &* UInt64(byte))
        return (v &- ones) & ~v & tops
    }

    /// Bytes that need a look inside a quoted field: a quote, or a control byte (line ends, NUL).
    @inline(__always)
    static func specialInQuoted(_ word: UInt64) -> UInt64 { controls(word) | equal(word, quote) }

    /// Bytes that need a look in an unquoted field: a comma, a quote, or a control byte.
    @inline(__always)
    static func specialInUnquoted(_ word: UInt64) -> UInt64 { controls(word) | equal(word, quote) | equal(word, comma) }

    /// The value of field `index` of the last row as a string (quotes undoubled).
    public func string(_ index: Int) -> String {
        let field = fields[index]
        return Self.value(of: field, in: bytes)
    }

    /// The value of a field as a string (quotes undoubled); invalid UTF-8 is repaired.
    public static func value(of field: CSVFieldRange, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        let slice = UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])
        guard field.escaped else { return String(decoding: slice, as: UTF8.self) }
        var unescaped: [UInt8] = []
        unescaped.reserveCapacity(slice.count)
        var i = 0
        while i < slice.count {
            unescaped.append(slice[i])
            i += slice[i] == quote ? 2 : 1
        }
        return String(decoding: unescaped, as: UTF8.self)
    }

    /// The 1-based character column of byte `offset`, which lies on the current line.
    private func column(of offset: Int) -> Int {
        Self.column(from: lineStart, to: offset, in: bytes)
    }

    private func fault(at offset: Int, _ message: String) -> CSVSyntaxError {
        CSVSyntaxError(line: line, column: column(of: offset), message: message)
    }

    /// Refuses a row that is not UTF-8, naming the line and column of its first bad byte.
    private func checkUTF8() throws(CSVSyntaxError) {
        guard let bad = Self.firstInvalidUTF8(bytes, from: rowStart, to: rowEnd) else { return }
        var line = rowLine, lineStart = rowStart
        var i = rowStart
        while i < bad {
            if bytes[i] == Self.lf || (bytes[i] == Self.cr && !(i + 1 < rowEnd && bytes[i + 1] == Self.lf)) { line += 1; lineStart = i + 1 }
            i += 1
        }
        throw CSVSyntaxError(line: line, column: Self.column(from: lineStart, to: bad, in: bytes), message: "bytes that are not UTF-8 text")
    }

    /// The offset of the first byte in `from..<to` that does not begin a well-formed UTF-8
    /// sequence, or nil when the range is UTF-8.
    static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int) -> Int? {
        var i = from
        while i < to {
            let b = bytes[i]
            if b < 0x80 { i += 1; continue }
            let length: Int
            var minimum: UInt32
            var scalar: UInt32
            switch b {
            case 0xC2...0xDF: length = 2; minimum = 0x80; scalar = UInt32(b & 0x1F)
            case 0xE0...0xEF: length = 3; minimum = 0x800; scalar = UInt32(b & 0x0F)
            case 0xF0...0xF4: length = 4; minimum = 0x10000; scalar = UInt32(b & 0x07)
            default: return i
            }
            guard i + length <= to else { return i }
            for k in 1..<length {
                let c = bytes[i + k]
                guard c & 0xC0 == 0x80 else { return i }
                scalar = scalar << 6 | UInt32(c & 0x3F)
            }
            if scalar < minimum || scalar > 0x10FFFF || (0xD800...0xDFFF).contains(scalar) { return i }
            i += length
        }
        return nil
    }
}
