import ArgumentParser
import Foundation
import Synchronization
import SyncJobs
import JobQueue
import Logging
import PostgresNIO
import ServiceLifecycle
import PASIModel
import SyncStore
import UnixSignals

/// Options shared by `worker` and `cluster`.
struct WorkerOptions: ParsableArguments {
    @Option(help: "Jobs run at once per process. Default: the Thread Count Factor setting (10), or 1 in single-threading mode.")
    var slots: Int?

    @Flag(help: "One job at a time per process, whatever the Single Threading setting says.")
    var singleThreading = false

    @Option(help: "Seconds a claimed job's lease lasts without renewal (renewed every third of it).")
    var leaseSeconds: Double = 30

    @Option(help: "Seconds running jobs may go on after SIGTERM before they are released to the queue.")
    var graceSeconds: Double = 20

    @Option(help: "Milliseconds between looks for due jobs when no notification arrives.")
    var pollMs: Int = 1000

    @Option(help: "Finished jobs kept per kind. Default: the Keep Synchronization History setting (100).")
    var keepHistory: Int?

    /// Refuses a value outside the range of the setting it stands in for: the settings catalogue
    /// is the one source of the Threading and history ranges.
    static func check(_ value: Int?, _ flag: String, against key: SettingKey) throws {
        guard let value, case .integer(let range) = SettingsCatalogue.definition(for: key).type else { return }
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be from \(range.lowerBound) to \(range.upperBound) (the \(SettingsCatalogue.definition(for: key).label) setting's range), got \(value)")
        }
    }

    func validate() throws {
        try Self.check(slots, "--slots", against: .threadCountFactor)
        if singleThreading, let slots, slots != 1 {
            throw ValidationError("--single-threading runs one job at a time; it cannot be combined with --slots \(slots)")
        }
        guard (1...3600).contains(leaseSeconds) else {
            throw ValidationError("--lease-seconds must be from 1 to 3600, got \(leaseSeconds)")
        }
        guard (0...3600).contains(graceSeconds) else {
            throw ValidationError("--grace-seconds must be from 0 to 3600, got \(graceSeconds)")
        }
        guard (10...60_000).contains(pollMs) else {
            throw ValidationError("--poll-ms must be from 10 to 60000, got \(pollMs)")
        }
        try Self.check(keepHistory, "--keep-history", against: .keepSynchronizationHistory)
    }

    /// Slots per process: the flags first, then the settings.
    func slots(_ settings: ThreadingSettings) -> Int {
        slots ?? (singleThreading ? 1 : settings.slotsPerProcess)
    }

    /// The resolved options as `worker` arguments, for the cluster to pass to its processes.
    func arguments(_ settings: ThreadingSettings) -> [String] {
        ["--slots", "\(slots(settings))", "--lease-seconds", "\(leaseSeconds)", "--grace-seconds", "\(graceSeconds)",
         "--poll-ms", "\(pollMs)", "--keep-history", "\(keepHistory ?? settings.keepHistory)"]
    }

    func configuration(_ settings: ThreadingSettings) -> WorkerConfiguration {
        var configuration = WorkerConfiguration()
        configuration.slots = slots(settings)
        configuration.lease = .milliseconds(Int64(leaseSeconds * 1000))
        configuration.gracePeriod = .milliseconds(Int64(graceSeconds * 1000))
        configuration.pollInterval = .milliseconds(pollMs)
        configuration.keepHistory = keepHistory ?? settings.keepHistory
        return configuration
    }
}

extension DatabaseOptions {
    /// The Threading settings from `sync.settings`, or the seed's defaults when the database has
    /// not been migrated yet (a worker started before `pasisync migrate` still runs).
    func threadingSettings() async throws -> ThreadingSettings {
        do {
            return try await withClient(label: "pasisync.settings") { client, logger in
                try await SettingsStore(client: client, logger: logger).threading()
            }
        } catch {
            logger("pasisync.settings").warning(
                "cannot read the Threading settings (\(describe(error))); using the seed's defaults")
            return .seedDefaults
        }
    }
}

/// `pasisync worker`: one worker process.
struct Worker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one worker process: claim and run jobs until SIGTERM or SIGINT.",
        discussion: """
            On SIGTERM/SIGINT the worker stops claiming, lets running jobs finish within the grace \
            period, and releases the rest to the queue without spending an attempt.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: WorkerOptions
    @OptionGroup var pasi: PASIOptions

    /// When the cluster this worker belongs to started (the Start Delay counts from it): what
    /// `pasisync cluster` passes down, or now for a worker started by hand. A restarted cluster
    /// passes its new start, and each worker's start makes the jobs waiting for the delay decide
    /// again (`sync.start_switched_jobs`), so they wait from the latest start.
    static func clusterStartedAt() -> Date {
        ProcessInfo.processInfo.environment["PASISYNC_CLUSTER_STARTED_AT"]
            .flatMap(Double.init).map(Date.init(timeIntervalSince1970:)) ?? Date()
    }

    func run() async throws {
        let logger = database.logger("pasisync.worker")
        // A worker started with its database waits for it (within PASISYNC_DATABASE_WAIT) instead
        // of failing into a restart loop.
        try await database.waitForDatabase(password: try database.clientConfiguration().password, logger: logger)
        // The cluster passes every value explicitly; a worker started by hand reads the settings.
        let settings = options.slots != nil && options.keepHistory != nil
            ? ThreadingSettings.seedDefaults : try await database.threadingSettings()
        let configuration = options.configuration(settings)
        // One connection per slot, plus the listener, the heartbeat and the flusher; each session
        // bounded by statement_timeout and idle_in_transaction_session_timeout (SessionLimits).
        var clientConfiguration = try database.clientConfiguration(maximumConnections: min(configuration.slots, 16) + 3)
        let limits: SessionLimits
        do {
            limits = try SessionLimits.fromEnvironment(ProcessInfo.processInfo.environment)
        } catch {
            throw ValidationError("\(error)")
        }
        clientConfiguration.options.additionalStartupParameters += limits.startupParameters
        // Named in pg_stat_activity, so a person (and a test) can tell the workers' sessions apart.
        clientConfiguration.options.additionalStartupParameters.append(("application_name", "pasisync worker"))
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: logger)
        let store = QueueStore(client: client, logger: logger)
        let environment = SyncEnvironment(
            client: client, logger: logger, endpoint: pasi.endpoint(),
            clusterStartedAt: Self.clusterStartedAt())
        let wake = WakeRelay()
        let registry = JobKinds.registry(environment: environment)
        let maintenance = QueueMaintenance(
            store: store, configuration: configuration, logger: logger, retryPolicies: registry.retryPolicies
        ) { wake.signal() }
        let worker = JobQueue.Worker(
            store: store, registry: registry,
            configuration: configuration, logger: logger, maintenance: maintenance)
        wake.target = worker
        // Services shut down in reverse order: the worker finishes and releases its jobs while
        // the sync environment (its PASI client) and the database client are still there.
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [
                .init(service: client),
                .init(service: environment),
                // The Logs settings, live: the Runtime Log level unless --log-level fixed it.
                .init(service: LogSettingsFollower(environment: environment) { RuntimeLog.set($0) }),
                .init(service: maintenance),
                .init(service: worker, successTerminationBehavior: .gracefullyShutdownGroup,
                      failureTerminationBehavior: .gracefullyShutdownGroup),
                // Last, so it hears of the shutdown first: the process ends within this bound
                // even when a connection to an unreachable server never closes.
                .init(service: ShutdownBound(
                        limit: ShutdownBound.forWorker(gracePeriod: configuration.gracePeriod, lease: configuration.lease,
                                                       statementDeadline: store.statementTimeout),
                        logger: logger),
                      successTerminationBehavior: .ignore),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// Wakes the worker's claim loop when maintenance made jobs due; set once the worker exists
/// (the worker and its maintenance each need the other).
final class WakeRelay: Sendable {
    private let worker = Mutex<JobQueue.Worker?>(nil)
    var target: JobQueue.Worker? {
        get { worker.withLock { $0 } }
        set { worker.withLock { $0 = newValue } }
    }
    func signal() { target?.wakeUp() }
}
