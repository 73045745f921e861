import Foundation

/// One finished run of the real `pasisync` binary.
public struct CommandRun: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String

    /// Runs `pasisync ARGUMENTS` (against `database`, when given, with `extra` added to the
    /// environment) and waits for it to exit.
    public static func pasisync(_ arguments: [String], database: TestDatabase? = nil,
                                environment extra: [String: String] = [:]) async throws -> CommandRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        if let database { environment["PASISYNC_DATABASE_URL"] = database.url }
        environment.merge(extra) { $1 }
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
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            if ContinuousClock.now >= deadline {
                process.terminate()
                throw TestFailure("pasisync \(arguments.joined(separator: " ")) did not exit within 60 s")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return CommandRun(
            status: process.terminationStatus,
            stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
