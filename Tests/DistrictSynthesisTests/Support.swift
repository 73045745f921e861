import DistrictSynthesis

/// 64-bit FNV-1a, written here so the digest does not depend on the generator's code.
struct FNV1a {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value &*= 0x0000_0100_0000_01B3
        }
        // A line separator, so ("ab","c") and ("a","bc") differ.
        value ^= 0x0A
        value &*= 0x0000_0100_0000_01B3
    }
}

/// The digest of every table's header and rows, in table order.
func digest(_ generator: DistrictGenerator) -> UInt64 {
    var hash = FNV1a()
    for table in DistrictTable.allCases {
        hash.add(table.rawValue)
        hash.add(table.header.joined(separator: "\t"))
        generator.forEachLine(of: table) { hash.add($0) }
    }
    return hash.value
}

/// The small district most tests use.
let smallDistrict = DistrictGenerator(students: 1_000, seed: 42)
