extension BinaryInteger {
    /// The number with thousands separated by commas, as progress messages and refusals print
    /// counts for people ("412 of 1,380"), without a locale: every worker writes the same text.
    public var grouped: String {
        let digits = String(self.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return self < 0 ? "-" + out : out
    }
}
