import Crypto

/// One entry of the change feed: a record's id and its `PASICoreVersion`.
public struct FeedItem: Sendable, Hashable, Codable {
    /// The record's id as the feed writes it (a RefId, an ASN's nine digits, a school code…).
    public var id: String
    /// The record's version.
    public var version: Int64

    /// Creates an item.
    public init(id: String, version: Int64) { (self.id, self.version) = (id, version) }
}

/// The canonical `PASICoreVersionHash` of one notification type, shared by the client and
/// the simulator (PASI does not publish its input; this is the project's documented form,
/// `docs/pasi-protocol.md`):
///
/// 1. one line per record the side holds for the type: `<id>|<version>` with the version in
///    decimal and no padding, followed by a line feed (`\n`);
/// 2. lines sorted by id, comparing the ids' UTF-8 bytes;
/// 3. MD5 over the UTF-8 of the concatenated lines, written as 32 lowercase hex digits.
///
/// No records hash to MD5 of the empty string (`d41d8cd98f00b204e9800998ecf8427e`).
public enum VersionHash {
    /// The hash of `items`, in any order.
    /// - Parameter items: Each record's id and version; ids must be unique.
    public static func of(_ items: some Sequence<FeedItem>) -> String {
        let sorted = items.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
        var md5 = Insecure.MD5()
        var buffer: [UInt8] = []
        buffer.reserveCapacity(64 * 1024)
        for item in sorted {
            buffer.append(contentsOf: item.id.utf8)
            buffer.append(UInt8(ascii: "|"))
            buffer.append(contentsOf: String(item.version).utf8)
            buffer.append(UInt8(ascii: "\n"))
            if buffer.count >= 60 * 1024 {
                md5.update(data: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        md5.update(data: buffer)
        return md5.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}

/// The MD5 of bytes as 32 lowercase hex digits: a record's digest (regular synchronization
/// recognises its own earlier submits by it).
public enum ContentDigest {
    public static func md5(_ bytes: some Sequence<UInt8>) -> String {
        var md5 = Insecure.MD5()
        md5.update(data: Array(bytes))
        return md5.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
