public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `pasisync` process (a worker, or any other command), its stderr kept in a file.
public final class PasisyncProcess: @unchecked Sendable {
    public let process = Process()
    public let logFile: URL

    /// Starts `pasisync ARGUMENTS` against `database`, with `environment` added to this process's.
    public init(_ arguments: [String], database: TestDatabase, environment extra: [String: String] = [:]) throws {
        logFile = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: logFile.path, contents: nil)
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PASISYNC_DATABASE_URL"] = database.url
        environment.merge(extra) { _, new in new }
        process.environment = environment
        let handle = try FileHandle(forWritingTo: logFile)
        process.standardError = handle
        process.standardOutput = handle
        try process.run()
    }

    /// Starts `pasisync worker` with small, test-friendly timings.
    public static func worker(
        _ database: TestDatabase, slots: Int = 4, leaseSeconds: Double = 30, graceSeconds: Double = 20,
        extra: [String] = [], environment: [String: String] = [:]
    ) throws -> PasisyncProcess {
        try PasisyncProcess(
            ["worker", "--slots", "\(slots)", "--lease-seconds", "\(leaseSeconds)",
             "--grace-seconds", "\(graceSeconds)", "--poll-ms", "200", "--keep-history", "1000"] + extra,
            database: database, environment: environment)
    }

    public var pid: Int32 { process.processIdentifier }

    public func send(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit; returns its status, or nil on timeout.
    @discardableResult
    public func waitForExit(within timeout: Duration = .seconds(60)) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now >= deadline { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    public var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    /// Kills what is left, so a failed test leaves no stray worker behind.
    public func stop() async {
        if process.isRunning {
            send(SIGCONT)
            send(SIGKILL)
            await waitForExit(within: .seconds(5))
        }
        try? FileManager.default.removeItem(at: logFile)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Runs `body` with `count` workers, stopping them all afterwards whatever happens.
public func withWorkers<T>(
    _ count: Int, _ database: TestDatabase, slots: Int = 4, leaseSeconds: Double = 30, graceSeconds: Double = 20,
    environment: [String: String] = [:], _ body: ([PasisyncProcess]) async throws -> T
) async throws -> T {
    let workers = try (0..<count).map { _ in
        try PasisyncProcess.worker(
            database, slots: slots, leaseSeconds: leaseSeconds, graceSeconds: graceSeconds, environment: environment)
    }
    do {
        let result = try await body(workers)
        for worker in workers { await worker.stop() }
        return result
    } catch {
        for worker in workers {
            print("--- worker \(worker.pid) log ---\n\(worker.log.suffix(12000))")
            await worker.stop()
        }
        throw error
    }
}
