import Foundation
public import Logging
public import PostgresNIO

/// What a handler gets besides its arguments: who it is, a logger, the database, and ways to
/// report progress and fan out work.
public struct JobContext: Sendable {
    /// The attempt being run.
    public let job: ClaimedJob
    /// The id of the worker running it.
    public let workerID: String
    /// A logger carrying the job's id, kind and attempt as metadata.
    public let logger: Logger
    let store: QueueStore
    /// Tells the worker's watchdog that the attempt moves (``JobHandler/stallLimit``).
    let pulse: @Sendable () -> Void

    init(job: ClaimedJob, workerID: String, logger: Logger, store: QueueStore, pulse: @escaping @Sendable () -> Void = {}) {
        self.job = job
        self.workerID = workerID
        self.store = store
        self.logger = logger
        self.pulse = pulse
    }

    /// The database the cluster runs on, for the handler's own repository layer.
    public var client: PostgresClient { store.client }

    /// Records how far the attempt got; `queue --watch` and `queue.job_list` show it.
    /// - Throws: ``LeaseLost`` when the attempt no longer holds its lease: stop working, someone
    ///   else runs the job now.
    public func progress(done: Int64, total: Int64? = nil, message: String? = nil) async throws {
        pulse()
        guard try await store.progress(job, worker: workerID, done: done, total: total, message: message) else {
            throw LeaseLost(jobID: job.id, attempt: job.attempt)
        }
    }

    /// Inserts a child job: this job completes only when all its children have completed, and
    /// fails if one of them fails.
    @discardableResult
    public func enqueueChild(_ child: NewJob) async throws -> EnqueueResult {
        var child = child
        child.parentID = job.id
        return try await store.enqueue(child)
    }

    /// Tells the worker that the attempt still moves, without writing anything: for a handler
    /// that works for longer than its kind's ``JobHandler/stallLimit`` between two progress reports.
    public func stillWorking() { pulse() }

    /// Runs `body` in one transaction on a connection of its own, fenced: what it writes commits
    /// together, and only while this attempt still holds its lease (``checkLease(on:)`` runs last,
    /// in the same transaction); otherwise it rolls back and ``LeaseLost`` is thrown.
    ///
    /// Its own statements (BEGIN, the fence, COMMIT) run under the queue's statement deadline and
    /// never on a connection the server closed: PostgresNIO 1.33 never answers a statement
    /// written on a closed channel, and PostgreSQL restarting closes them all at once.
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        return try await store.client.withConnection { connection in
            guard !connection.isClosed else { throw ConnectionClosedBeforeFence() }
            try await store.timed { _ = try await connection.query("BEGIN", logger: logger) }
            let value: T
            do {
                // The body has no deadline, but it does not outlive its connection.
                value = try await whileOpen(connection, orThrow: ConnectionClosedBeforeFence()) { try await body(connection) }
                try await store.timed { try await checkLease(on: connection) }
            } catch {
                if !connection.isClosed { _ = try? await store.timed { _ = try await connection.query("ROLLBACK", logger: logger) } }
                throw error
            }
            guard !connection.isClosed else { throw ConnectionClosedBeforeFence() }
            try await store.timed { _ = try await connection.query("COMMIT", logger: logger) }
            return value
        }
    }

    /// Inserts an independent job.
    @discardableResult
    public func enqueue(_ other: NewJob) async throws -> EnqueueResult {
        try await store.enqueue(other)
    }
}

extension JobContext {
    /// The fence of a handler's writes: run last in the transaction that holds them, on its
    /// `connection`. It locks the job's row while the attempt still holds an unexpired lease, so
    /// that no reaper can hand the job to another worker between this check and the commit (the
    /// reaper skips locked rows); a worker frozen or cut off past its lease is refused here and
    /// its transaction rolls back.
    /// - Throws: ``LeaseLost`` when the attempt no longer holds its lease.
    public func checkLease(on connection: PostgresConnection) async throws {
        guard try await store.holdsLease(job, worker: workerID, on: connection) else {
            throw LeaseLost(jobID: job.id, attempt: job.attempt)
        }
    }
}

/// The attempt lost its lease (it expired, or the job was given to another worker).
public struct LeaseLost: Error, CustomStringConvertible {
    public let jobID: Int64
    public let attempt: Int
    public var description: String { "job \(jobID) attempt \(attempt) no longer holds its lease" }

    public init(jobID: Int64, attempt: Int) {
        self.jobID = jobID
        self.attempt = attempt
    }
}
