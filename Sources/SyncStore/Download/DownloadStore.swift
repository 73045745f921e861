public import Logging
public import PASIModel
public import PostgresNIO

/// One notification type's share of a download (`sync.download_progress`).
public struct DownloadProgress: Sendable, Hashable {
    public let notificationType: String
    public let items: Int
    public let done: Int
    public let batches: Int
    public let batchesDone: Int
    /// Records PASI deleted (IsDeleted): removed from the local copy.
    public let deleted: Int
    /// Records PASI answered No Access to: kept, marked.
    public let noAccess: Int
    /// Records PASI answered Unknown to: kept, marked.
    public let unknown: Int

    public init(notificationType: String, items: Int, done: Int, batches: Int, batchesDone: Int, deleted: Int = 0, noAccess: Int = 0, unknown: Int = 0) {
        self.notificationType = notificationType
        self.items = items
        self.done = done
        self.batches = batches
        self.batchesDone = batchesDone
        self.deleted = deleted
        self.noAccess = noAccess
        self.unknown = unknown
    }

    /// Whether every batch of the type has stored its records.
    public var isFinished: Bool { batchesDone == batches }
}

/// What a download batch stored once finished.
public struct DownloadBatchOutcome: Sendable, Hashable {
    public var stored: Int
    public var refused: Int
    /// Deleted by PASI (IsDeleted), so removed from the local copy.
    public var missing: Int
    /// Answered No Access: kept in the local copy, marked.
    public var noAccess: Int
    /// Answered Unknown: kept in the local copy, marked.
    public var unknown: Int
    public init(stored: Int, refused: Int, missing: Int, noAccess: Int = 0, unknown: Int = 0) {
        self.stored = stored
        self.refused = refused
        self.missing = missing
        self.noAccess = noAccess
        self.unknown = unknown
    }
}

/// The bookkeeping of the download processes: the batches a Load Local Copy or Hash
/// Synchronization fanned out (`sync.download_batches`), and how far the local store has read
/// PASI's change feed per notification type (`sync.feed_cursors`).
public struct DownloadStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: - Batches

    /// Records a batch to fetch and its ids, in the transaction that enqueues its job. The ids
    /// (ASNs, for students) live here rather than in the job's arguments: `queue.jobs` holds no
    /// personal data.
    public func addBatch(jobID: Int64, rootJobID: Int64, type: NotificationType, ids: [String], on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO sync.download_batches (job_id, root_job_id, notification_type, items, ids)
            VALUES (\(jobID), \(rootJobID), \(type.description), \(ids.count), \(ids)) ON CONFLICT (job_id) DO NOTHING
            """, logger: logger)
    }

    /// The ids of a batch not yet stored (empty when it is stored, or unknown).
    public func ids(ofBatch jobID: Int64) async throws -> [String] {
        let rows = try await client.query(
            "SELECT coalesce(ids, '{}') FROM sync.download_batches WHERE job_id = \(jobID)", logger: logger)
        for try await ids in rows.decode([String].self) { return ids }
        return []
    }

    /// Whether a batch's records are already in the store.
    public func isFinished(jobID: Int64) async throws -> Bool {
        let rows = try await client.query(
            "SELECT finished_at IS NOT NULL FROM sync.download_batches WHERE job_id = \(jobID)", logger: logger)
        for try await finished in rows.decode(Bool.self) { return finished }
        return false
    }

    /// Marks a batch finished, in the transaction that stored its records, so that it is never
    /// fetched again. Locks the row: of two attempts racing, the second finds it finished.
    /// - Returns: false when the batch was finished already (nothing should be committed then).
    public func finish(jobID: Int64, _ outcome: DownloadBatchOutcome, on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query("""
            UPDATE sync.download_batches SET stored = \(outcome.stored), refused = \(outcome.refused),
                missing = \(outcome.missing), no_access = \(outcome.noAccess), unknown = \(outcome.unknown), finished_at = now(),
                ids = NULL
            WHERE job_id = \(jobID) AND finished_at IS NULL RETURNING job_id
            """, logger: logger)
        for try await _ in rows.decode(Int64.self) { return true }
        return false
    }

    /// Which types a download already fanned out (a re-run of its job skips them).
    public func typesFannedOut(rootJobID: Int64) async throws -> Set<String> {
        let rows = try await client.query(
            "SELECT DISTINCT notification_type FROM sync.download_batches WHERE root_job_id = \(rootJobID)", logger: logger)
        var types: Set<String> = []
        for try await type in rows.decode(String.self) { types.insert(type) }
        return types
    }

    /// Per notification type of a download: records to fetch and fetched.
    public func progress(rootJobID: Int64, on connection: PostgresConnection) async throws -> [DownloadProgress] {
        let rows = try await connection.query("""
            SELECT notification_type, items::int8, done::int8, batches, batches_done, deleted::int8, no_access::int8, unknown::int8
            FROM sync.download_progress WHERE job_id = \(rootJobID)
            """, logger: logger)
        var progress: [DownloadProgress] = []
        for try await (type, items, done, batches, batchesDone, deleted, noAccess, unknown)
            in rows.decode((String, Int64, Int64, Int64, Int64, Int64, Int64, Int64).self) {
            progress.append(DownloadProgress(notificationType: type, items: Int(items), done: Int(done),
                                             batches: Int(batches), batchesDone: Int(batchesDone),
                                             deleted: Int(deleted), noAccess: Int(noAccess), unknown: Int(unknown)))
        }
        return progress
    }

    /// ``progress(rootJobID:on:)`` for the message about to be written on the download's job, in
    /// the transaction that writes it: the job's row is locked first, so the download's batches
    /// and its closing message read and write it one after another, each reading (a new statement,
    /// so a new snapshot) what the others committed before it. Without the lock, of two batches
    /// committing at once each read the other unfinished, and the message written last showed
    /// fewer records done than were (READ COMMITTED).
    public func progressForMessage(rootJobID: Int64, on connection: PostgresConnection) async throws -> [DownloadProgress] {
        let locked = try await connection.query("SELECT 1 FROM queue.jobs WHERE id = \(rootJobID) FOR UPDATE", logger: logger)
        for try await _ in locked.decode(Int32.self) {}
        return try await progress(rootJobID: rootJobID, on: connection)
    }

    // MARK: - Feed cursors

    /// The highest feed version the local store has read of a type, 0 when never read.
    public func cursor(of type: NotificationType) async throws -> Int64 {
        let rows = try await client.query(
            "SELECT version FROM sync.feed_cursors WHERE notification_type = \(type.description)", logger: logger)
        for try await version in rows.decode(Int64.self) { return version }
        return 0
    }

    /// Moves a type's cursor to `version` (never back), in the caller's transaction.
    public func moveCursor(of type: NotificationType, to version: Int64, byJob job: Int64?, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO sync.feed_cursors AS c (notification_type, version, updated_by_job)
            VALUES (\(type.description), \(version), \(job))
            ON CONFLICT (notification_type) DO UPDATE SET version = EXCLUDED.version, updated_at = now(),
                updated_by_job = EXCLUDED.updated_by_job
            WHERE c.version < EXCLUDED.version
            """, logger: logger)
    }

    // MARK: - Hash results

    /// One object type's result of a Hash Synchronization.
    public struct HashResult: Sendable, Hashable {
        public var object: String
        public var type: NotificationType
        public var status: String
        public var localItems: Int
        public var pasiItems: Int?
        public var toFetch: Int
        public var removed: Int
        public var localHash: String?
        public init(object: String, type: NotificationType, status: String, localItems: Int, pasiItems: Int?, toFetch: Int, removed: Int, localHash: String?) {
            self.object = object
            self.type = type
            self.status = status
            self.localItems = localItems
            self.pasiItems = pasiItems
            self.toFetch = toFetch
            self.removed = removed
            self.localHash = localHash
        }
    }

    /// Records a type's hash result, in the caller's transaction (a re-run replaces it).
    public func saveHashResult(jobID: Int64, _ result: HashResult, on connection: PostgresConnection) async throws {
        try await connection.query("""
            INSERT INTO sync.hash_results (job_id, object, notification_type, status, local_items, pasi_items, to_fetch, removed, local_hash)
            VALUES (\(jobID), \(result.object), \(result.type.description), \(result.status), \(result.localItems),
                    \(result.pasiItems), \(result.toFetch), \(result.removed), \(result.localHash))
            ON CONFLICT (job_id, notification_type) DO UPDATE SET status = EXCLUDED.status, local_items = EXCLUDED.local_items,
                pasi_items = EXCLUDED.pasi_items, to_fetch = EXCLUDED.to_fetch, removed = EXCLUDED.removed,
                local_hash = EXCLUDED.local_hash, checked_at = now()
            """, logger: logger)
    }

    /// The results a Hash Synchronization recorded, by notification type.
    public func hashResults(jobID: Int64) async throws -> [HashResult] {
        let rows = try await client.query("""
            SELECT object, notification_type, status, local_items, pasi_items, to_fetch, removed, local_hash
            FROM sync.hash_results WHERE job_id = \(jobID) ORDER BY notification_type
            """, logger: logger)
        var results: [HashResult] = []
        for try await (object, type, status, local, pasi, fetch, removed, hash) in rows.decode((String, String, String, Int, Int?, Int, Int, String?).self) {
            results.append(HashResult(object: object, type: try NotificationType(type), status: status, localItems: local,
                                      pasiItems: pasi, toFetch: fetch, removed: removed, localHash: hash))
        }
        return results
    }
}
