import Foundation
import JobQueue
import Logging
import Migrations
import PostgresNIO
import Testing

/// Where the tests find their PostgreSQL and the `pasisync` binary (set by scripts/test).
enum TestEnvironment {
    static var databaseURL: String {
        guard let url = ProcessInfo.processInfo.environment["PASISYNC_DATABASE_URL"], !url.isEmpty else {
            fatalError("PASISYNC_DATABASE_URL is not set: run the tests with scripts/test")
        }
        return url
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var binary: String {
        ProcessInfo.processInfo.environment["PASISYNC_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/pasisync").path
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }

    /// `url` with its database replaced.
    static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }
}

/// A fresh database for one test, copied from a migrated template, dropped afterwards.
final class TestDatabase: Sendable {
    let name: String
    let url: String
    let client: PostgresClient
    private let runner: Task<Void, Never>

    private init(name: String) throws {
        self.name = name
        self.url = TestEnvironment.url(TestEnvironment.databaseURL, database: name)
        self.client = PostgresClient(configuration: try DatabaseURL.parse(url), backgroundLogger: TestEnvironment.logger)
        let client = self.client
        self.runner = Task { await client.run() }
    }

    /// Runs `body` with a new, migrated database, then drops it.
    static func with<T>(_ body: (TestDatabase) async throws -> T) async throws -> T {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        try await Admin.execute("CREATE DATABASE \(name) TEMPLATE \(try await Template.shared.name())")
        let database = try TestDatabase(name: name)
        do {
            let result = try await body(database)
            await database.close()
            return result
        } catch {
            await database.close()
            throw error
        }
    }

    private func close() async {
        runner.cancel()
        _ = await runner.value
        try? await Admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The first column of the first row.
    func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T {
        let rows = try await client.query(query, logger: TestEnvironment.logger)
        for try await value in rows.decode(T.self) { return value }
        throw TestFailure("no row for \(query.sql)")
    }

    func execute(_ query: PostgresQuery) async throws {
        try await client.query(query, logger: TestEnvironment.logger)
    }

    /// Runs `queries` in one transaction on one connection (for `SET LOCAL`), throwing the
    /// failed statement's own error.
    func inTransaction(_ queries: [PostgresQuery]) async throws {
        do {
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                for query in queries { try await connection.query(query, logger: TestEnvironment.logger) }
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// The message PostgreSQL sends when `query` fails, or nil when it succeeds.
    func refusal(_ query: PostgresQuery) async -> String? {
        do {
            try await execute(query)
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.message] ?? "\(error)"
        } catch {
            return "\(error)"
        }
    }
}

/// Statements against the server's maintenance database.
enum Admin {
    static func execute(_ sql: String) async throws {
        let url = TestEnvironment.url(TestEnvironment.databaseURL, database: "postgres")
        let client = PostgresClient(configuration: try DatabaseURL.parse(url), backgroundLogger: TestEnvironment.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestEnvironment.logger)
        }
    }
}

/// The migrated template every test database is copied from, made once per test run. Its own
/// name, so that it does not collide with JobQueueTests' template when both suites run at once.
actor Template {
    static let shared = Template()
    /// One task, so that tests asking at once (the actor is reentrant across awaits) share one template.
    private var making: Task<String, any Error>?

    func name() async throws -> String {
        if making == nil { making = Task { try await Self.make() } }
        return try await making!.value
    }

    private static func make() async throws -> String {
        let name = "pasisync_syncstore_template"
        try await Admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await Admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        let url = TestEnvironment.url(TestEnvironment.databaseURL, database: name)
        let client = PostgresClient(configuration: try DatabaseURL.parse(url), backgroundLogger: TestEnvironment.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Migrator(client: client, logger: TestEnvironment.logger).migrate()
        }
        return name
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// One finished run of the real `pasisync` binary.
struct CommandRun: Sendable {
    let status: Int32
    let stdout: String
    let stderr: String

    /// Runs `pasisync ARGUMENTS` against `database` and waits for it to exit.
    static func pasisync(_ arguments: [String], database: TestDatabase) async throws -> CommandRun {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestEnvironment.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PASISYNC_DATABASE_URL"] = database.url
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
