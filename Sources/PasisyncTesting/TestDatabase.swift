public import Foundation
public import Logging
public import PostgresNIO
import JobQueue
import Migrations

/// Where the tests find their PostgreSQL and the `pasisync` binary (set by scripts/test).
public enum TestEnvironment {
    public static var databaseURL: String {
        guard let url = ProcessInfo.processInfo.environment["PASISYNC_DATABASE_URL"], !url.isEmpty else {
            fatalError("PASISYNC_DATABASE_URL is not set: run the tests with scripts/test")
        }
        return url
    }

    /// The repository's root folder.
    public static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `pasisync` binary the tests run: `PASISYNC_BIN`, or the debug build.
    public static var binary: String {
        ProcessInfo.processInfo.environment["PASISYNC_BIN"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/pasisync").path
    }

    /// A quiet logger: the tests report through their expectations.
    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .error
        return logger
    }

    /// `url` with its database replaced.
    public static func url(_ url: String, database: String) -> String {
        var components = URLComponents(string: url)!
        components.path = "/" + database
        return components.string!
    }
}

/// A fresh database for one test, copied from a migrated template, dropped afterwards.
public final class TestDatabase: Sendable {
    public let name: String
    /// Its URL, for the `pasisync` processes a test starts.
    public let url: String
    public let client: PostgresClient
    private let runner: Task<Void, Never>

    private init(name: String) throws {
        self.name = name
        self.url = TestEnvironment.url(TestEnvironment.databaseURL, database: name)
        self.client = PostgresClient(configuration: try DatabaseURL.parse(url), backgroundLogger: TestEnvironment.logger)
        let client = self.client
        self.runner = Task { await client.run() }
    }

    /// Runs `body` with a new, migrated database (or an empty one), then drops it.
    @discardableResult
    public static func with<T>(migrated: Bool = true, _ body: (TestDatabase) async throws -> T) async throws -> T {
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
    public func scalar<T: PostgresDecodable & Sendable>(_ query: PostgresQuery, as type: T.Type = T.self) async throws -> T {
        let client = self.client
        return try await withDeadline(.seconds(10), timeout: TestFailure("no answer to \(query.sql)")) {
            let rows = try await client.query(query, logger: TestEnvironment.logger)
            for try await value in rows.decode(T.self) { return value }
            throw TestFailure("no row for \(query.sql)")
        }
    }

    /// Runs one statement, under the same deadline as ``scalar(_:as:)``.
    public func execute(_ query: PostgresQuery) async throws {
        let client = self.client
        try await withDeadline(.seconds(10), timeout: TestFailure("no answer to \(query.sql)")) {
            try await client.query(query, logger: TestEnvironment.logger)
            return ()
        }
    }

    /// Runs `queries` in one transaction on one connection (for `SET LOCAL`), throwing the
    /// failed statement's own error.
    public func inTransaction(_ queries: [PostgresQuery]) async throws {
        do {
            try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                for query in queries { try await connection.query(query, logger: TestEnvironment.logger) }
            }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// The message PostgreSQL sends when `query` fails, or nil when it succeeds.
    public func refusal(_ query: PostgresQuery) async -> String? {
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
///
/// Each runs under a deadline and, when the deadline passes, once more on a fresh client. Twice a
/// test run stopped for good at this point (right after a simulator started, before the test
/// database existed): no connection open, every thread idle, cause not found. A deadline turns
/// that into an error that names the statement; the second try usually gets through.
enum Admin {
    static let deadline: Duration = .seconds(60)

    static func execute(_ sql: String) async throws {
        do {
            try await once(sql)
        } catch let failure as TestFailure {
            FileHandle.standardError.write(Data("\(failure); trying once more on a new connection\n".utf8))
            try await once(sql)
        }
    }

    private static func once(_ sql: String) async throws {
        let url = TestEnvironment.url(TestEnvironment.databaseURL, database: "postgres")
        let configuration = try DatabaseURL.parse(url)
        try await withDeadline(deadline, timeout: TestFailure("no answer from PostgreSQL to \(sql) within \(deadline)")) {
            let client = PostgresClient(configuration: configuration, backgroundLogger: TestEnvironment.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await client.query(PostgresQuery(unsafeSQL: sql), logger: TestEnvironment.logger)
            }
        }
    }
}

/// The migrated template every test database is copied from, made once per test run (all test
/// targets run in one process, so they share it).
actor Template {
    static let shared = Template()
    /// One task, so that tests asking at once (the actor is reentrant across awaits) share one template.
    private var making: Task<String, any Error>?

    func name() async throws -> String {
        if making == nil { making = Task { try await Self.make() } }
        return try await making!.value
    }

    private static func make() async throws -> String {
        let name = "pasisync_test_template"
        try await Admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        try await Admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        let url = TestEnvironment.url(TestEnvironment.databaseURL, database: name)
        let client = PostgresClient(configuration: try DatabaseURL.parse(url), backgroundLogger: TestEnvironment.logger)
        // Under a deadline for the same reason as ``Admin``: every test of the run waits on this.
        try await withDeadline(.seconds(180), timeout: TestFailure("migrating the test template took over 180 s")) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await client.run() }
                defer { group.cancelAll() }
                try await Migrator(client: client, logger: TestEnvironment.logger).migrate()
            }
        }
        return name
    }
}

/// A failed expectation of a test helper, in words.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Polls `condition` until it holds, or fails after `timeout`. Errors count as "not yet"
/// (the database may be restarting), and the last one is reported on timeout.
public func eventually(
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

/// Waits `duration` whatever the task is told: the stand-in for a call that ignores its
/// cancellation (a statement on a dead connection). Not a loop of `Task.sleep`: once the task is
/// cancelled every sleep throws at once, and the loop turns into a busy loop that holds one of the
/// few cooperative threads (two on a 2-core machine) for as long as it lasts, each throw also
/// capturing a backtrace for swift-testing. That starved the rest of a test run.
public func sleepIgnoringCancellation(_ duration: Duration) async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        Task.detached {
            try? await Task.sleep(for: duration)
            continuation.resume()
        }
    }
}
