/// An `Encoder` that appends XML straight to bytes, for the document XMLCoder
/// (`WireCoding.encode`) writes of the same value, byte for byte: elements named by
/// ``WireNames``, a list as repeated elements of its key (nothing for an empty one), `nil`
/// left out, an element without content written `<Name />`, text escaped as XMLCoder does
/// (`&`, `<`, `>`, `'`, `"`), numbers and booleans as XMLCoder writes them.
///
/// Elements are closed lazily: one stays open until something is written at its own depth
/// or above, so a container kept and written to later (a nested container) still lands
/// inside its element.
final class ByteWriter {
    private(set) var bytes: [UInt8] = []

    private enum State {
        /// Nothing written yet: `<Name` is held back, since a list writes its items instead.
        case pending
        /// `<Name` is written.
        case open
        /// `<Name>` and some content are written.
        case content
    }

    private struct Frame {
        let name: [UInt8]
        var state: State
    }

    /// The open elements; the first stands for the content already written around them.
    private var frames = [Frame(name: [], state: .content)]

    init(capacity: Int) { bytes.reserveCapacity(capacity) }

    /// Appends text that needs no escaping (markup written by the caller).
    func raw(_ text: StaticString) { text.withUTF8Buffer { bytes.append(contentsOf: $0) } }
    func raw(_ markup: [UInt8]) { bytes.append(contentsOf: markup) }

    /// Writes `value` as the element `name` below the content written so far.
    func element<T: Encodable>(_ name: String, _ value: T) throws {
        try element(Array(name.utf8), value, depth: 0)
        close(deeperThan: 0)
    }

    // MARK: For the containers

    func wireName(_ key: some CodingKey) -> [UInt8] { WireNameCache.bytes(key.stringValue) }

    /// Opens a frame for `value` one below `depth` and lets the value write itself into it.
    func element<T: Encodable>(_ name: [UInt8], _ value: T, depth: Int) throws {
        close(deeperThan: depth)
        frames.append(Frame(name: name, state: .pending))
        try value.encode(to: ElementEncoder(writer: self, depth: depth + 1))
    }

    /// Opens a frame one below `depth` for a container handed out before its content.
    func pushFrame(_ name: [UInt8], depth: Int) {
        close(deeperThan: depth)
        frames.append(Frame(name: name, state: .pending))
    }

    /// Makes sure `<Name` of the element at `depth` is written (a keyed container, or `nil`).
    func openTag(_ depth: Int) {
        close(deeperThan: depth)
        open(depth)
    }

    /// `<Name>text</Name>` inside the element at `depth`.
    func leaf(_ name: [UInt8], _ text: some StringProtocol, escaping: Bool = true, depth: Int) {
        close(deeperThan: depth)
        content(depth)
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: ">"))
        if escaping { escape(text) } else { bytes.append(contentsOf: text.utf8) }
        bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        bytes.append(contentsOf: name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// `<Name />` inside the element at `depth`, for an explicit `nil`.
    func empty(_ name: [UInt8], depth: Int) {
        close(deeperThan: depth)
        content(depth)
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name)
        raw(" />")
    }

    /// The text of the element at `depth` itself.
    func text(_ text: some StringProtocol, escaping: Bool = true, depth: Int) {
        close(deeperThan: depth)
        open(depth)
        content(depth)
        if escaping { escape(text) } else { bytes.append(contentsOf: text.utf8) }
    }

    /// The list at `depth` takes the name of its element for its items.
    func itemName(_ depth: Int) -> [UInt8] { frames[depth].name }

    private func open(_ depth: Int) {
        guard frames[depth].state == .pending else { return }
        content(depth - 1)
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: frames[depth].name)
        frames[depth].state = .open
    }

    /// Makes sure the element at `depth` can take content; for a list (still pending),
    /// the content is its items, which go into the element above.
    private func content(_ depth: Int) {
        switch frames[depth].state {
        case .content: return
        case .open:
            bytes.append(UInt8(ascii: ">"))
            frames[depth].state = .content
        case .pending: content(depth - 1)
        }
    }

    /// Writes the end of every element below `depth`: what is written next is not inside them.
    private func close(deeperThan depth: Int) {
        while frames.count > depth + 1 {
            let frame = frames.removeLast()
            switch frame.state {
            case .pending: break  // a list: its items are closed already
            case .open: raw(" />")
            case .content:
                bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
                bytes.append(contentsOf: frame.name)
                bytes.append(UInt8(ascii: ">"))
            }
        }
    }

    /// Escapes as XMLCoder's `charactersEscapedInElements` does.
    private func escape(_ text: some StringProtocol) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "'") || $0 == UInt8(ascii: "\"") }) else {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): raw("&amp;")
            case UInt8(ascii: "<"): raw("&lt;")
            case UInt8(ascii: ">"): raw("&gt;")
            case UInt8(ascii: "'"): raw("&apos;")
            case UInt8(ascii: "\""): raw("&quot;")
            default: bytes.append(byte)
            }
        }
    }
}

/// How XMLCoder writes the values it boxes itself.
enum WireText {
    static func bool(_ value: Bool) -> String { value ? "true" : "false" }

    static func float(_ value: some BinaryFloatingPoint & CustomStringConvertible) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "INF" : "-INF" }
        return value.description
    }
}

/// The element at `depth`.
private struct ElementEncoder: Encoder {
    let writer: ByteWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        writer.openTag(depth)
        return KeyedEncodingContainer(KeyedWriter<Key>(writer: writer, depth: depth))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { ListWriter(writer: writer, depth: depth) }
    func singleValueContainer() -> any SingleValueEncodingContainer { ValueWriter(writer: writer, depth: depth) }
}

private struct KeyedWriter<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let writer: ByteWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil(forKey key: Key) { writer.empty(writer.wireName(key), depth: depth) }
    mutating func encode(_ value: String, forKey key: Key) { writer.leaf(writer.wireName(key), value, depth: depth) }
    mutating func encode(_ value: Bool, forKey key: Key) { writer.leaf(writer.wireName(key), WireText.bool(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Double, forKey key: Key) { writer.leaf(writer.wireName(key), WireText.float(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Float, forKey key: Key) { writer.leaf(writer.wireName(key), WireText.float(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Int, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: Int8, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: Int16, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: Int32, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: Int64, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: UInt, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: UInt8, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: UInt16, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: UInt32, forKey key: Key) { integer(value, key) }
    mutating func encode(_ value: UInt64, forKey key: Key) { integer(value, key) }

    private func integer(_ value: some FixedWidthInteger, _ key: Key) {
        writer.leaf(writer.wireName(key), String(value), escaping: false, depth: depth)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        try writer.element(writer.wireName(key), value, depth: depth)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        writer.pushFrame(writer.wireName(key), depth: depth)
        return ElementEncoder(writer: writer, depth: depth + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        writer.pushFrame(writer.wireName(key), depth: depth)
        return ListWriter(writer: writer, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: Array("super".utf8)) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: writer.wireName(key)) }

    private func superEncoder(named name: [UInt8]) -> any Encoder {
        writer.pushFrame(name, depth: depth)
        return ElementEncoder(writer: writer, depth: depth + 1)
    }
}

/// A list at `depth`: each item is an element named like the list's own element.
private struct ListWriter: UnkeyedEncodingContainer {
    let writer: ByteWriter
    let depth: Int
    private(set) var count = 0

    init(writer: ByteWriter, depth: Int) { (self.writer, self.depth) = (writer, depth) }

    var codingPath: [any CodingKey] { [] }

    private var name: [UInt8] { writer.itemName(depth) }

    mutating func encodeNil() {
        writer.empty(name, depth: depth)
        count += 1
    }

    mutating func encode(_ value: String) { leaf(value, escaping: true) }
    mutating func encode(_ value: Bool) { leaf(WireText.bool(value)) }
    mutating func encode(_ value: Double) { leaf(WireText.float(value)) }
    mutating func encode(_ value: Float) { leaf(WireText.float(value)) }
    mutating func encode(_ value: Int) { leaf(String(value)) }
    mutating func encode(_ value: Int8) { leaf(String(value)) }
    mutating func encode(_ value: Int16) { leaf(String(value)) }
    mutating func encode(_ value: Int32) { leaf(String(value)) }
    mutating func encode(_ value: Int64) { leaf(String(value)) }
    mutating func encode(_ value: UInt) { leaf(String(value)) }
    mutating func encode(_ value: UInt8) { leaf(String(value)) }
    mutating func encode(_ value: UInt16) { leaf(String(value)) }
    mutating func encode(_ value: UInt32) { leaf(String(value)) }
    mutating func encode(_ value: UInt64) { leaf(String(value)) }

    private mutating func leaf(_ text: String, escaping: Bool = false) {
        writer.leaf(name, text, escaping: escaping, depth: depth)
        count += 1
    }

    mutating func encode<T: Encodable>(_ value: T) throws {
        try writer.element(name, value, depth: depth)
        count += 1
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        count += 1
        writer.pushFrame(name, depth: depth)
        return ElementEncoder(writer: writer, depth: depth + 1).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        count += 1
        writer.pushFrame(name, depth: depth)
        return ListWriter(writer: writer, depth: depth + 1)
    }

    mutating func superEncoder() -> any Encoder {
        count += 1
        writer.pushFrame(name, depth: depth)
        return ElementEncoder(writer: writer, depth: depth + 1)
    }
}

/// The text of the element at `depth`.
private struct ValueWriter: SingleValueEncodingContainer {
    let writer: ByteWriter
    let depth: Int

    var codingPath: [any CodingKey] { [] }

    mutating func encodeNil() { writer.openTag(depth) }
    mutating func encode(_ value: String) { writer.text(value, depth: depth) }
    mutating func encode(_ value: Bool) { writer.text(WireText.bool(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Double) { writer.text(WireText.float(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Float) { writer.text(WireText.float(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Int) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Int8) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Int16) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Int32) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: Int64) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: UInt) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: UInt8) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: UInt16) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: UInt32) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode(_ value: UInt64) { writer.text(String(value), escaping: false, depth: depth) }
    mutating func encode<T: Encodable>(_ value: T) throws { try value.encode(to: ElementEncoder(writer: writer, depth: depth)) }
}
