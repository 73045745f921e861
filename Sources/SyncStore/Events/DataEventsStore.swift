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

    /// Says that Regular Sync is draining, for `lease` from now: the event-monitoring triggers send
    /// no NOTIFY meanwhile (`sync.wake_regular_sync`: a NOTIFY serializes the SIS's commits), since Regular
    /// Sync reads the next round by itself. Only while `holder` still holds the job's lease: an
    /// attempt that lost it (its worker frozen or cut off, then back) learns so here, in the same
    /// statement, before it reads a round that the job's new attempt sends.
    /// - Returns: False when `holder` no longer holds the lease (nothing was written).
    /// - Throws: Database errors.
    public func draining(for lease: Duration, heldBy holder: LeaseHolder) async throws -> Bool {
        let milliseconds = Int(lease.components.seconds * 1000 + lease.components.attoseconds / 1_000_000_000_000_000)
        let rows = try await client.query("""
            UPDATE sync.regular_sync_draining SET draining_until = now() + \(milliseconds)::int * interval '1 millisecond'
            WHERE EXISTS (SELECT 1 FROM queue.jobs
                          WHERE id = \(holder.jobID) AND attempt = \(holder.attempt) AND state = 'running'
                            AND lease_owner = \(holder.worker) AND lease_expires_at > clock_timestamp())
            RETURNING 1
            """, logger: logger)
        for try await _ in rows { return true }
        return false
    }

    /// Says that Regular Sync may be waiting: the triggers NOTIFY it again.
    /// - Throws: Database errors.
    public func waiting() async throws {
        try await client.query("UPDATE sync.regular_sync_draining SET draining_until = NULL", logger: logger)
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

    /// What archiving would take now: the handled events (any status but Pending) that occurred
    /// before `cutoff`, and the Pending ones that old, which it leaves where they are.
    /// - Parameter cutoff: Events that occurred before this instant.
    /// - Throws: Database errors.
    public func archivable(before cutoff: Date) async throws -> (handled: Int, pending: Int) {
        let rows = try await client.query("""
            SELECT count(*) FILTER (WHERE status <> 'Pending')::int, count(*) FILTER (WHERE status = 'Pending')::int
            FROM sync.data_events WHERE occurred_at < \(cutoff)
            """, logger: logger)
        for try await counts in rows.decode((Int, Int).self) { return (counts.0, counts.1) }
        return (0, 0)
    }

    /// Moves one batch of handled events that occurred before `cutoff` into
    /// `sync.data_events_archive`, oldest first, in one short transaction (Archive Events Older
    /// Than). A Pending event is never moved, not even one that regular synchronization is
    /// handling right now: the rows are locked and their status checked again before they go.
    /// The archive keeps each event's id, status, handling time, PASI version and detail.
    /// - Parameters:
    ///   - cutoff: Only events that occurred before this instant.
    ///   - limit: At most this many (at least 1).
    /// - Returns: How many events were moved; 0 when none is left.
    /// - Throws: Database errors (an id already in the archive is a conflict, not skipped: the
    ///   event would otherwise be lost).
    public func archiveBatch(before cutoff: Date, limit: Int) async throws -> Int {
        let limit = max(1, limit)
        let rows = try await client.query("""
            WITH picked AS (
                SELECT id FROM sync.data_events
                WHERE occurred_at < \(cutoff) AND status <> 'Pending'
                ORDER BY occurred_at, id LIMIT \(limit)::int
                FOR UPDATE SKIP LOCKED
            ), moved AS (
                DELETE FROM sync.data_events e USING picked
                WHERE e.id = picked.id AND e.status <> 'Pending'
                RETURNING e.id, e.table_name, e.row_key, e.operation, e.changed_columns, e.occurred_at,
                          e.status, e.handled_at, e.pasi_version, e.detail
            ), archived AS (
                INSERT INTO sync.data_events_archive (id, table_name, row_key, operation, changed_columns, occurred_at,
                                                      status, handled_at, pasi_version, detail)
                SELECT id, table_name, row_key, operation, changed_columns, occurred_at, status, handled_at, pasi_version, detail
                FROM moved
                RETURNING 1
            )
            SELECT count(*)::int FROM archived
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }

    /// Moves every handled event older than `days` days into the archive, batch by batch
    /// (see ``archiveBatch(before:limit:)``); Pending events stay.
    /// - Parameters:
    ///   - days: The age in days; the setting allows 30, 60, 90, 120, 180 or 365.
    ///   - batchSize: Events per transaction.
    /// - Returns: How many events were moved.
    /// - Throws: ``DataEventsStoreError`` for a negative age; database errors.
    @discardableResult
    public func archive(olderThanDays days: Int, batchSize: Int = 10_000) async throws -> Int {
        guard days >= 0 else { throw DataEventsStoreError("an archive age is a number of days from 0 up, got \(days)") }
        let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
        var moved = 0
        while true {
            let batch = try await archiveBatch(before: cutoff, limit: batchSize)
            moved += batch
            if batch == 0 { break }
        }
        logger.debug("data events archived", metadata: ["count": "\(moved)", "older_than_days": "\(days)"])
        return moved
    }
}

/// The attempt of a job that writes, with the worker that runs it: a statement that must write only
/// while that attempt holds the job's lease checks it in its own `WHERE` (`queue.jobs`).
public struct LeaseHolder: Sendable, Hashable {
    public let jobID: Int64
    public let attempt: Int
    public let worker: String

    public init(jobID: Int64, attempt: Int, worker: String) {
        self.jobID = jobID
        self.attempt = attempt
        self.worker = worker
    }
}
