public import Logging
public import PostgresNIO
import Synchronization

/// What `/metrics` exports, read from the database at scrape time (so every host of a cluster
/// answers the same numbers). Counts and ages only: no row's content, no personal data.
public struct QueueMetrics: Sendable {
    /// Per job kind (every registered kind, with zeros): jobs waiting for a dependency, pending or
    /// retrying (the queue's depth), of them the ones due now, and how long the oldest due job has
    /// been due, in seconds (0 when none is).
    public struct Kind: Sendable, Hashable {
        public let kind: String
        public let depth: Int
        public let due: Int
        public let oldestDueSeconds: Double
    }

    public let kinds: [Kind]
    /// (kind, state, jobs): every job of the table, finished ones included.
    public let jobsByState: [(kind: String, state: String, jobs: Int)]
    /// Data events not yet handled (`sync.data_event_backlog`).
    public let dataEventsPending: Int
    /// (alert type, open alerts), every alert type with zeros.
    public let openAlerts: [(type: String, alerts: Int)]
}

/// The SQL of the console's `/health` and `/metrics`.
public struct ConsoleMetricsStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Whether the database answers a trivial statement within `limit`. A load balancer asks often
    /// and wants an answer at once: a statement still waiting for a connection after `limit` (the
    /// server down, the pool stuck) counts as no answer, and is left to finish or fail on its own.
    public func isAnswering(within limit: Duration = .seconds(2)) async -> Bool {
        await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
            let answer = FirstAnswer(continuation)
            Task { answer.give(await selectOne()) }
            Task {
                try? await Task.sleep(for: limit)
                answer.give(false)
            }
        }
    }

    private func selectOne() async -> Bool {
        do {
            for try await one in try await client.query("SELECT 1", logger: logger).decode(Int.self) { return one == 1 }
            return false
        } catch {
            return false
        }
    }

    /// The numbers of ``QueueMetrics``, each from one statement over indexed or small sets.
    public func metrics() async throws -> QueueMetrics {
        // Unfinished jobs only (a partial index each): finished history does not slow the scrape.
        var kinds: [QueueMetrics.Kind] = []
        for try await (kind, depth, due, oldest) in try await client.query("""
            SELECT k.name, count(j.id)::int,
                   count(j.id) FILTER (WHERE j.state IN ('pending', 'retrying') AND j.run_at <= now())::int,
                   coalesce(extract(epoch FROM now() - min(j.run_at) FILTER (WHERE j.state IN ('pending', 'retrying') AND j.run_at <= now())), 0)::float8
            FROM queue.job_kinds AS k
            LEFT JOIN queue.jobs AS j ON j.kind = k.name AND j.state IN ('waiting', 'pending', 'retrying')
            GROUP BY k.name ORDER BY k.name
            """, logger: logger).decode((String, Int, Int, Double).self) {
            kinds.append(.init(kind: kind, depth: depth, due: due, oldestDueSeconds: max(0, oldest)))
        }
        var byState: [(String, String, Int)] = []
        for try await row in try await client.query("""
            SELECT c.kind, s.state, s.jobs::int
            FROM queue.kind_counts AS c
            CROSS JOIN LATERAL (VALUES ('waiting', c.waiting), ('pending', c.pending), ('running', c.running), ('retrying', c.retrying),
                                       ('completed', c.completed), ('failed', c.failed), ('cancelled', c.cancelled)) AS s (state, jobs)
            ORDER BY c.kind, s.state
            """, logger: logger).decode((String, String, Int).self) { byState.append(row) }
        var pending = 0
        for try await count in try await client.query(
            "SELECT coalesce(sum(events), 0)::int FROM sync.data_event_backlog", logger: logger
        ).decode(Int.self) { pending = count }
        var alerts: [(String, Int)] = []
        for try await row in try await client.query("""
            SELECT t.type, coalesce(sum(c.alerts), 0)::int
            FROM unnest(ARRAY['Conflict', 'Rejection', 'Failure', 'Warning', 'Advice']) AS t (type)
            LEFT JOIN sync.open_alert_counts AS c ON c.alert_type = t.type
            GROUP BY t.type ORDER BY t.type
            """, logger: logger).decode((String, Int).self) { alerts.append(row) }
        return QueueMetrics(kinds: kinds, jobsByState: byState.map { ($0.0, $0.1, $0.2) }, dataEventsPending: pending,
                            openAlerts: alerts.map { ($0.0, $0.1) })
    }
}

/// Resumes a continuation with the first answer given, and ignores the rest.
private final class FirstAnswer: Sendable {
    private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

    init(_ continuation: CheckedContinuation<Bool, Never>) { self.continuation = Mutex(continuation) }

    func give(_ answer: Bool) {
        let waiting = continuation.withLock { waiting in
            defer { waiting = nil }
            return waiting
        }
        waiting?.resume(returning: answer)
    }
}
