import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// One finished run of the real `pasisync` binary.
public struct CommandRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Runs `pasisync ARGUMENTS` (against `database`, when given, with `extra` added to the
    /// environment) and waits for it to exit.
    public static func pasisync(_ arguments: [String], database: TestDatabase? = nil,
                                environment extra: [String: String] = [:]) async throws -> CommandRun {
        var environment = ProcessInfo.processInfo.environment
        if let database { environment["PASISYNC_DATABASE_URL"] = database.url }
        environment.merge(extra) { $1 }
        return try await run(TestEnvironment.binary, arguments, environment: environment, within: .seconds(60))
    }

    /// Runs `executable ARGUMENTS` with `environment` and waits for it to exit, terminating it
    /// and throwing once `limit` has passed.
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String],
                           within limit: Duration) async throws -> CommandRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        // Files rather than pipes: a full pipe would block the child while the test waits for it.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-\(UUID().uuidString).out")
        let err = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
        let status = try await exitStatus(of: process, within: limit) {
            "\((executable as NSString).lastPathComponent) \(arguments.joined(separator: " ")) did not exit within \(limit)"
        }
        return CommandRun(
            status: status,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    /// The exit status of `process`, by waitpid: Foundation's Process learns of the exit only once
    /// every process that inherited its descriptors is gone, and a server it started may outlive it.
    static func exitStatus(of process: Process, within limit: Duration, _ late: () -> String) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while true {
            var status: Int32 = 0
            if waitpid(process.processIdentifier, &status, WNOHANG) == process.processIdentifier {
                return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            }
            if !process.isRunning { return process.terminationStatus }
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw TestFailure(late())
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
