/// The comparison of address fields, with or without Smart Address Match.
///
/// Off, a field is compared as it is written (trimmed, inner white space collapsed).
/// On, two street lines or cities are equal when they differ only in case, accents,
/// spacing, punctuation or the usual abbreviations: each word is looked up in
/// ``SmartAddressMatch/synonyms`` (St/Street, Ave/Avenue, Rd/Road, Dr/Drive,
/// Blvd/Boulevard, NW/Northwest, NE, SW, SE, N/S/E/W, Apt/Unit/Suite/#…); postal codes
/// are compared without spaces or case.
public struct SmartAddressMatch: Sendable, Hashable {
    /// Whether Smart Address Match is on.
    public var isOn: Bool

    /// Creates the comparison.
    /// - Parameter isOn: The Smart Address Match setting.
    public init(isOn: Bool) { self.isOn = isOn }

    /// Every spelling a word of a street line may take, by its canonical form.
    public static let synonyms: [String: [String]] = [
        "street": ["st", "str"], "avenue": ["ave", "av"], "road": ["rd"], "drive": ["dr"],
        "boulevard": ["blvd"], "crescent": ["cres"], "court": ["crt", "ct"], "place": ["pl"], "trail": ["trl"],
        "lane": ["ln"], "terrace": ["terr"], "highway": ["hwy"], "square": ["sq"], "heights": ["hts"],
        "northwest": ["nw"], "northeast": ["ne"], "southwest": ["sw"], "southeast": ["se"],
        "north": ["n"], "south": ["s"], "east": ["e"], "west": ["w"],
        "unit": ["apt", "apartment", "suite", "ste", "#"],
    ]

    /// A spelling → canonical form table built from ``synonyms``.
    static let canonical: [String: String] = {
        var table: [String: String] = [:]
        for (word, spellings) in synonyms {
            table[word] = word
            for spelling in spellings { table[spelling] = word }
        }
        return table
    }()

    /// Whether two street lines or cities are the same.
    /// - Parameters:
    ///   - sis: The SIS's value.
    ///   - pasi: PASI's value.
    public func sameText(_ sis: String?, _ pasi: String?) -> Bool {
        isOn ? Self.words(sis) == Self.words(pasi) : MatchText.plain(sis) == MatchText.plain(pasi)
    }

    /// Whether two postal codes are the same.
    /// - Parameters:
    ///   - sis: The SIS's value.
    ///   - pasi: PASI's value.
    public func samePostalCode(_ sis: String?, _ pasi: String?) -> Bool {
        isOn ? Self.postalCode(sis) == Self.postalCode(pasi) : MatchText.plain(sis) == MatchText.plain(pasi)
    }

    /// A street line as canonical words: folded, periods and apostrophes dropped, split at
    /// white space and other punctuation (`#` stands as a word of its own), each word
    /// replaced by its canonical form.
    static func words(_ text: String?) -> [String] {
        let folded = MatchText.folded(text)
        return folded.utf8.allSatisfy({ $0 < 0x80 }) ? asciiWords(folded) : wordsByCharacter(folded)
    }

    /// ``words(_:)`` of any folded text, Character by Character.
    static func wordsByCharacter(_ folded: String) -> [String] {
        var words: [String] = []
        var word = ""
        func flush() {
            if !word.isEmpty { words.append(canonical[word] ?? word) }
            word = ""
        }
        for character in folded {
            if character == "#" {
                flush()
                word = "#"
                flush()
            } else if character.isLetter || character.isNumber {
                word.append(character)
            } else if character == "." || character == "'" || character == "’" {
                continue  // N.W. = NW, Ave. = Ave, O'Connor = OConnor
            } else {
                flush()
            }
        }
        flush()
        return words
    }

    /// ``words(_:)`` of folded ASCII text, byte by byte (see ``MatchText/collapsedASCII(_:lowercased:)``
    /// for why): letters and digits make words, `.` and `'` are dropped, `#` is a word.
    static func asciiWords(_ folded: String) -> [String] {
        var words: [String] = []
        var word: [UInt8] = []
        func flush() {
            if !word.isEmpty {
                let text = String(decoding: word, as: UTF8.self)
                words.append(canonical[text] ?? text)
            }
            word.removeAll(keepingCapacity: true)
        }
        for byte in folded.utf8 {
            switch byte {
            case UInt8(ascii: "#"):
                flush()
                word = [byte]
                flush()
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                word.append(byte)
            case UInt8(ascii: "."), UInt8(ascii: "'"):
                continue
            default:
                flush()
            }
        }
        flush()
        return words
    }

    /// A postal code without spaces, hyphens or case.
    static func postalCode(_ text: String?) -> String {
        String(MatchText.folded(text).filter { $0.isLetter || $0.isNumber })
    }
}
