public import Logging
public import PostgresNIO

/// A worker whose heartbeat is recent (`queue.live_workers`), as the console's Workers page shows it.
public struct LiveWorker: Sendable, Hashable {
    /// The worker's id (`host:pid:…`), which the queue names as a running job's worker.
    public let id: String
    public let host: String
    public let pid: Int
    /// How many jobs it runs at once.
    public let slots: Int
    /// How many jobs it runs now.
    public let running: Int
    /// Whether it is shutting down (finishing its jobs, taking no new one).
    public let stopping: Bool
    /// How long it has run, `HH:MM:SS` (days first when longer).
    public let up: String
    /// How long ago its last heartbeat was, in seconds with milliseconds.
    public let lastHeartbeatSeconds: Double
    /// When its last heartbeat was, in the cluster's local time.
    public let lastHeartbeatLocal: String
}

/// What the Workers page reads: `queue.live_workers`, and how many registered workers have gone
/// silent (no heartbeat for a minute: stopped without unregistering, or their host is gone).
public struct ClusterPageStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The workers alive now, by host and pid.
    public func liveWorkers() async throws -> [LiveWorker] {
        let rows = try await client.query("""
            SELECT w.id, w.host, w.pid, w.slots, w.running::int, w.stopping, w.up::text,
                   extract(epoch FROM w.last_heartbeat)::float8,
                   to_char((now() - w.last_heartbeat) AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI:SS')
            FROM queue.live_workers AS w CROSS JOIN \(unescaped: AlertsStore.clusterZone) AS z
            ORDER BY w.host, w.pid, w.id
            """, logger: logger)
        var workers: [LiveWorker] = []
        for try await row in rows.decode((String, String, Int, Int, Int, Bool, String, Double, String).self) {
            workers.append(LiveWorker(id: row.0, host: row.1, pid: row.2, slots: row.3, running: row.4, stopping: row.5,
                                      up: row.6, lastHeartbeatSeconds: row.7, lastHeartbeatLocal: row.8))
        }
        return workers
    }

    /// Jobs running now whose lease no live worker holds (their worker died: the queue's lost-lease
    /// check gives them back once their lease expires).
    public func runningWithoutLiveWorker() async throws -> Int {
        let rows = try await client.query("""
            SELECT count(*)::int FROM queue.jobs AS j
            WHERE j.state = 'running' AND NOT EXISTS (SELECT 1 FROM queue.live_workers AS w WHERE w.id = j.lease_owner)
            """, logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
