import Foundation
@testable import JobQueue
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

/// A fresh database for one test, made from a migrated template, dropped afterwards.
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

    var store: QueueStore { QueueStore(client: client, logger: TestEnvironment.logger) }

    /// Runs `body` with a new, migrated database (or an empty one), then drops it.
    static func with<T>(migrated: Bool = true, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let name = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        let template = migrated ? try await Template.shared.name() : "template0"
        try await Admin.execute("CREATE DATABASE \(name) TEMPLATE \(template)")
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

    /// The first column of the first row. Under a deadline, like the worker's own statements:
    /// a query caught on a connection that PostgreSQL closed while restarting may never answer.
    func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T {
        let client = self.client
        return try await withDeadline(.seconds(10), timeout: TestFailure("no answer to \(query.sql)")) {
            let rows = try await client.query(query, logger: TestEnvironment.logger)
            for try await value in rows.decode(T.self) { return value }
            throw TestFailure("no row for \(query.sql)")
        }
    }

    func execute(_ query: PostgresQuery) async throws {
        let client = self.client
        try await withDeadline(.seconds(10), timeout: TestFailure("no answer to \(query.sql)")) {
            try await client.query(query, logger: TestEnvironment.logger)
            return ()
        }
    }

    func state(of job: Int64) async throws -> JobState? {
        try await store.state(of: job)
    }

    /// Waits until `job` reaches `state`, failing after `timeout`.
    func wait(for job: Int64, toBe state: JobState, within timeout: Duration = .seconds(30)) async throws {
        try await eventually(within: timeout, "job \(job) to be \(state)") {
            try await self.state(of: job) == state
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

/// The migrated template every test database is copied from, made once per test run.
actor Template {
    static let shared = Template()
    private var made: String?

    func name() async throws -> String {
        if let made { return made }
        let name = "pasisync_test_template"
        try await Admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await Admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        let url = TestEnvironment.url(TestEnvironment.databaseURL, database: name)
        let client = PostgresClient(configuration: try DatabaseURL.parse(url), backgroundLogger: TestEnvironment.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await Migrator(client: client, logger: TestEnvironment.logger).migrate()
        }
        made = name
        return name
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds, or fails after `timeout`. Errors count as "not yet"
/// (the database may be restarting), and the last one is reported on timeout.
func eventually(
    within timeout: Duration, every interval: Duration = .milliseconds(50), _ what: String,
    _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    var lastError: (any Error)?
    while ContinuousClock.now < deadline {
        do {
            if try await condition() { return }
        } catch {
            lastError = error
        }
        try await Task.sleep(for: interval)
    }
    throw TestFailure("timed out after \(timeout) waiting for \(what)" + (lastError.map { " (last error: \($0))" } ?? ""))
}
