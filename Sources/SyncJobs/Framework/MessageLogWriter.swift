import JobQueue
import SyncStore

/// Writes the Messages Log by group commit: a call's line is appended at once when no append is
/// running, and the lines of the calls that end while one is running all go in the next append,
/// one statement for all of them. Each caller still returns only once its own line is written
/// (tests and people read `sync.message_log` right after a call), but with ten submits in flight
/// Regular Sync makes about one statement per round of answers instead of one per call: that
/// statement was half of what its PostgreSQL connection did per submit.
actor MessageLogWriter {
    private let store: MessageLogStore
    /// How long one append may take: a statement on a connection PostgreSQL has just closed is
    /// never answered (PostgresNIO 1.33); after this the waiting calls go on without their lines.
    private let deadline: Duration
    private var queued: [(entry: MessageLogEntry, done: CheckedContinuation<Void, any Error>)] = []
    private var isWriting = false

    init(store: MessageLogStore, deadline: Duration) {
        self.store = store
        self.deadline = deadline
    }

    /// Appends `entry`, returning once it is written (or its append failed).
    func append(_ entry: MessageLogEntry) async throws {
        try await withCheckedThrowingContinuation { (done: CheckedContinuation<Void, any Error>) in
            queued.append((entry, done))
            if !isWriting {
                isWriting = true
                Task { await writeQueued() }
            }
        }
    }

    /// Appends what is queued, then what was queued meanwhile, until nothing is.
    private func writeQueued() async {
        while !queued.isEmpty {
            let batch = queued
            queued = []
            let failures = await write(batch.map(\.entry))
            for (index, waiting) in batch.enumerated() {
                if let failure = failures[index] { waiting.done.resume(throwing: failure) } else { waiting.done.resume() }
            }
        }
        isWriting = false
    }

    /// The failure of each entry, if any. A batch that breaks a rule of the table (a
    /// ClientMessageID used before) is written again line by line, so only the bad line fails.
    private func write(_ entries: [MessageLogEntry]) async -> [(any Error)?] {
        do {
            try await appendUnderDeadline(entries)
            return entries.map { _ in nil }
        } catch where entries.count > 1 && !(error is StatementTimeout) {
            var failures: [(any Error)?] = []
            for entry in entries {
                do {
                    try await appendUnderDeadline([entry])
                    failures.append(nil)
                } catch {
                    failures.append(error)
                }
            }
            return failures
        } catch {
            return entries.map { _ in error }
        }
    }

    private func appendUnderDeadline(_ entries: [MessageLogEntry]) async throws {
        let (store, deadline) = (self.store, self.deadline)
        try await withDeadline(deadline, timeout: StatementTimeout(limit: deadline)) {
            try await store.append(entries)
        }
    }
}
