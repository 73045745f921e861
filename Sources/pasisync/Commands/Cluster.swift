import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import Synchronization
import PASIModel
import SyncStore

#if canImport(Glibc)
import Glibc
#endif

/// `pasisync cluster`: P identical worker processes, kept alive.
struct Cluster: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run P identical `pasisync worker` processes; restart one that dies; pass SIGTERM on.",
        discussion: """
            Defaults follow the Threading settings of `pasisync settings` (the seed's: 10 processes, \
            thread count factor 10, single threading off); flags override them.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var options: WorkerOptions
    @OptionGroup var pasi: PASIOptions

    @Option(help: "Worker processes. Default: the Processes setting (10).")
    var processes: Int?

    func validate() throws {
        try WorkerOptions.check(processes, "--processes", against: .processes)
    }

    func run() async throws {
        let logger = database.logger("pasisync.cluster")
        _ = try database.clientConfiguration()  // fail here, once, rather than in every child
        let settings = try await database.threadingSettings()
        // Without --log-level the workers follow the Runtime Log setting themselves.
        let arguments = ["worker"] + (database.logLevel.map { ["--log-level", $0] } ?? []) + options.arguments(settings)
        // The URL may hold a password: it goes to the children in their environment, which only
        // this user can read, never on a command line that `ps` shows to everyone.
        var environment = pasi.environment()
        if let url = database.databaseURL { environment["PASISYNC_DATABASE_URL"] = url }
        // One start time for the whole cluster (the Start Delay counts from it), whatever
        // worker is restarted later.
        environment["PASISYNC_CLUSTER_STARTED_AT"] = "\(Date().timeIntervalSince1970)"
        let supervisor = Supervisor(
            processes: processes ?? settings.processes, arguments: arguments, environment: environment, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: supervisor)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

/// Starts the worker processes and keeps each one running until shutdown.
final class Supervisor: Service, Sendable {
    let processes: Int
    let arguments: [String]
    let environment: [String: String]
    let logger: Logger
    private let children = Mutex<[Int: Int32]>([:])
    private let stopping = Mutex(false)

    init(processes: Int, arguments: [String], environment: [String: String], logger: Logger) {
        self.processes = processes
        self.arguments = arguments
        self.environment = environment
        self.logger = logger
    }

    func run() async throws {
        let executable = try Self.ownExecutable()
        logger.info("starting \(processes) worker process(es)", metadata: ["arguments": "\(arguments)"])
        await withGracefulShutdownHandler {
            await withDiscardingTaskGroup { group in
                for index in 0..<processes {
                    group.addTask { await self.keepAlive(index, executable: executable) }
                }
            }
        } onGracefulShutdown: {
            self.stopping.withLock { $0 = true }
            let pids = self.children.withLock { Array($0.values) }
            self.logger.info("passing SIGTERM to \(pids.count) worker process(es)")
            for pid in pids { kill(pid, SIGTERM) }
        }
        logger.info("all worker processes have stopped")
    }

    /// Runs worker `index`, and runs it again when it dies, backing off if it keeps dying.
    private func keepAlive(_ index: Int, executable: URL) async {
        var quickDeaths = 0
        while !stopping.withLock({ $0 }) {
            let started = ContinuousClock.now
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            let status: Int32
            do {
                status = try await run(process, index: index)
            } catch {
                logger.error("cannot start worker \(index): \(error)")
                status = -1
            }
            if stopping.withLock({ $0 }) { return }
            quickDeaths = ContinuousClock.now - started < .seconds(60) ? quickDeaths + 1 : 0
            let delay = Duration.seconds(min(30, 1 << min(quickDeaths - 1, 5)))
            logger.error("worker \(index) exited (status \(status)); restarting in \(delay)")
            try? await Task.sleep(for: delay)
        }
    }

    /// Starts `process` and waits for it to exit. A SIGTERM sent before it was registered is
    /// passed on as soon as it is.
    private func run(_ process: Process, index: Int) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { process in
                continuation.resume(returning: process.terminationStatus)
            }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
                return
            }
            let pid = process.processIdentifier
            children.withLock { $0[index] = pid }
            if stopping.withLock({ $0 }) { kill(pid, SIGTERM) }
        }
    }

    static func ownExecutable() throws -> URL {
        let path = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        return URL(fileURLWithPath: path)
    }
}
