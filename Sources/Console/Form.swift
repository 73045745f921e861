import Foundation

/// The fields of a URL-encoded form or query, in order, repeated names kept (a bulk selection
/// sends `id=1&id=2`).
struct FormFields: Sendable {
    let pairs: [(name: String, value: String)]

    init(_ encoded: String?) {
        pairs = (encoded ?? "").split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// The first non-empty value of `name`, trimmed; `nil` when absent or blank (a filter left at "any").
    subscript(_ name: String) -> String? {
        pairs.first { $0.name == name && !$0.value.trimmingCharacters(in: .whitespaces).isEmpty }?
            .value.trimmingCharacters(in: .whitespaces)
    }

    /// Every value of `name`.
    func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
}

/// Percent-encodes a query value.
func queryEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}
