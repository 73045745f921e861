import Foundation

/// The parts of a `multipart/form-data` body (RFC 7578), as the Reconciliation Process's upload
/// forms send them: each field by name, with its file name when it is a file.
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

    /// Parses `body`; `nil` when it is not well formed.
    init?(_ body: [UInt8], boundary: String) {
        let delimiter = Array("--\(boundary)".utf8)
        var starts: [Int] = []
        var index = 0
        // Every delimiter is at the start of the body or after a CRLF.
        while let found = Self.find(delimiter, in: body, from: index) {
            if found == 0 || (found >= 2 && body[found - 2] == 13 && body[found - 1] == 10) { starts.append(found) }
            index = found + delimiter.count
        }
        guard starts.count >= 2 else { return nil }
        var parts: [Part] = []
        for (start, next) in zip(starts, starts.dropFirst()) {
            var partStart = start + delimiter.count
            // The line after the delimiter ends with CRLF; the part ends before the CRLF of the next delimiter.
            guard partStart + 2 <= body.count, body[partStart] == 13, body[partStart + 1] == 10 else { return nil }
            partStart += 2
            let partEnd = next - 2
            guard partEnd >= partStart, let headerEnd = Self.find(Array("\r\n\r\n".utf8), in: body, from: partStart), headerEnd <= partEnd
            else { return nil }
            let headers = String(decoding: body[partStart..<headerEnd], as: UTF8.self)
            var name: String?, fileName: String?
            for line in headers.components(separatedBy: "\r\n") where line.lowercased().hasPrefix("content-disposition:") {
                name = Self.parameter("name", in: line)
                fileName = Self.parameter("filename", in: line)
            }
            guard let name else { return nil }
            parts.append(Part(name: name, fileName: fileName, content: Array(body[(headerEnd + 4)..<partEnd])))
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

    private static func parameter(_ key: String, in line: String) -> String? {
        for piece in line.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == key else { continue }
            var value = pair[1]
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value.replacingOccurrences(of: "\\\"", with: "\"")
        }
        return nil
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        let first = needle[0]
        var i = start
        let last = haystack.count - needle.count
        while i <= last {
            if haystack[i] == first {
                var j = 1
                while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
