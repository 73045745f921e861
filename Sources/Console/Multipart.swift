import Foundation
import MultipartKit
import NIOCore

/// The parts of a `multipart/form-data` body (RFC 7578), as the Reconciliation Process's upload
/// forms send them: each field by name, with its file name when it is a file.
///
/// The parsing is MultipartKit's `MultipartParser` (kept up by the Vapor team; Vapor reads its
/// form uploads with it), not a parser of our own: it finds the delimiters, each part's headers
/// and content, and throws on a malformed delimiter or header line. This wrapper adds only what the
/// console needs and the parser does not give:
/// - a body is taken only when it is closed: the parser stops quietly wherever its input ends, so a
///   body cut short (in a part's content or headers, or without its closing delimiter) would
///   otherwise pass as the parts before the cut;
/// - each part's field name and file name, from its Content-Disposition header (MultipartKit 4
///   gives the name only, and keeps only what follows a value's last `=`);
/// - the boundary, from the Content-Type header.
struct MultipartForm: Sendable {
    struct Part: Sendable {
        let name: String
        let fileName: String?
        let content: [UInt8]
        var text: String { String(decoding: content, as: UTF8.self) }
    }

    let parts: [Part]

    /// The boundary of a `Content-Type: multipart/form-data; boundary=…` header.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    /// Parses `body`; `nil` when it is not well formed (every part needs a Content-Disposition name).
    init?(_ body: [UInt8], boundary: String) {
        // A whole body ends with its closing delimiter, CRLF--boundary--, and maybe a CRLF (RFC 2046
        // allows an epilogue after it; browsers send none).
        var end = body.count
        if body.suffix(2).elementsEqual([13, 10]) { end -= 2 }
        guard !boundary.isEmpty, body[..<end].suffix(boundary.utf8.count + 6).elementsEqual("\r\n--\(boundary)--".utf8) else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var parts: [Part] = [], completed = 0, unnamed = false
        var headers: [(name: String, value: String)] = [], content: [UInt8] = []
        parser.onHeader = { headers.append(($0, $1)) }
        parser.onBody = { $0.withUnsafeReadableBytes { content.append(contentsOf: $0) } }
        parser.onPartComplete = {
            completed += 1
            let disposition = headers.last { $0.name.lowercased() == "content-disposition" }?.value
            if let disposition, let name = Self.parameter("name", in: disposition) {
                parts.append(Part(name: name, fileName: Self.parameter("filename", in: disposition), content: content))
            } else {
                unnamed = true
            }
            (headers, content) = ([], [])
        }
        do {
            // All but the closing delimiter's two hyphens, then those: the parser completes a part on
            // them only if they end a delimiter that it reached in a part's content, which is where a
            // closed body's last part ends (and not, say, after a delimiter read as a header line).
            try parser.execute(ByteBuffer(bytes: body[..<(end - 2)]))
            let before = completed
            try parser.execute("--")
            guard completed == before + 1, !unnamed else { return nil }
        } catch {
            return nil
        }
        self.parts = parts
    }

    /// The text of the first field `name`, trimmed; `nil` when absent or blank.
    subscript(_ name: String) -> String? {
        parts.first { $0.name == name && $0.fileName == nil }.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
            .flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The file of field `name`, if one was chosen.
    func file(_ name: String) -> Part? { parts.first { $0.name == name && !($0.fileName ?? "").isEmpty } }

    /// A parameter of a Content-Disposition value (`form-data; name="…"; filename="…"`), unquoted.
    private static func parameter(_ key: String, in value: String) -> String? {
        for piece in value.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }
}
