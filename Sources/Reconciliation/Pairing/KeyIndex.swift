#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The records of the Before Delete file by key: an open-addressing table of 64-bit hashes over
/// the keys' bytes, the keys kept in one arena, records with the same key chained in file order.
/// What a lookup reads of a record sits in one entry, so a lookup costs few cache misses.
struct KeyIndex {
    struct Entry {
        var hash: UInt64
        var fingerprint: Fingerprint
        var offset: Int
        var keyStart: Int
        var keyLength: Int32
        var line: Int32
        var next: Int32
        var used: Bool
        /// The first record of its key (the one the table points at).
        var head: Bool
    }

    private var entries: [Entry] = []
    private var keys: [UInt8] = []
    private var table: [Int32]
    private var mask: Int

    init(expected: Int) {
        var size = 1024
        while size < expected * 2 { size <<= 1 }
        table = Array(repeating: -1, count: size)
        mask = size - 1
        entries.reserveCapacity(expected)
        keys.reserveCapacity(expected * 24)
    }

    var count: Int { entries.count }

    @inline(__always) func offset(_ record: Int) -> Int { entries[record].offset }
    @inline(__always) func line(_ record: Int) -> Int { Int(entries[record].line) }
    @inline(__always) func fingerprint(_ record: Int) -> Fingerprint { entries[record].fingerprint }
    @inline(__always) func isUsed(_ record: Int) -> Bool { entries[record].used }
    @inline(__always) mutating func markUsed(_ record: Int) { entries[record].used = true }

    /// FNV-1a over the key's bytes.
    @inline(__always)
    static func hash(_ key: some Sequence<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in key { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    @inline(__always)
    private func keyEquals(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(entry.keyLength) == key.count else { return false }
        return keys.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + entry.keyStart, key.baseAddress!, key.count) == 0
        }
    }

    /// Adds a record whose row starts at `offset`.
    mutating func insert(key: [UInt8], offset: Int, line: Int, fingerprint: Fingerprint) {
        if entries.count * 2 >= table.count { grow() }
        let record = entries.count
        let h = Self.hash(key)
        entries.append(Entry(hash: h, fingerprint: fingerprint, offset: offset, keyStart: keys.count,
                             keyLength: Int32(key.count), line: Int32(truncatingIfNeeded: line), next: -1, used: false, head: false))
        keys.append(contentsOf: key)
        var slot = Int(truncatingIfNeeded: h) & mask
        while true {
            let head = Int(table[slot])
            if head < 0 {
                table[slot] = Int32(record)
                entries[record].head = true
                return
            }
            if entries[head].hash == h && key.withUnsafeBufferPointer({ keyEquals(entries[head], $0) }) {
                var tail = head
                while entries[tail].next >= 0 { tail = Int(entries[tail].next) }
                entries[tail].next = Int32(record)
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
            if entries[head].hash == h && keyEquals(entries[head], key) { return head }
            slot = (slot + 1) & mask
        }
    }

    /// Whether `record` is the only record of its key and has key `key` with hash `h`: a check
    /// that reads one entry, for guessing a record's partner from its neighbour's.
    @inline(__always)
    func isOnlyRecord(_ record: Int, hash h: UInt64, key: UnsafeBufferPointer<UInt8>) -> Bool {
        let entry = entries[record]
        return entry.head && entry.next < 0 && entry.hash == h && keyEquals(entry, key)
    }

    /// The next record with the same key, or -1.
    func next(after record: Int) -> Int { Int(entries[record].next) }

    private mutating func grow() {
        let size = table.count * 2
        table = Array(repeating: -1, count: size)
        mask = size - 1
        // Only heads go into the table: a record is a head when no other record chains to it.
        var isChained = Array(repeating: false, count: entries.count)
        for entry in entries where entry.next >= 0 { isChained[Int(entry.next)] = true }
        for record in 0..<entries.count where !isChained[record] {
            var slot = Int(truncatingIfNeeded: entries[record].hash) & mask
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
