public import Logging
public import PASIModel
public import PostgresNIO

/// The local PASI data store (`pasi.*`): the latest copy of every record PASI Core sent, written
/// by the download and change-feed processes and read by every comparison with the SIS.
///
/// Every write is by key with the record's PASICoreVersion, and a copy older than the one held
/// is refused (rule 3004's order: versions only grow), so feeds that arrive out of order never
/// step a record back. The same methods take one record or many; many go to the server as one
/// JSON array per statement (`jsonb_to_recordset`), a few thousand at a time, in one transaction.
public struct PASIStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Records sent to the server in one statement by the bulk paths.
    static let batchSize = 5_000

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }
}

/// What became of one record given to an upsert.
public enum UpsertOutcome: Sendable, Hashable {
    /// The record is stored (inserted, or replaced a copy of the same or an older version).
    case stored
    /// The store holds a newer version, which was kept.
    case refused(storedVersion: Int64)
}

/// What became of the records given to a bulk upsert.
public struct UpsertResult: Sendable, Hashable {
    /// How many records were stored.
    public let stored: Int
    /// The records refused because the store holds a newer version: each with that stored version.
    public let refused: [FeedItem]

    /// Creates a result.
    public init(stored: Int, refused: [FeedItem]) {
        self.stored = stored
        self.refused = refused
    }

    /// The outcome of a one-record upsert.
    var single: UpsertOutcome { refused.first.map { .refused(storedVersion: $0.version) } ?? .stored }
}
