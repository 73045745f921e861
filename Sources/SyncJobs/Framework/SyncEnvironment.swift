public import Foundation
public import JobQueue
public import Logging
public import PASICore
public import PostgresNIO
public import ServiceLifecycle
public import SyncStore
import PASIModel
import Synchronization

/// What every sync handler of a worker process shares, built once per process: the database
/// and its stores, where PASI is, and one PASI Core client (made on first use from the settings,
/// closed on shutdown). Run it in the worker's `ServiceGroup` after the `PostgresClient` and
/// before the worker, so it outlives every job.
public final class SyncEnvironment: Service, Sendable {
    public let client: PostgresClient
    public let logger: Logger
    /// Where PASI is, or why it is not known (a process that needs it fails naming what to set).
    public let endpoint: Result<PASIEndpoint, PASIEndpoint.Missing>
    /// When the cluster started: the Start Delay counts from it. That is the latest start of
    /// `pasisync cluster` (its workers get it in `PASISYNC_CLUSTER_STARTED_AT`, and a worker the
    /// cluster restarts keeps it), or, for a worker started on its own, that worker's start.
    public let clusterStartedAt: Date
    /// The Logs settings as last read (``LogSettingsFollower`` keeps them fresh).
    public let logs = LogSettingsCache()

    private let pasiClient = Mutex<Task<PASICoreClient, any Error>?>(nil)

    /// - Parameters:
    ///   - client: the process's database client.
    ///   - endpoint: PASI's address and certificate (``PASIEndpoint/fromEnvironment(_:)``).
    ///   - clusterStartedAt: when the cluster started (`pasisync cluster` passes it to its
    ///     workers); defaults to now.
    public init(client: PostgresClient, logger: Logger, endpoint: Result<PASIEndpoint, PASIEndpoint.Missing>,
                clusterStartedAt: Date = Date()) {
        self.client = client
        self.logger = logger
        self.endpoint = endpoint
        self.clusterStartedAt = clusterStartedAt
    }

    public var settings: SettingsStore { SettingsStore(client: client, logger: logger) }
    public var queue: QueueStore { QueueStore(client: client, logger: logger) }
    public var codeValues: CodeValuesStore { CodeValuesStore(client: client, logger: logger) }
    public var alerts: AlertsStore { AlertsStore(client: client, logger: logger) }
    public var pasiStore: PASIStore { PASIStore(client: client, logger: logger) }
    public var downloads: DownloadStore { DownloadStore(client: client, logger: logger) }
    public var files: FilesStore { FilesStore(client: client, logger: logger) }
    public var sis: SISStore { SISStore(client: client, logger: logger) }
    public var matches: MatchesStore { MatchesStore(client: client, logger: logger) }
    public var dataEvents: DataEventsStore { DataEventsStore(client: client, logger: logger) }
    public var outbound: OutboundStore { OutboundStore(client: client, logger: logger) }

    /// Starts the jobs of the switches that are on (Regular Sync), waits for the shutdown of the
    /// group, then closes the PASI client.
    public func run() async throws {
        do {
            try await settings.startSwitchedJobs()
        } catch {
            logger.warning("could not start the Regular Synchronization jobs", metadata: ["error": "\(String(reflecting: error))"])
        }
        try? await gracefulShutdown()
        if let task = pasiClient.withLock({ $0 }), let made = try? await task.value {
            try? await made.shutdown()
        }
    }

    /// The process's PASI Core client, made on first use.
    /// - Throws: ``JobQueue/JobError/permanent(_:)`` naming what to set when the endpoint or the
    ///   Caller Information settings are missing: retrying cannot supply them.
    public func pasi() async throws -> any PASICoreService {
        let endpoint: PASIEndpoint
        switch self.endpoint {
        case .success(let known): endpoint = known
        case .failure(let missing): throw JobError.permanent(missing.description)
        }
        let task = pasiClient.withLock { task in
            if let task { return task }
            let made = Task { [settings, client, logger, logs] in
                let configuration = try await settings.pasiClientConfiguration(for: endpoint)
                return try PASICoreClient(
                    configuration: configuration,
                    messageLog: DatabaseMessageLog(store: MessageLogStore(client: client, logger: logger),
                                                   keepsBodies: { logs.current.messagesLog }),
                    logger: logger)
            }
            task = made
            return made
        }
        do {
            return try await task.value
        } catch {
            // Not kept: the next job tries again once someone has fixed the settings.
            pasiClient.withLock { if $0 == task { $0 = nil } }
            if let incomplete = error as? CallerInformationIncomplete { throw JobError.permanent(incomplete.description) }
            // The settings could not be read just now: a retry can, unlike a missing setting.
            if isDatabaseOutage(error) { throw error }
            throw JobError.permanent("cannot make the PASI client: \(error)")
        }
    }

    /// How long regular synchronization still waits after the cluster started (the Start Delay
    /// setting as it is now), or `nil` once it may run. Read at every attempt: a job that waits
    /// is made due again when the setting changes or a worker starts
    /// (`sync.wake_start_delay_waits`), so it asks again rather than sleep out an old answer.
    public func startDelayRemaining(now: Date = Date()) async throws -> Duration? {
        guard case .integer(let minutes) = try await settings.value(of: .startDelayMinutes) else { return nil }
        return StartDelay(minutes: minutes).remaining(since: clusterStartedAt, now: now)
    }

    /// Runs `body` in a transaction whose enqueues hang off `parent` when asked to, fenced by
    /// `fence`'s lease when given: its check runs after `body`, before the commit.
    func withTransaction<T: Sendable>(
        parent: Int64?, fence: JobContext? = nil, _ body: @escaping @Sendable (SyncTransaction) async throws -> T
    ) async throws -> T {
        let queue = self.queue
        return try await client.inTransaction(logger: logger) { connection in
            // The body has no deadline, but it does not outlive its connection (``JobQueue/whileOpen(_:orThrow:_:)``).
            let value = try await whileOpen(connection, orThrow: ConnectionClosedInTransaction()) {
                try await body(SyncTransaction(connection: connection, queue: queue, parentID: parent))
            }
            try await fence?.checkLease(on: connection)
            return value
        }
    }
}

/// The Start Delay: regular synchronization begins this many minutes after the cluster starts.
public struct StartDelay: Sendable, Hashable {
    /// What a job waiting for the delay says in the queue. `sync.wake_start_delay_waits` finds
    /// the waiting jobs by it: change both together.
    public static let waitingReason = "waiting for the Start Delay after the cluster started"

    public let minutes: Int
    public init(minutes: Int) { self.minutes = minutes }

    /// When regular synchronization may begin for a cluster started at `start`.
    public func end(since start: Date) -> Date {
        start.addingTimeInterval(Double(minutes) * 60)
    }

    /// What is left of the delay at `now` for a cluster started at `start`, or `nil` when it is over.
    public func remaining(since start: Date, now: Date) -> Duration? {
        let left = end(since: start).timeIntervalSince(now)
        return left > 0 ? .milliseconds(Int64((left * 1000).rounded(.up))) : nil
    }
}

extension PASIEndpoint {
    /// What a process that needs PASI lacks, worded for the person who must set it.
    public struct Missing: Error, Sendable, Hashable, CustomStringConvertible {
        /// The variables (or flags) not set.
        public let variables: [String]
        public var description: String {
            "PASI is not configured: set \(variables.joined(separator: ", ")) (or the same-named flags: "
                + variables.map { "--" + $0.dropFirst("PASISYNC_".count).lowercased().replacingOccurrences(of: "_", with: "-") }
                    .joined(separator: ", ") + ")"
        }
    }

    /// The endpoint from `PASISYNC_PASI_URL`, `PASISYNC_PASI_CERT`, `PASISYNC_PASI_KEY` and
    /// (optional) `PASISYNC_PASI_CA`, as `../shared/PROCESSES.md` names them.
    public static func fromEnvironment(_ environment: [String: String]) -> Result<PASIEndpoint, Missing> {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        let required = ["PASISYNC_PASI_URL", "PASISYNC_PASI_CERT", "PASISYNC_PASI_KEY"]
        let missing = required.filter { value($0) == nil }
        guard missing.isEmpty, let url = value(required[0]), let cert = value(required[1]), let key = value(required[2]) else {
            return .failure(Missing(variables: missing))
        }
        return .success(PASIEndpoint(url: url, certificatePath: cert, privateKeyPath: key,
                                     trustRootsPath: value("PASISYNC_PASI_CA")))
    }
}
