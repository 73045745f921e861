import PASIModel
import Testing

@Suite struct ASNTests {
    @Test func luhnCheckDigitOfKnownPrefix() {
        // From the right, 8 7 6 5 4 3 2 1 with every other doubled: 7+7+3+5+8+3+4+1 = 38, so 2.
        #expect(ASN.checkDigit(forPrefix: "12345678") == 2)
        #expect(ASN.checkDigit(forPrefix: "00000000") == 0)
    }

    @Test func parsesBareAndGroupedForms() throws {
        let bare = try ASN("123456782")
        let grouped = try ASN("1234-5678-2")
        #expect(bare == grouped)
        #expect(bare.digits == "123456782")
        #expect(bare.formatted == "1234-5678-2")
        #expect(bare.description == "1234-5678-2")
    }

    @Test(arguments: ["12345678", "1234567820", "12345678a", "1234-56782", "123-45678-2", "", " 123456782", "１２３４５６７８２"])
    func refusesBadShapes(text: String) {
        let error = expectModelError { _ = try ASN(text, checkDigit: .ignored) }
        #expect(error?.code == .invalidFormat)
        #expect(error?.description.hasPrefix("ASN must be nine digits") == true)
    }

    @Test func enforcedCheckDigitRefusesWrongDigit() {
        let error = expectModelError { _ = try ASN("123456781") }
        #expect(error?.code == .invalidCheckDigit)
        #expect(error?.description == "ASN must end in its check digit 2, got 123456781")
    }

    @Test func ignoredCheckDigitAcceptsAnyNineDigits() throws {
        let asn = try ASN("1234-5678-1", checkDigit: .ignored)
        #expect(asn.digits == "123456781")
        #expect(!asn.hasValidCheckDigit)
    }

    @Test func withCheckDigitMakesValidASNs() throws {
        for prefix in ["00000001", "99999999", "20240817"] {
            let asn = try ASN.withCheckDigit(prefix: prefix)
            #expect(asn.hasValidCheckDigit)
            #expect(try ASN(asn.digits, checkDigit: .enforced) == asn)
        }
        #expect(expectModelError { _ = try ASN.withCheckDigit(prefix: "1234567") }?.code == .invalidFormat)
    }

    @Test func codableUsesBareDigitsAndSkipsCheckDigitOnDecode() throws {
        let asn = try ASN("123456781", checkDigit: .ignored)
        let json = try JSONRoundTrip.encode(asn)
        #expect(json == "\"123456781\"")
        #expect(try JSONRoundTrip.decode(ASN.self, from: "\"1234-5678-1\"") == asn)
    }
}
