/// A `Decoder` over an ``XMLTree``: the records' own `init(from:)`, and so their validating
/// initializers, run unchanged, reading child elements by wire name (``WireNames``).
///
/// It reads what XMLCoder (`WireCoding.decode`) reads for the contract's messages: a list
/// is the repeated elements of its key and an absent key is an empty list; namespace
/// prefixes are ignored; booleans are `true`/`false` (and `1`/`0`, `yes`/`no`, `y`/`n`, as
/// XMLCoder takes them); text is not trimmed. A field is `nil` only when its element is
/// absent: an empty element is an empty string (XMLCoder's reading of `<FirstName></FirstName>`
/// too), and an error for any other type. Attributes are not read (the contract has none). An
/// element name must be the key's wire name exactly.
final class TreeReader {
    let tree: XMLTree
    /// Where the last look-up among each element's children ended, so reading the fields in
    /// the order they were written finds each at once.
    private var cursor: [Int]
    /// Elements read as items of a list, so error paths can give their position.
    private var isListItem: [Bool]
    /// Wire names by key, built once per document.
    /// The element decoding started from; error paths are written below it.
    private var top = 0

    init(_ tree: XMLTree) {
        self.tree = tree
        cursor = Array(repeating: -1, count: tree.elements.count)
        isListItem = Array(repeating: false, count: tree.elements.count)
    }

    /// Decodes `element` as `type`; paths in errors start below it.
    func decode<T: Decodable>(_ type: T.Type, from element: Int) throws -> T {
        top = element
        return try T(from: ElementDecoder(reader: self, element: element))
    }

    /// The first child of `element` named `key`'s wire name, or -1.
    func child(of element: Int, _ key: some CodingKey) -> Int {
        let name = wireName(key)
        let first = tree.elements[element].firstChild
        let start = cursor[element] >= 0 ? cursor[element] : first
        var candidate = start
        while candidate >= 0 {
            if tree.hasName(candidate, name) { return found(candidate, in: element) }
            candidate = tree.elements[candidate].nextSibling
        }
        candidate = first
        while candidate >= 0, candidate != start {
            if tree.hasName(candidate, name) { return found(candidate, in: element) }
            candidate = tree.elements[candidate].nextSibling
        }
        return -1
    }

    private func found(_ child: Int, in element: Int) -> Int {
        cursor[element] = tree.elements[child].nextSibling
        return child
    }

    /// The next sibling of `element` with the same name, or -1.
    func nextItem(after element: Int) -> Int {
        var candidate = tree.elements[element].nextSibling
        while candidate >= 0, !tree.haveSameName(candidate, element) { candidate = tree.elements[candidate].nextSibling }
        return candidate
    }

    func markListItem(_ element: Int) { isListItem[element] = true }

    private func wireName(_ key: some CodingKey) -> [UInt8] { WireNameCache.bytes(key.stringValue) }

    // MARK: Values

    func string(_ element: Int) throws -> String {
        guard tree.elements[element].firstChild < 0 else { throw mismatch(String.self, element, "it holds elements, not text") }
        guard let text = tree.text(element) else { throw mismatch(String.self, element, "its text is not UTF-8") }
        return text
    }

    func bool(_ element: Int) throws -> Bool {
        if let bytes = tree.plainBytes(element) {
            if bytes.elementsEqual("true".utf8) { return true }
            if bytes.elementsEqual("false".utf8) { return false }
        }
        switch try string(element).lowercased() {
        case "true", "1", "y", "yes": return true
        case "false", "0", "n", "no": return false
        default: throw mismatch(Bool.self, element, "the text is not true or false")
        }
    }

    func integer<T: FixedWidthInteger>(_ type: T.Type, _ element: Int) throws -> T {
        if let bytes = tree.plainBytes(element), tree.elements[element].firstChild < 0, let value = Self.parseInteger(T.self, bytes) { return value }
        let text = try string(element)
        guard let value = T(text) else { throw mismatch(T.self, element, "the text is not an integer that fits \(T.self)") }
        return value
    }

    func float<T: LosslessStringConvertible>(_ type: T.Type, _ element: Int) throws -> T {
        let text = try string(element)
        switch text {
        case "NaN": if let nan = T("nan") { return nan }
        case "INF": if let infinity = T("inf") { return infinity }
        case "-INF": if let infinity = T("-inf") { return infinity }
        default: if let value = T(text) { return value }
        }
        throw mismatch(T.self, element, "the text is not a number")
    }

    /// Decimal digits with an optional sign, as `Int64(_:)` reads them, without making a `String`.
    private static func parseInteger<T: FixedWidthInteger>(_ type: T.Type, _ bytes: ArraySlice<UInt8>) -> T? {
        var digits = bytes[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
        guard !digits.isEmpty else { return nil }
        var value: T = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let digit = T(byte - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) = negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = next
        }
        return value
    }

    /// Whether `element` stands for `nil` where a single value or a list item is read: it is
    /// empty, as XMLCoder reads `<Item/>` there.
    func isNil(_ element: Int) -> Bool {
        let e = tree.elements[element]
        return e.firstChild < 0 && e.contentStart == e.contentEnd
    }

    // MARK: Errors

    /// The coding path of `element`, below the element decoding started from; list items
    /// carry their position among the items.
    func path(to element: Int) -> [any CodingKey] {
        var keys: [any CodingKey] = []
        var current = element
        while current >= 0, current != top {
            if isListItem[current] {
                var position = 0
                var sibling = tree.elements[tree.elements[current].parent].firstChild
                while sibling >= 0, sibling != current {
                    if tree.haveSameName(sibling, current) { position += 1 }
                    sibling = tree.elements[sibling].nextSibling
                }
                keys.append(IndexKey(intValue: position))
            }
            keys.append(WireKey(WireNames.swift(tree.name(current))))
            current = tree.elements[current].parent
        }
        return keys.reversed()
    }

    func mismatch(_ type: Any.Type, _ element: Int, _ problem: String) -> DecodingError {
        .typeMismatch(type, .init(codingPath: path(to: element), debugDescription: problem))
    }

    func missing(_ key: some CodingKey, in element: Int) -> DecodingError {
        .keyNotFound(key, .init(codingPath: path(to: element), debugDescription: "no element \(WireNames.wire(key.stringValue))"))
    }

    /// Decodes a value of `element`, giving an error thrown by its initializer (a
    /// `PASIModelError`) the element's path, so the message names where it is.
    func value<T: Decodable>(_ type: T.Type, _ element: Int) throws -> T {
        do {
            return try T(from: ElementDecoder(reader: self, element: element))
        } catch let error as DecodingError {
            throw error
        } catch {
            // The value itself stays out of the text (it may be a child's name or birth date):
            // the answer is in the Messages Log for whoever needs it.
            throw DecodingError.dataCorrupted(.init(codingPath: path(to: element), debugDescription: WireErrorText.describe(error)))
        }
    }
}

/// A list position in a coding path.
private struct IndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "\(intValue ?? 0)" }
    init(intValue: Int) { self.intValue = intValue }
    init?(stringValue: String) { nil }
}

/// Arrays read as the repeated elements of their key, so a missing key is an empty list.
private protocol RepeatedElements {}
extension Array: RepeatedElements {}

/// One element; -1 stands for the items of a list that has none.
private struct ElementDecoder: Decoder {
    let reader: TreeReader
    let element: Int

    var codingPath: [any CodingKey] { element >= 0 ? reader.path(to: element) : [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard element >= 0 else { throw DecodingError.valueNotFound(type, .init(codingPath: codingPath, debugDescription: "no element")) }
        return KeyedDecodingContainer(KeyedReader<Key>(reader: reader, element: element))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { ListReader(reader: reader, current: element) }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        guard element >= 0 else { throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "no element")) }
        return ValueReader(reader: reader, element: element)
    }
}

private struct KeyedReader<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let reader: TreeReader
    let element: Int

    var codingPath: [any CodingKey] { reader.path(to: element) }

    var allKeys: [Key] {
        var keys: [Key] = []
        var child = reader.tree.elements[element].firstChild
        while child >= 0 {
            if let key = Key(stringValue: WireNames.swift(reader.tree.name(child))) { keys.append(key) }
            child = reader.tree.elements[child].nextSibling
        }
        return keys
    }

    func contains(_ key: Key) -> Bool { reader.child(of: element, key) >= 0 }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    private func required(_ key: Key) throws -> Int {
        let child = reader.child(of: element, key)
        guard child >= 0 else { throw reader.missing(key, in: element) }
        return child
    }

    func decode(_ type: String.Type, forKey key: Key) throws -> String { try reader.string(required(key)) }
    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try reader.bool(required(key)) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try reader.float(type, required(key)) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try reader.float(type, required(key)) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try reader.integer(type, required(key)) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try reader.integer(type, required(key)) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try reader.integer(type, required(key)) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try reader.integer(type, required(key)) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try reader.integer(type, required(key)) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try reader.integer(type, required(key)) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try reader.integer(type, required(key)) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try reader.integer(type, required(key)) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try reader.integer(type, required(key)) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try reader.integer(type, required(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let child = reader.child(of: element, key)
        if child < 0 {
            guard T.self is any RepeatedElements.Type else { throw reader.missing(key, in: element) }
            return try T(from: ElementDecoder(reader: reader, element: -1))
        }
        return try reader.value(type, child)
    }

    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        let child = reader.child(of: element, key)
        return child >= 0 ? try reader.value(type, child) : nil
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(KeyedReader<NestedKey>(reader: reader, element: try required(key)))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        ListReader(reader: reader, current: reader.child(of: element, key))
    }

    func superDecoder() throws -> any Decoder { ElementDecoder(reader: reader, element: element) }
    func superDecoder(forKey key: Key) throws -> any Decoder { ElementDecoder(reader: reader, element: try required(key)) }
}

/// The items of a list: `current` and its later siblings of the same name.
private struct ListReader: UnkeyedDecodingContainer {
    let reader: TreeReader
    var current: Int
    private(set) var currentIndex = 0

    init(reader: TreeReader, current: Int) {
        self.reader = reader
        self.current = current
    }

    var codingPath: [any CodingKey] { current >= 0 ? reader.path(to: current).dropLast() : [] }
    var isAtEnd: Bool { current < 0 }

    var count: Int? {
        var count = 0
        var item = current
        while item >= 0 {
            count += 1
            item = reader.nextItem(after: item)
        }
        return currentIndex + count
    }

    private mutating func next() throws -> Int {
        guard current >= 0 else { throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "the list has no more items")) }
        let item = current
        reader.markListItem(item)
        current = reader.nextItem(after: item)
        currentIndex += 1
        return item
    }

    mutating func decodeNil() throws -> Bool {
        guard current >= 0, reader.isNil(current) else { return false }
        _ = try next()
        return true
    }

    mutating func decode(_ type: String.Type) throws -> String { try reader.string(next()) }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(next()) }
    mutating func decode(_ type: Double.Type) throws -> Double { try reader.float(type, next()) }
    mutating func decode(_ type: Float.Type) throws -> Float { try reader.float(type, next()) }
    mutating func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, next()) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, next()) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, next()) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, next()) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, next()) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, next()) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, next()) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, next()) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, next()) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, next()) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.value(type, next()) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        KeyedDecodingContainer(KeyedReader<NestedKey>(reader: reader, element: try next()))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: codingPath, debugDescription: "a list of lists is not part of the contract"))
    }

    mutating func superDecoder() throws -> any Decoder { ElementDecoder(reader: reader, element: try next()) }
}

/// One element's text as a single value.
private struct ValueReader: SingleValueDecodingContainer {
    let reader: TreeReader
    let element: Int

    var codingPath: [any CodingKey] { reader.path(to: element) }

    func decodeNil() -> Bool { reader.isNil(element) }
    func decode(_ type: String.Type) throws -> String { try reader.string(element) }
    func decode(_ type: Bool.Type) throws -> Bool { try reader.bool(element) }
    func decode(_ type: Double.Type) throws -> Double { try reader.float(type, element) }
    func decode(_ type: Float.Type) throws -> Float { try reader.float(type, element) }
    func decode(_ type: Int.Type) throws -> Int { try reader.integer(type, element) }
    func decode(_ type: Int8.Type) throws -> Int8 { try reader.integer(type, element) }
    func decode(_ type: Int16.Type) throws -> Int16 { try reader.integer(type, element) }
    func decode(_ type: Int32.Type) throws -> Int32 { try reader.integer(type, element) }
    func decode(_ type: Int64.Type) throws -> Int64 { try reader.integer(type, element) }
    func decode(_ type: UInt.Type) throws -> UInt { try reader.integer(type, element) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try reader.integer(type, element) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try reader.integer(type, element) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try reader.integer(type, element) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try reader.integer(type, element) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try reader.value(type, element) }
}
