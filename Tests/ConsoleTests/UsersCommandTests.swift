import Console
import Foundation
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// `pasisync users`, run as the real binary: the password read from standard input, never an argument.
@Suite("pasisync users")
struct UsersCommandTests {
    /// Runs `pasisync ARGUMENTS` with `input` on its standard input.
    static func users(_ arguments: [String], input: String = "", _ database: TestDatabase) async throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
        process.arguments = ["users"] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PASISYNC_DATABASE_URL"] = database.url
        process.environment = environment
        let stdin = Pipe(), output = FileManager.default.temporaryDirectory.appendingPathComponent("users-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        process.standardInput = stdin
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: output)
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let deadline = ContinuousClock.now + .seconds(60)
        while process.isRunning {
            guard ContinuousClock.now < deadline else { process.terminate(); throw TestFailure("pasisync users did not exit") }
            try await Task.sleep(for: .milliseconds(20))
        }
        return (process.terminationStatus, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
    }

    @Test("users add reads the password from stdin, stores a bcrypt hash, refuses a short one and an unknown role; list and remove")
    func addListRemove() async throws {
        try await TestDatabase.with { database in
            let short = try await Self.users(["add", "ann", "--role", "viewer"], input: "short\n", database)
            #expect(short.status != 0)
            #expect(short.output.contains("a password needs at least 10 characters"))
            let boss = try await Self.users(["add", "ann", "--role", "boss"], input: "a long enough password\n", database)
            #expect(boss.status != 0)
            #expect(boss.output.contains("--role must be one of viewer, operator, admin"))
            #expect(try await database.scalar("SELECT count(*)::int FROM console.users", as: Int.self) == 0)

            let added = try await Self.users(["add", "ann", "--role", "viewer"], input: "a long enough password\n", database)
            #expect(added.status == 0, "\(added.output)")
            #expect(added.output.contains("user ann added as viewer"))
            let hash: String = try await database.scalar("SELECT password_hash FROM console.users WHERE name = 'ann'")
            #expect(hash.hasPrefix("$2b$12$"))
            #expect(ConsolePasswords.verify("a long enough password", hash: hash))
            #expect(!ConsolePasswords.verify("another long password", hash: hash))

            let changed = try await Self.users(["add", "ann", "--role", "operator"], input: "a new long password\n", database)
            #expect(changed.output.contains("user ann is now operator, with the new password"))
            let list = try await Self.users(["list"], database)
            #expect(list.output.contains("ann   operator"))

            let removed = try await Self.users(["remove", "ann"], database)
            #expect(removed.output.contains("user ann removed"))
            #expect(try await Self.users(["remove", "ann"], database).status != 0)
            let audit: Int = try await database.scalar(
                "SELECT count(*)::int FROM console.audit_trail WHERE target = 'ann' AND action IN ('user added', 'user changed', 'user removed')")
            #expect(audit == 3)
        }
    }
}
