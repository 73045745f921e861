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
        table = []
        mask = 0
        entries.reserveCapacity(expected)
        keys.reserveCapacity(expected * 24)
    }

    var count: Int { entries.count }

    @inline(__always) func offset(_ record: Int) -> Int { entries[record].offset }
    @inline(__always) func line(_ record: Int) -> Int { Int(entries[record].line) }
    @inline(__always) func fingerprint(_ record: Int) -> Fingerprint { entries[record].fingerprint }
    @inline(__always) func isUsed(_ record: Int) -> Bool { entries[record].used }
    @inline(__always) mutating func markUsed(_ record: Int) { entries[record].used = true }

    /// A 64-bit hash of the key's bytes, eight at a time (one half of a ``Fingerprint``).
    @inline(__always)
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var fingerprint = Fingerprint()
        if key.count > 0 { fingerprint.add(key, from: 0, to: key.count, escaped: false) }
        return fingerprint.a ^ (fingerprint.a >> 29)
    }

    @inline(__always)
    private func keyEquals(_ entry: Entry, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        guard Int(entry.keyLength) == key.count else { return false }
        return keys.withUnsafeBufferPointer { stored in
            memcmp(stored.baseAddress! + entry.keyStart, key.baseAddress!, key.count) == 0
        }
    }

    /// Adds a record whose row starts at `offset`; ``buildTable()`` makes it findable.
    @inline(__always)
    mutating func append(key: [UInt8], offset: Int, line: Int, fingerprint: Fingerprint) {
        let h = key.withUnsafeBufferPointer { Self.hash($0) }
        entries.append(Entry(hash: h, fingerprint: fingerprint, offset: offset, keyStart: keys.count,
                             keyLength: Int32(key.count), line: Int32(truncatingIfNeeded: line), next: -1, used: false, head: false))
        keys.append(contentsOf: key)
    }

    /// Puts every record into the table, the records of one key chained in file order. Done once,
    /// after the file is read, in a loop of its own rather than record by record while the file
    /// is scanned: the table is larger than the caches, and a loop this short lets the processor
    /// wait for several of its random reads at once instead of one after each record's scan (in
    /// the scanning loop these reads were 40 % of the Before file's pass).
    mutating func buildTable() {
        var size = 1024
        while size < entries.count * 2 { size <<= 1 }
        table = Array(repeating: -1, count: size)
        mask = size - 1
        let mask = self.mask
        entries.withUnsafeMutableBufferPointer { entries in
            keys.withUnsafeBufferPointer { keys in
                table.withUnsafeMutableBufferPointer { table in
                    for record in 0..<entries.count {
                        let h = entries[record].hash
                        var slot = Int(truncatingIfNeeded: h) & mask
                        while true {
                            let head = Int(table[slot])
                            if head < 0 {
                                table[slot] = Int32(record)
                                entries[record].head = true
                                break
                            }
                            if entries[head].hash == h && entries[head].keyLength == entries[record].keyLength
                                && memcmp(keys.baseAddress! + entries[head].keyStart, keys.baseAddress! + entries[record].keyStart, Int(entries[record].keyLength)) == 0 {
                                var tail = head
                                while entries[tail].next >= 0 { tail = Int(entries[tail].next) }
                                entries[tail].next = Int32(record)
                                break
                            }
                            slot = (slot + 1) & mask
                        }
                    }
                }
            }
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
}

/// 128 bits that stand for a record's compared values: two independent 64-bit hashes over the
/// values' bytes, unquoted, taken eight bytes at a time (little-endian words; a value's last
/// word padded with zeros), each value followed by its length. Each step of either hash is a
/// bijection of its state for a given word, so two values that differ in one word never end in
/// the same state; records of one key with equal fingerprints are Perfectly Matched without their
/// bytes being compared again, and a false match needs both hashes to collide at once.
struct Fingerprint: Hashable {
    var a: UInt64 = 0xcbf2_9ce4_8422_2325
    var b: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// Adds one word (eight bytes of a value, or its padded last bytes, or its length).
    @inline(__always)
    mutating func add(word w: UInt64) {
        a = (a ^ w) &* 0xFF51_AFD7_ED55_8CCD
        a ^= a >> 33
        b = (b &+ w) &* 0xBF58_476D_1CE4_E5B9
        b ^= b >> 29
    }

    /// Adds the bytes `start..<end` of `bytes` as words, then their length; with `escaped`, a
    /// doubled quote counts once (the value's bytes unquoted).
    @inline(__always)
    mutating func add(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, escaped: Bool) {
        var length = 0
        if !escaped {
            let base = UnsafeRawPointer(bytes.baseAddress!)
            var i = start
            while i + 8 <= end {
                add(word: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                i += 8
            }
            if i < end {
                var w: UInt64 = 0, shift: UInt64 = 0
                while i < end {
                    w |= UInt64(bytes[i]) << shift
                    shift += 8
                    i += 1
                }
                add(word: w)
            }
            length = end - start
        } else {
            var w: UInt64 = 0, shift: UInt64 = 0
            var i = start
            while i < end {
                w |= UInt64(bytes[i]) << shift
                shift += 8
                length += 1
                if shift == 64 {
                    add(word: w)
                    w = 0
                    shift = 0
                }
                i += bytes[i] == 0x22 ? 2 : 1
            }
            if shift > 0 { add(word: w) }
        }
        add(word: UInt64(length) | 0x8000_0000_0000_0000)
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
        hashes.append(key.withUnsafeBufferPointer { KeyIndex.hash($0) })
        fingerprints.append(fingerprint)
        keys.append(contentsOf: key)
        keyStarts.append(keys.count)
    }
}
