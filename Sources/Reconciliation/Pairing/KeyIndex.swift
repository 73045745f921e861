/// The records of the Before Delete file by key: an open-addressing table of 64-bit hashes over
/// the keys' bytes, the keys kept in one arena, records with the same key chained in file order.
struct KeyIndex {
    private(set) var offsets: [Int] = []
    private(set) var lines: [Int32] = []
    private var hashes: [UInt64] = []
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
        keyStarts.reserveCapacity(expected + 1)
        keys.reserveCapacity(expected * 24)
        next.reserveCapacity(expected)
        used.reserveCapacity(expected)
        lines.reserveCapacity(expected)
    }

    var count: Int { offsets.count }

    /// FNV-1a over the key's bytes.
    @inline(__always)
    static func hash(_ key: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    @inline(__always)
    private func keyEquals(_ record: Int, _ key: [UInt8]) -> Bool {
        let start = keyStarts[record], end = keyStarts[record + 1]
        guard end - start == key.count else { return false }
        return keys.withUnsafeBufferPointer { stored in
            key.withUnsafeBufferPointer { probe in
                var i = 0
                while i < probe.count {
                    if stored[start + i] != probe[i] { return false }
                    i += 1
                }
                return true
            }
        }
    }

    /// Adds a record whose row starts at `offset`.
    mutating func insert(key: [UInt8], offset: Int, line: Int) {
        if offsets.count * 2 >= table.count { grow() }
        let record = offsets.count
        let h = Self.hash(key)
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
            if hashes[head] == h && keyEquals(head, key) {
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
        let h = Self.hash(key)
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
