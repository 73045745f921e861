import Foundation

/// How a ``Worker`` runs. Every value has a documented default, so `WorkerConfiguration()` works.
public struct WorkerConfiguration: Sendable {
    /// Jobs run at once: the seed's thread count factor (10), or 1 in single-threading mode.
    public var slots: Int = 10
    /// How long a claimed attempt is held without renewal. Renewed every third of it.
    public var lease: Duration = .seconds(30)
    /// How often to look for due jobs when no notification arrives (delayed and retried jobs).
    public var pollInterval: Duration = .seconds(1)
    /// While most slots are busy, how long to wait for more to free up before claiming (and for
    /// more jobs to end before writing completions), so that one statement serves several jobs.
    /// Never applies to an idle worker, so it adds nothing to the latency of a lone job.
    public var batchWindow: Duration = .milliseconds(2)
    /// On SIGTERM/SIGINT, how long running jobs may go on before they are released to the queue.
    public var gracePeriod: Duration = .seconds(20)
    /// How long a handler that was asked to stop (shutdown, lost lease, cancel) may ignore it
    /// before the worker stops waiting for it.
    public var abandonAfter: Duration = .seconds(5)
    /// Finished jobs kept per kind (the seed's "Keep Synchronization History", default 100).
    public var keepHistory: Int = 100
    /// How often finished history is pruned.
    public var pruneInterval: Duration = .seconds(10)
    /// The longest sleep of the schedule firer: it wakes at the earliest slot, and at once when
    /// a schedule changes; this bounds how late it sees a kind registered after it looked.
    public var scheduleCheckInterval: Duration = .seconds(10)
    /// This worker's name in `queue.workers` and in `lease_owner`.
    public var workerID: String = WorkerConfiguration.defaultWorkerID()

    public init() {}

    /// `host:pid:random`, unique across restarts of the same pid.
    public static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        let pid = ProcessInfo.processInfo.processIdentifier
        let tag = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(host):\(pid):\(tag)"
    }

    /// The heartbeat period: three beats per lease, so one lost beat does not lose the lease.
    var heartbeatInterval: Duration { lease / 3 }
    /// How often expired leases are looked for.
    var reapInterval: Duration { max(.milliseconds(500), min(lease / 2, .seconds(5))) }
}
