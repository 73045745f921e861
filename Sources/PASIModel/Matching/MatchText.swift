/// How the matching compares text: the folded form a lookup uses (case- and
/// accent-insensitive, trimmed, inner white space collapsed) and the plain form conflicts
/// use (trimmed and collapsed only, so a change of case is still a difference).
enum MatchText {
    /// The plain form: white space trimmed and collapsed; an empty result is `nil`, so a
    /// value empty on both sides is equal.
    /// - Parameter text: The value as either side holds it.
    static func plain(_ text: String?) -> String? {
        guard let text else { return nil }
        let words = text.split(whereSeparator: \.isWhitespace)
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// The folded form: ``plain(_:)``, lower-cased, Latin accents removed (é → e, ß → ss,
    /// œ → oe); empty is `""`.
    /// - Parameter text: The value as either side holds it.
    static func folded(_ text: String?) -> String {
        guard let plain = plain(text) else { return "" }
        var out = ""
        out.reserveCapacity(plain.utf8.count)
        for character in plain.lowercased() {
            if character.isASCII {
                out.append(character)
            } else if let base = accentFolding[character] {
                out += base
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Lower-case Latin-1 and Latin Extended-A letters with their unaccented spelling.
    static let accentFolding: [Character: String] = {
        let groups: [(String, String)] = [
            ("àáâãäåāăą", "a"), ("çćĉċč", "c"), ("ďđ", "d"), ("èéêëēĕėęě", "e"), ("ĝğġģ", "g"), ("ĥħ", "h"),
            ("ìíîïĩīĭįı", "i"), ("ĵ", "j"), ("ķ", "k"), ("ĺļľŀł", "l"), ("ñńņňŉ", "n"), ("òóôõöøōŏő", "o"),
            ("ŕŗř", "r"), ("śŝşš", "s"), ("ţťŧ", "t"), ("ùúûüũūŭůűų", "u"), ("ŵ", "w"), ("ýÿŷ", "y"), ("źżž", "z"),
        ]
        var table: [Character: String] = ["æ": "ae", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ĳ": "ij"]
        for (letters, base) in groups {
            for letter in letters { table[letter] = base }
        }
        return table
    }()

    /// The digits of a value, for phone numbers and extensions; empty is `nil`.
    /// - Parameter text: The value as either side holds it.
    static func digits(_ text: String?) -> String? {
        guard let text else { return nil }
        let digits = String(text.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }.map(Character.init))
        return digits.isEmpty ? nil : digits
    }
}
