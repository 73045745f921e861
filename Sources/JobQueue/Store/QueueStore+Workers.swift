import PostgresNIO

extension QueueStore {
    // MARK: Kinds and workers

    /// Records the kinds this binary can run, so that inserts of them are accepted.
    public func register(kinds: [KindRegistration]) async throws {
        // In name order, whoever registers: `pasisync migrate` and a starting worker upserting the
        // same rows in two orders deadlocked (and the migrate failed).
        let kinds = kinds.sorted { $0.name < $1.name }
        try await timed {
            try await client.query("""
                INSERT INTO queue.job_kinds (name, title, max_attempts, timeout_seconds, scheduled_title, family)
                SELECT name, title, max_attempts, nullif(timeout_seconds, 0), nullif(scheduled_title, ''), nullif(family, '')
                FROM unnest(\(kinds.map(\.name))::text[], \(kinds.map(\.title))::text[],
                            \(kinds.map(\.maxAttempts))::int[], \(kinds.map { $0.timeoutSeconds ?? 0 })::int[],
                            \(kinds.map { $0.scheduledTitle ?? "" })::text[], \(kinds.map { $0.family ?? "" })::text[])
                     AS k(name, title, max_attempts, timeout_seconds, scheduled_title, family)
                ON CONFLICT (name) DO UPDATE SET title = EXCLUDED.title, max_attempts = EXCLUDED.max_attempts,
                    timeout_seconds = EXCLUDED.timeout_seconds, scheduled_title = EXCLUDED.scheduled_title,
                    family = EXCLUDED.family
                """, logger: logger)
        }
    }

    public func registerWorker(id: String, host: String, pid: Int, slots: Int, kinds: [String]) async throws {
        try await timed {
            try await client.query("""
                INSERT INTO queue.workers (id, host, pid, slots, kinds) VALUES (\(id), \(host), \(pid), \(slots), \(kinds))
                ON CONFLICT (id) DO UPDATE SET heartbeat_at = now(), stopping = false
                """, logger: logger)
        }
    }

    public func markWorkerStopping(id: String) async throws {
        try await timed {
            try await client.query("UPDATE queue.workers SET stopping = true WHERE id = \(id)", logger: logger)
        }
    }

    public func unregisterWorker(id: String) async throws {
        try await timed {
            try await client.query("DELETE FROM queue.workers WHERE id = \(id)", logger: logger)
        }
    }
}
