@testable import PASIModel
import Testing

/// The byte-by-byte reading of ASCII text must give exactly what the Character-by-Character
/// reading gives, which stays the rule for every other text.
struct MatchTextTests {
    static let samples: [String] = [
        "", " ", "\t\r\n", "Tremblay", "  Jasper   Avenue NW ", "14 Jasper Ave. N.W.", "O'Connor\tSt\r\nApt #4",
        "Suite#12 - 10025 102A Ave", "T5J 0N3", "t5j-0n3", "(780) 555-0199 ext. 12", "\u{0B}Form\u{0C}Feed\u{0B}",
        "MiXeD CaSe   words", "a.b'c#d/e,f;g", "1\u{1F}2",
    ]

    @Test(arguments: samples)
    func asciiPlainAndFoldedAgree(_ text: String) {
        #expect(MatchText.plain(text) == MatchText.plainByCharacter(text))
        #expect(MatchText.folded(text) == MatchText.foldedByCharacter(text))
    }

    @Test(arguments: samples)
    func asciiWordsAgree(_ text: String) {
        let folded = MatchText.folded(text)
        #expect(SmartAddressMatch.asciiWords(folded) == SmartAddressMatch.wordsByCharacter(folded))
    }

    @Test func asciiDigitsAgreeWithScalars() {
        #expect(MatchText.digits("(780) 555-0199 ext. 12") == "780555019912")
        #expect(MatchText.digits("no digits") == nil)
        #expect(MatchText.digits("٣ 4") == "4")  // an Arabic-Indic three is not an ASCII digit
    }

    @Test func nonASCIIKeepsTheCharacterRules() {
        #expect(MatchText.plain("Élodie\u{00A0} Tremblé") == "Élodie Tremblé")  // no-break space is white space
        #expect(MatchText.folded("ÉLODIE  Œuvre") == "elodie oeuvre")
        #expect(SmartAddressMatch.words("12 Rue Saint‐Étienne’s") == ["12", "rue", "saint", "etiennes"])
    }
}
