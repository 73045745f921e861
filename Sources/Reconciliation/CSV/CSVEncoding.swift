/// Writing CSV fields: quoted only where the value needs it (a comma, a quote, a line break, or
/// space at either end), with quotes doubled.
enum CSVEncoding {
    static func needsQuotes(_ value: some Collection<UInt8>) -> Bool {
        guard let first = value.first else { return false }
        if first == 0x20 || value.reversed().first == 0x20 { return true }
        return value.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    }

    static func appendField(_ value: String, to out: GrowingBytes) {
        let utf8 = value.utf8
        guard needsQuotes(utf8) else {
            out.append(contentsOf: utf8)
            return
        }
        out.append(0x22)
        for byte in utf8 {
            if byte == 0x22 { out.append(0x22) }
            out.append(byte)
        }
        out.append(0x22)
    }
}
