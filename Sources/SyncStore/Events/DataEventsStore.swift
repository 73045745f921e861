public import Foundation
public import Logging
public import PostgresNIO

/// What happened to a row of a synchronized SIS table.
public enum DataEventOperation: String, Sendable, Hashable, CaseIterable {
    /// The row was inserted.
    case insert = "I"
    /// The row was updated.
    case update = "U"
    /// The row was deleted.
    case delete = "D"
}

/// One row of `sync.data_events`, written by event monitoring's triggers.
public struct DataEvent: Sendable, Hashable {
    /// The event's place in the queue: events are handled in this order.
    public let id: Int64
    /// The SIS table, schema-qualified, e.g. `sis.students`.
    public let tableName: String
    /// The row's key as text, e.g. a student's id.
    public let rowKey: String
    /// Insert, update or delete.
    public let operation: DataEventOperation
    /// For an update the columns whose value changed, for an insert those given a value, for a
    /// delete none; sorted by name.
    public let changedColumns: [String]
    /// When the change was made (its transaction's time).
    public let occurredAt: Date

    /// Creates an event.
    public init(id: Int64, tableName: String, rowKey: String, operation: DataEventOperation, changedColumns: [String], occurredAt: Date) {
        self.id = id
        self.tableName = tableName
        self.rowKey = rowKey
        self.operation = operation
        self.changedColumns = changedColumns
        self.occurredAt = occurredAt
    }
}

/// A problem with stored events themselves.
public struct DataEventsStoreError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Reads the data event queue (`sync.data_events`) and archives old events.
public struct DataEventsStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The next events of the queue, in order.
    ///
    /// Ids are taken when a change is made but become visible when its transaction commits, so a
    /// reader that remembers the last id it handled can miss an event of a transaction that was
    /// still open; a long-running reader should re-read a short window behind its last id.
    /// - Parameters:
    ///   - id: Events after this id; 0 for the start of the queue.
    ///   - limit: At most this many (at least 1).
    /// - Returns: The events, by ascending id.
    /// - Throws: ``DataEventsStoreError`` for an unknown operation code; database errors.
    public func events(after id: Int64, limit: Int) async throws -> [DataEvent] {
        let limit = max(1, limit)
        let rows = try await client.query("""
            SELECT id, table_name, row_key, operation::text, changed_columns, occurred_at
            FROM sync.data_events WHERE id > \(id) ORDER BY id LIMIT \(limit)
            """, logger: logger)
        var events: [DataEvent] = []
        for try await (id, table, key, code, columns, occurredAt) in rows.decode((Int64, String, String, String, [String], Date).self) {
            guard let operation = DataEventOperation(rawValue: code) else {
                throw DataEventsStoreError("sync.data_events \(id) has an unknown operation \(code)")
            }
            events.append(DataEvent(id: id, tableName: table, rowKey: key, operation: operation,
                                    changedColumns: columns, occurredAt: occurredAt))
        }
        return events
    }

    /// Calls `notified` at every `NOTIFY pasisync_events` (what the event-monitoring triggers send
    /// when a statement wrote events), and once each time listening (re)starts, since events may
    /// have been written while nobody listened. Reconnects after a lost connection, backing off
    /// up to 5 s; returns when the task is cancelled.
    public func listen(_ notified: @escaping @Sendable () -> Void) async {
        var failures = 0
        while !Task.isCancelled {
            do {
                try await client.withConnection { connection in
                    try await connection.listen(on: "pasisync_events") { notifications in
                        failures = 0
                        notified()
                        for try await _ in notifications { notified() }
                    }
                }
            } catch {
                if Task.isCancelled { return }
                failures += 1
                logger.warning("listening for data events failed; listening again", metadata: ["error": "\(String(reflecting: error))", "failures": "\(failures)"])
                try? await Task.sleep(for: .milliseconds(min(5000, 100 << min(failures, 6))))
            }
        }
    }

    /// Moves the events older than `days` days into `sync.data_events_archive`, in one statement
    /// (Archive Events Older Than; the archive keeps each event's id).
    /// - Parameter days: The age in days; the setting allows 30, 60, 90, 120, 180 or 365.
    /// - Returns: How many events were moved.
    /// - Throws: Database errors.
    @discardableResult
    public func archive(olderThanDays days: Int) async throws -> Int {
        let rows = try await client.query("""
            WITH moved AS (
                DELETE FROM sync.data_events WHERE occurred_at < now() - interval '1 day' * \(days)
                RETURNING id, table_name, row_key, operation, changed_columns, occurred_at
            ), archived AS (
                INSERT INTO sync.data_events_archive (id, table_name, row_key, operation, changed_columns, occurred_at)
                SELECT id, table_name, row_key, operation, changed_columns, occurred_at FROM moved
                RETURNING 1
            )
            SELECT count(*) FROM archived
            """, logger: logger)
        for try await count in rows.decode(Int.self) {
            logger.debug("data events archived", metadata: ["count": "\(count)", "older_than_days": "\(days)"])
            return count
        }
        return 0
    }
}
