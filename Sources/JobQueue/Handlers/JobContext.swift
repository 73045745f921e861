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

    init(job: ClaimedJob, workerID: String, logger: Logger, store: QueueStore) {
        self.job = job
        self.workerID = workerID
        self.store = store
        self.logger = logger
    }

    /// The database the cluster runs on, for the handler's own repository layer.
    public var client: PostgresClient { store.client }

    /// Records how far the attempt got; `queue --watch` and `queue.job_list` show it.
    /// - Throws: ``LeaseLost`` when the attempt no longer holds its lease: stop working, someone
    ///   else runs the job now.
    public func progress(done: Int64, total: Int64? = nil, message: String? = nil) async throws {
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

    /// Runs `body` in one transaction on a connection of its own: what it writes commits together,
    /// or not at all.
    public func withTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await store.client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            let value: T
            do {
                value = try await body(connection)
            } catch {
                if !connection.isClosed { _ = try? await connection.query("ROLLBACK", logger: logger) }
                throw error
            }
            try await connection.query("COMMIT", logger: logger)
            return value
        }
    }

    /// Inserts an independent job.
    @discardableResult
    public func enqueue(_ other: NewJob) async throws -> EnqueueResult {
        try await store.enqueue(other)
    }
}

/// The attempt lost its lease (it expired, or the job was given to another worker).
public struct LeaseLost: Error, CustomStringConvertible {
    public let jobID: Int64
    public let attempt: Int
    public var description: String { "job \(jobID) attempt \(attempt) no longer holds its lease" }
}
