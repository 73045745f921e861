/// A row of one synthetic table, ready for PostgreSQL's `COPY … FROM STDIN` in text
/// format: one line, fields separated by tabs, absent values written `\N`.
public protocol TabularRow: Sendable {
    /// The column names, in the order of ``columns``.
    static var header: [String] { get }
    /// The row's fields as text; an absent value is ``Tabular/null``.
    var columns: [String] { get }
}

/// Text helpers shared by every row type.
public enum Tabular {
    /// COPY text format's marker for NULL. An empty string stays an empty string, which
    /// the seed needs: a school's Course Mark Integration Status may be blank.
    public static let null = "\\N"

    /// The field for an optional value.
    /// - Parameter value: The value, if any.
    public static func field(_ value: String?) -> String { value.map(escape) ?? null }

    /// The field for a Boolean, as PostgreSQL reads it.
    /// - Parameter value: The flag.
    public static func field(_ value: Bool) -> String { value ? "t" : "f" }

    /// Escapes the characters COPY text format treats specially (backslash, tab, line
    /// breaks). Synthetic values never hold them; the check keeps a future pool entry
    /// from silently breaking a load.
    /// - Parameter value: A field's raw text.
    public static func escape(_ value: String) -> String {
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return value }
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            default: out.append(character)
            }
        }
        return out
    }
}

extension TabularRow {
    /// The header as one tab-separated line (no line break).
    public static var headerLine: String { header.joined(separator: "\t") }

    /// The row as one tab-separated line (no line break).
    public var line: String { columns.joined(separator: "\t") }
}
