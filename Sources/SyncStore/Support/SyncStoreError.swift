/// What the repository stores (``PASIStore``, ``SISStore``, ``AlertsStore``, ``MatchesStore``)
/// throw when a request cannot be carried out, as opposed to a database failure, which they
/// pass on as PostgreSQL reported it.
public struct SyncStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem. A struct over a hidden enum, so kinds can be added without
    /// breaking callers that switch over it.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        enum Base: String, Sendable, Hashable {
            case notFound
            case unreadableRow
            case notDeletable
            case alreadyMatched
            case unsupported
            case conflict
            case notPermitted
        }

        let base: Base

        /// No row has the given key.
        public static let notFound = Code(base: .notFound)
        /// A stored row does not make a valid value (e.g. a date PASI would refuse); the
        /// message names the table, the key and the rule broken.
        public static let unreadableRow = Code(base: .unreadableRow)
        /// A person may not delete this kind of alert (advice and warnings mirror PASI).
        public static let notDeletable = Code(base: .notDeletable)
        /// The ASN or RefId is already matched with another SIS record.
        public static let alreadyMatched = Code(base: .alreadyMatched)
        /// The store has no place for this kind of record.
        public static let unsupported = Code(base: .unsupported)
        /// The stored state moved while the request ran (another process changed it).
        public static let conflict = Code(base: .conflict)
        /// A person may not set this value (only Alberta Education may set a core alert to Overridden).
        public static let notPermitted = Code(base: .notPermitted)

        /// The code's name, e.g. `notFound`.
        public var description: String { base.rawValue }
    }

    /// The kind of problem.
    public let code: Code
    /// What is wrong, naming the table and key.
    public let message: String

    init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
