/// How the matching compares text: the folded form a lookup uses (case- and
/// accent-insensitive, trimmed, inner white space collapsed) and the plain form conflicts
/// use (trimmed and collapsed only, so a change of case is still a difference).
enum MatchText {
    /// The plain form: white space trimmed and collapsed; an empty result is `nil`, so a
    /// value empty on both sides is equal.
    /// - Parameter text: The value as either side holds it.
    static func plain(_ text: String?) -> String? {
        guard let text else { return nil }
        if let ascii = collapsedASCII(text, lowercased: false) { return ascii.isEmpty ? nil : ascii }
        return plainByCharacter(text)
    }

    /// ``plain(_:)`` of any text, Character by Character.
    static func plainByCharacter(_ text: String) -> String? {
        let words = text.split(whereSeparator: \.isWhitespace)
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    /// ``plain(_:)`` (and, `lowercased`, the folding) of ASCII text byte by byte, or `nil` when
    /// the text is not all ASCII. Nearly every value is ASCII, and splitting Characters (grapheme
    /// breaking, a Unicode property look-up per character) was a tenth of Initial
    /// Synchronization's CPU in its workers (perf). ASCII white space is what
    /// `Character.isWhitespace` says of ASCII: tab, line feed, vertical tab, form feed, carriage
    /// return and space.
    static func collapsedASCII(_ text: String, lowercased: Bool) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var space = false
        for byte in text.utf8 {
            guard byte < 0x80 else { return nil }
            if byte == 0x20 || (0x09...0x0D).contains(byte) {
                space = !out.isEmpty
                continue
            }
            if space {
                out.append(0x20)
                space = false
            }
            out.append(lowercased && (0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The folded form: ``plain(_:)``, lower-cased, Latin accents removed (é → e, ß → ss,
    /// œ → oe); empty is `""`.
    /// - Parameter text: The value as either side holds it.
    static func folded(_ text: String?) -> String {
        guard let text else { return "" }
        if let ascii = collapsedASCII(text, lowercased: true) { return ascii }
        return foldedByCharacter(text)
    }

    /// ``folded(_:)`` of any text, Character by Character.
    static func foldedByCharacter(_ text: String) -> String {
        guard let plain = plainByCharacter(text) else { return "" }
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
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            let digits = String(decoding: text.utf8.filter { (0x30...0x39).contains($0) }, as: UTF8.self)
            return digits.isEmpty ? nil : digits
        }
        let digits = String(text.unicodeScalars.filter { $0.properties.numericType == .decimal && $0.isASCII }.map(Character.init))
        return digits.isEmpty ? nil : digits
    }
}
