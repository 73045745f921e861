/// The records of the Before Delete file by key: an open-addressing table of 64-bit hashes over
/// the keys' bytes, the keys kept in one arena, records with the same key chained in file order.
struct KeyIndex {
    private(set) var offsets: [Int] = []
    private(set) var lines: [Int32] = []
    private var hashes: [UInt64] = []
    /// The fingerprint of each record's compared values.
    private(set) var fingerprints: [Fingerprint] = []
    private var keyStarts: [Int] = [0]
    private var keys: [UInt8] = []
    private var next: [Int32] = []
    var used: [Bool] = []
    private var table: [Int32]
    private var mask: Int

    init(expected: Int) {
        var size = 1024
        while size < expected * 2 { size <<= 1 }
        table = Array(repeating: -1, count: size)
        mask = size - 1
        offsets.reserveCapacity(expected)
        hashes.reserveCapacity(expected)
        fingerprints.reserveCapacity(expected)
        keyStarts.reserveCapacity(expected + 1)
        keys.reserveCapacity(expected * 24)
        next.reserveCapacity(expected)
        used.reserveCapacity(expected)
        lines.reserveCapacity(expected)
    }

    var count: Int { offsets.count }

    /// FNV-1a over the key's bytes.
    @inline(__always)
    static func hash(_ key: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    @inline(__always)
    private func keyEquals(_ record: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = keyStarts[record], end = keyStarts[record + 1]
        guard end - start == key.count else { return false }
        return keys.withUnsafeBufferPointer { stored in
            var i = 0
            while i < key.count {
                if stored[start + i] != key[i] { return false }
                i += 1
            }
            return true
        }
    }

    /// Adds a record whose row starts at `offset`.
    mutating func insert(key: [UInt8], offset: Int, line: Int, fingerprint: Fingerprint) {
        if offsets.count * 2 >= table.count { grow() }
        let record = offsets.count
        let h = Self.hash(key)
        fingerprints.append(fingerprint)
        offsets.append(offset)
        lines.append(Int32(truncatingIfNeeded: line))
        hashes.append(h)
        keys.append(contentsOf: key)
        keyStarts.append(keys.count)
        next.append(-1)
        used.append(false)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let head = Int(table[slot])
            if head < 0 {
                table[slot] = Int32(record)
                return
            }
            if hashes[head] == h && key.withUnsafeBufferPointer({ keyEquals(head, $0) }) {
                var tail = head
                while next[tail] >= 0 { tail = Int(next[tail]) }
                next[tail] = Int32(record)
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// The first record with `key`, or -1; follow ``next(after:)`` for the others in file order.
    func first(key: [UInt8]) -> Int {
        key.withUnsafeBufferPointer { first(hash: Self.hash($0), key: $0) }
    }

    /// The first record with `key`, whose hash is `h`, or -1.
    func first(hash h: UInt64, key: UnsafeBufferPointer<UInt8>) -> Int {
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let head = Int(table[slot])
            if head < 0 { return -1 }
            if hashes[head] == h && keyEquals(head, key) { return head }
            slot = (slot + 1) & mask
        }
    }

    /// The next record with the same key, or -1.
    func next(after record: Int) -> Int { Int(next[record]) }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        mask = size - 1
        // Only heads go into the table: a record is a head when no other record chains to it.
        var isChained = Array(repeating: false, count: offsets.count)
        for record in 0..<offsets.count where next[record] >= 0 { isChained[Int(next[record])] = true }
        for record in 0..<offsets.count where !isChained[record] {
            var slot = Int(truncatingIfNeeded: hashes[record]) & mask
            while table[slot] >= 0 { slot = (slot + 1) & mask }
            table[slot] = Int32(record)
        }
    }
}

/// 128 bits that stand for a record's compared values: two independent 64-bit hashes (FNV-1a and
/// a multiply-xorshift) over the values' bytes, unquoted, each followed by a separator. Records
/// of one key with equal fingerprints are Perfectly Matched without their bytes being compared
/// again; a false match needs both hashes to collide at once.
struct Fingerprint: Hashable {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x9E37_79B9_7F4A_7C15

    @inline(__always)
    mutating func add(_ byte: UInt8) {
        a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        b = (b &+ UInt64(byte)) &* 0xBF58_476D_1CE4_E5B9
        b ^= b >> 29
    }
}

/// The records of the After Upload file as the first pass found them: where each row is, its
/// key and key hash, and the fingerprint of its compared values.
struct AfterScan {
    var offsets: [Int] = []
    var ends: [Int] = []
    var lines: [Int32] = []
    var hashes: [UInt64] = []
    var fingerprints: [Fingerprint] = []
    var keyStarts: [Int] = [0]
    var keys: [UInt8] = []

    init(expected: Int) {
        offsets.reserveCapacity(expected)
        ends.reserveCapacity(expected)
        lines.reserveCapacity(expected)
        hashes.reserveCapacity(expected)
        fingerprints.reserveCapacity(expected)
        keyStarts.reserveCapacity(expected + 1)
        keys.reserveCapacity(expected * 24)
    }

    var count: Int { offsets.count }

    mutating func append(key: [UInt8], offset: Int, end: Int, line: Int, fingerprint: Fingerprint) {
        offsets.append(offset)
        ends.append(end)
        lines.append(Int32(truncatingIfNeeded: line))
        hashes.append(KeyIndex.hash(key))
        fingerprints.append(fingerprint)
        keys.append(contentsOf: key)
        keyStarts.append(keys.count)
    }
}
