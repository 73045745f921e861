/// A whole XML document read into one flat array of elements: each element's local name,
/// its parent, first child and next sibling, and the byte range of its content. Text is
/// turned into strings only when a decoder asks for it, so an element nobody reads costs
/// a few comparisons.
///
/// The scanner takes what XML 1.0 well-formedness asks of the messages PASI Core sends:
/// matching tags, quoted attributes, the five predefined entities and character references,
/// CDATA sections, comments and processing instructions, no control characters; namespace
/// prefixes are dropped from names (as `XMLParser` with `shouldProcessNamespaces` reports
/// them) and attributes are checked but not kept, since the contract has none. A DOCTYPE is
/// refused rather than read: no message needs one, and entity definitions are a way in for
/// attacks. The bytes must be UTF-8, the only encoding this project writes.
struct XMLTree {
    /// One element.
    struct Element {
        /// Where the qualified name starts (`s:Body`), and where its local part starts (`Body`).
        var qualifiedNameStart: Int
        var nameStart: Int
        var nameEnd: Int
        /// The bytes between the start tag and the end tag; empty for `<a/>`.
        var contentStart: Int
        var contentEnd: Int
        /// Whether the content is text as it stands: no reference, no markup, no carriage return.
        var isPlainText = true
        var parent: Int
        var firstChild = -1
        var nextSibling = -1
    }

    /// What cannot be read, and the byte offset where it was found.
    struct SyntaxError: Error {
        let offset: Int
        let problem: String
    }

    let bytes: [UInt8]
    private(set) var elements: [Element] = []

    /// Reads `bytes`.
    /// - Throws: ``SyntaxError`` at the first thing that is not well formed.
    init(_ bytes: [UInt8]) throws(SyntaxError) {
        self.bytes = bytes
        elements.reserveCapacity(bytes.count / 24)
        try scan()
    }

    /// The root element's index (always 0: elements are kept in document order).
    var root: Int { 0 }

    /// The local name of `element`.
    func name(_ element: Int) -> String {
        String(decoding: bytes[elements[element].nameStart..<elements[element].nameEnd], as: UTF8.self)
    }

    /// Whether the local name of `element` is `name` (UTF-8 bytes).
    func hasName(_ element: Int, _ name: [UInt8]) -> Bool {
        let e = elements[element]
        guard e.nameEnd - e.nameStart == name.count, !name.isEmpty else { return false }
        return bytes.withUnsafeBufferPointer { all in
            name.withUnsafeBufferPointer { wanted in
                memcmpEqual(all.baseAddress! + e.nameStart, wanted.baseAddress!, wanted.count)
            }
        }
    }

    /// Whether two elements have the same local name.
    func haveSameName(_ a: Int, _ b: Int) -> Bool {
        let (x, y) = (elements[a], elements[b])
        return x.nameEnd - x.nameStart == y.nameEnd - y.nameStart && bytes[x.nameStart..<x.nameEnd].elementsEqual(bytes[y.nameStart..<y.nameEnd])
    }

    /// The 1-based line and column of a byte offset, for error messages.
    static func position(of offset: Int, in bytes: some Collection<UInt8>) -> (line: Int, column: Int) {
        var line = 1, lineStart = 0
        for (index, byte) in bytes.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }

    /// The text of `element`, with references resolved and CDATA unwrapped.
    /// - Returns: `nil` when the element holds elements or its bytes are not UTF-8.
    func text(_ element: Int) -> String? {
        let e = elements[element]
        guard e.firstChild < 0 else { return nil }
        if e.isPlainText {
            return bytes.withUnsafeBufferPointer { String(validating: UnsafeBufferPointer(rebasing: $0[e.contentStart..<e.contentEnd]), as: UTF8.self) }
        }
        guard let resolved = resolveText(e.contentStart, e.contentEnd) else { return nil }
        return String(validating: resolved, as: UTF8.self)
    }

    /// The raw bytes of a plain-text element, for numbers and booleans read without a `String`.
    func plainBytes(_ element: Int) -> ArraySlice<UInt8>? {
        let e = elements[element]
        return e.isPlainText ? bytes[e.contentStart..<e.contentEnd] : nil
    }

    // MARK: - Scanning

    private mutating func scan() throws(SyntaxError) {
        var open: [(element: Int, lastChild: Int)] = []
        var rootClosed = false
        var i = 0
        let count = bytes.count
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }  // a UTF-8 byte order mark
        while i < count {
            // Character data up to the next markup.
            let textStart = i
            var plain = true
            while i < count, bytes[i] != UInt8(ascii: "<") {
                let byte = bytes[i]
                if byte < 0x20 {
                    if byte == UInt8(ascii: "\r") { plain = false } else if byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\t") {
                        throw SyntaxError(offset: i, problem: "control character \(byte) is not allowed in XML")
                    }
                } else if byte == UInt8(ascii: "&") {
                    plain = false
                    i = try checkReference(at: i)
                    continue
                }
                i += 1
            }
            if let top = open.last {
                if !plain { elements[top.element].isPlainText = false }
            } else if bytes[textStart..<i].contains(where: { !Self.isSpace($0) }) {
                throw SyntaxError(offset: textStart, problem: "text outside the root element")
            }
            guard i < count else { break }

            // Markup.
            let markup = i
            guard i + 1 < count else { throw SyntaxError(offset: i, problem: "the document ends inside a tag") }
            switch bytes[i + 1] {
            case UInt8(ascii: "/"):
                i += 2
                let nameStart = i
                while i < count, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                let nameEnd = i
                while i < count, Self.isSpace(bytes[i]) { i += 1 }
                guard i < count, bytes[i] == UInt8(ascii: ">") else { throw SyntaxError(offset: i, problem: "an end tag is not closed with >") }
                guard let top = open.popLast() else { throw SyntaxError(offset: markup, problem: "an end tag without a start tag") }
                let element = elements[top.element]
                guard bytes[element.qualifiedNameStart..<element.nameEnd].elementsEqual(bytes[nameStart..<nameEnd]) else {
                    throw SyntaxError(
                        offset: markup,
                        problem: "</\(String(decoding: bytes[nameStart..<nameEnd], as: UTF8.self))> closes <\(String(decoding: bytes[element.qualifiedNameStart..<element.nameEnd], as: UTF8.self))>")
                }
                elements[top.element].contentEnd = markup
                if open.isEmpty { rootClosed = true }
                i += 1
            case UInt8(ascii: "?"):
                i = try skip(past: Array("?>".utf8), from: i + 2, what: "a processing instruction")
                if let top = open.last { elements[top.element].isPlainText = false }
            case UInt8(ascii: "!"):
                if startsWith("<!--", at: i) {
                    i = try skip(past: Array("-->".utf8), from: i + 4, what: "a comment")
                } else if startsWith("<![CDATA[", at: i), !open.isEmpty {
                    i = try skip(past: Array("]]>".utf8), from: i + 9, what: "a CDATA section")
                } else if startsWith("<!DOCTYPE", at: i) {
                    throw SyntaxError(offset: i, problem: "a DOCTYPE is not accepted")
                } else {
                    throw SyntaxError(offset: i, problem: "markup <! that XML does not define here")
                }
                if let top = open.last { elements[top.element].isPlainText = false }
            default:
                guard !rootClosed else { throw SyntaxError(offset: markup, problem: "a second root element") }
                i += 1
                let qualifiedStart = i
                var localStart = i
                while i < count, !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">"), bytes[i] != UInt8(ascii: "/") {
                    if bytes[i] == UInt8(ascii: ":"), localStart == qualifiedStart { localStart = i + 1 }
                    i += 1
                }
                let nameEnd = i
                guard nameEnd > localStart, Self.isNameStart(bytes[qualifiedStart]) else {
                    throw SyntaxError(offset: markup, problem: "a tag without a valid name")
                }
                var selfClosing = false
                try skipAttributes(&i, selfClosing: &selfClosing)
                let index = elements.count
                let parent = open.last?.element ?? -1
                elements.append(Element(
                    qualifiedNameStart: qualifiedStart, nameStart: localStart, nameEnd: nameEnd,
                    contentStart: i, contentEnd: i, parent: parent))
                if let top = open.last {
                    if top.lastChild < 0 { elements[top.element].firstChild = index } else { elements[top.lastChild].nextSibling = index }
                    open[open.count - 1].lastChild = index
                    elements[top.element].isPlainText = false
                }
                if selfClosing {
                    if open.isEmpty { rootClosed = true }
                } else {
                    open.append((index, -1))
                }
            }
        }
        if let top = open.last {
            throw SyntaxError(offset: count, problem: "the document ends inside <\(String(decoding: bytes[elements[top.element].qualifiedNameStart..<elements[top.element].nameEnd], as: UTF8.self))>")
        }
        guard !elements.isEmpty else { throw SyntaxError(offset: count, problem: "no root element") }
    }

    /// Skips the attributes of a start tag and its closing `>` or `/>`.
    private func skipAttributes(_ i: inout Int, selfClosing: inout Bool) throws(SyntaxError) {
        let count = bytes.count
        while true {
            let hadSpace = i < count && Self.isSpace(bytes[i])
            while i < count, Self.isSpace(bytes[i]) { i += 1 }
            guard i < count else { throw SyntaxError(offset: i, problem: "the document ends inside a tag") }
            switch bytes[i] {
            case UInt8(ascii: ">"):
                i += 1
                return
            case UInt8(ascii: "/"):
                guard i + 1 < count, bytes[i + 1] == UInt8(ascii: ">") else { throw SyntaxError(offset: i, problem: "/ inside a tag") }
                selfClosing = true
                i += 2
                return
            default:
                guard hadSpace, Self.isNameStart(bytes[i]) else { throw SyntaxError(offset: i, problem: "an attribute without a valid name") }
                while i < count, bytes[i] != UInt8(ascii: "="), !Self.isSpace(bytes[i]), bytes[i] != UInt8(ascii: ">") { i += 1 }
                while i < count, Self.isSpace(bytes[i]) { i += 1 }
                guard i < count, bytes[i] == UInt8(ascii: "=") else { throw SyntaxError(offset: i, problem: "an attribute without a value") }
                i += 1
                while i < count, Self.isSpace(bytes[i]) { i += 1 }
                guard i < count, bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") else {
                    throw SyntaxError(offset: i, problem: "an attribute value without quotes")
                }
                let quote = bytes[i]
                i += 1
                while i < count, bytes[i] != quote {
                    if bytes[i] == UInt8(ascii: "<") { throw SyntaxError(offset: i, problem: "< inside an attribute value") }
                    if bytes[i] == UInt8(ascii: "&") { i = try checkReference(at: i) } else { i += 1 }
                }
                guard i < count else { throw SyntaxError(offset: i, problem: "the document ends inside an attribute value") }
                i += 1
            }
        }
    }

    /// Checks the reference at `i` (`&amp;`, `&#233;`, `&#xE9;` …) and returns the offset after it.
    private func checkReference(at i: Int) throws(SyntaxError) -> Int {
        guard let end = bytes[i...].prefix(12).firstIndex(of: UInt8(ascii: ";")),
              Self.referencedScalar(bytes[(i + 1)..<end]) != nil
        else {
            throw SyntaxError(offset: i, problem: "& that starts no reference XML defines (write &amp;)")
        }
        return end + 1
    }

    private func skip(past terminator: [UInt8], from start: Int, what: String) throws(SyntaxError) -> Int {
        var i = start
        while i + terminator.count <= bytes.count {
            if bytes[i] == terminator[0], bytes[i..<(i + terminator.count)].elementsEqual(terminator) { return i + terminator.count }
            i += 1
        }
        throw SyntaxError(offset: start, problem: "\(what) is not closed")
    }

    private func startsWith(_ text: StaticString, at i: Int) -> Bool {
        let length = text.utf8CodeUnitCount
        guard i + length <= bytes.count else { return false }
        return text.withUTF8Buffer { bytes[i..<(i + length)].elementsEqual($0) }
    }

    /// Content with references resolved, CDATA unwrapped, comments and processing
    /// instructions dropped, and line ends normalized to `\n` (XML 1.0 §2.11). The content
    /// was checked while scanning and holds no element.
    private func resolveText(_ start: Int, _ end: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: "&") {
                guard let close = bytes[i..<end].firstIndex(of: UInt8(ascii: ";")),
                      let scalar = Self.referencedScalar(bytes[(i + 1)..<close])
                else { return nil }
                out.append(contentsOf: String(Character(scalar)).utf8)
                i = close + 1
            } else if byte == UInt8(ascii: "\r") {
                out.append(UInt8(ascii: "\n"))
                i += (i + 1 < end && bytes[i + 1] == UInt8(ascii: "\n")) ? 2 : 1
            } else if byte == UInt8(ascii: "<") {
                if startsWith("<![CDATA[", at: i) {
                    guard let close = try? skip(past: Array("]]>".utf8), from: i + 9, what: "") else { return nil }
                    out.append(contentsOf: bytes[(i + 9)..<(close - 3)])
                    i = close
                } else {
                    // A comment or processing instruction: the only other markup in text.
                    let terminator = Array((bytes[i + 1] == UInt8(ascii: "?") ? "?>" : "-->").utf8)
                    guard let close = try? skip(past: terminator, from: i + 2, what: "") else { return nil }
                    i = close
                }
            } else {
                out.append(byte)
                i += 1
            }
        }
        return out
    }

    /// The character a reference's name stands for: `amp`, `lt`, `gt`, `apos`, `quot`,
    /// `#233`, `#xE9`; `nil` for any other name or a character XML does not allow.
    private static func referencedScalar(_ name: ArraySlice<UInt8>) -> Unicode.Scalar? {
        switch String(decoding: name, as: UTF8.self) {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "apos": return "'"
        case "quot": return "\""
        case let text where text.hasPrefix("#x"): return allowed(UInt32(text.dropFirst(2), radix: 16))
        case let text where text.hasPrefix("#"): return allowed(UInt32(text.dropFirst(), radix: 10))
        default: return nil
        }
    }

    private static func allowed(_ value: UInt32?) -> Unicode.Scalar? {
        guard let value, value >= 0x20 || value == 0x9 || value == 0xA || value == 0xD, value != 0xFFFE, value != 0xFFFF else { return nil }
        return Unicode.Scalar(value)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    /// ASCII letters, `_`, `:` and any non-ASCII byte (names in other scripts).
    private static func isNameStart(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte >= 0x80
    }
}

/// Whether `count` bytes at two addresses are equal.
@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for index in 0..<count where a[index] != b[index] { return false }
    return true
}
