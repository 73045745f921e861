public import Foundation

/// The checks a document passes before Foundation's `XMLParser` (under ``FeedCoding`` and
/// XMLCoder) sees it. That parser accepts a DOCTYPE and expands the entities it defines (a
/// "billion laughs" answer would eat the worker's memory), and on Linux it crashes on some bytes
/// that are not UTF-8 (found by the reconciliation fuzz tests). No PASI message needs either, so
/// both are refused here, with a nesting depth far beyond the contract's (about 10 levels).
/// One linear pass over the bytes; the direct reader (``DirectEnvelope``) makes the same checks in
/// its own scanner.
public enum XMLGuard {
    /// The deepest element nesting accepted.
    public static let maximumDepth = 64

    /// Checks `data` and says what is wrong, by byte offset, without quoting the content (an
    /// answer holds personal data).
    /// - Throws: ``PASIFault`` 3002 Request Not Structured Correctly
    ///   (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3002.html).
    public static func check(_ data: Data, what: String) throws(PASIFault) {
        if let problem = problem(in: data) {
            throw PASIFault(.requestNotStructuredCorrectly, "the \(what) cannot be read: \(problem)")
        }
    }

    /// What is wrong with `data`, or nil.
    static func problem(in data: Data) -> String? {
        guard String(validating: data, as: UTF8.self) != nil else { return "it is not UTF-8" }
        return data.withUnsafeBytes { raw in markupProblem(raw.bindMemory(to: UInt8.self)) }
    }

    private enum State { case text, tag, closingTag, quoted(UInt8) }

    /// Scans tags for depth and declarations; comments, CDATA sections and processing
    /// instructions are skipped whole.
    private static func markupProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var state = State.text, depth = 0, i = 0
        let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), slash = UInt8(ascii: "/")
        while i < bytes.count {
            let byte = bytes[i]
            switch state {
            case .text:
                guard byte == lt else { break }
                if starts(bytes, at: i, with: "<!--") {
                    guard let end = find(bytes, "-->", from: i + 4) else { return "a comment is not closed (byte \(i))" }
                    i = end + 3
                    continue
                }
                if starts(bytes, at: i, with: "<![CDATA[") {
                    guard let end = find(bytes, "]]>", from: i + 9) else { return "a CDATA section is not closed (byte \(i))" }
                    i = end + 3
                    continue
                }
                if starts(bytes, at: i, with: "<!") { return "a DOCTYPE or declaration (byte \(i)): entities are refused" }
                if starts(bytes, at: i, with: "<?") {
                    guard let end = find(bytes, "?>", from: i + 2) else { return "a processing instruction is not closed (byte \(i))" }
                    i = end + 2
                    continue
                }
                if starts(bytes, at: i, with: "</") {
                    state = .closingTag
                    depth -= 1
                    i += 2
                    continue
                }
                state = .tag
                depth += 1
                if depth > maximumDepth { return "elements nest deeper than \(maximumDepth) levels (byte \(i))" }
            case .tag:
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    state = .quoted(byte)
                } else if byte == gt {
                    if i > 0, bytes[i - 1] == slash { depth -= 1 }
                    state = .text
                }
            case .closingTag:
                if byte == gt { state = .text }
            case .quoted(let quote):
                if byte == quote { state = .tag }
            }
            i += 1
        }
        return nil
    }

    private static func starts(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, with prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let start = prefix.utf8Start
        for k in 0..<count where bytes[index + k] != start[k] { return false }
        return true
    }

    private static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ needle: StaticString, from index: Int) -> Int? {
        var i = index
        while i < bytes.count {
            if starts(bytes, at: i, with: needle) { return i }
            i += 1
        }
        return nil
    }
}
