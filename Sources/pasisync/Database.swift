import ArgumentParser
import Foundation
import JobQueue
import Logging
import NIOSSL
import PostgresNIO
import SyncJobs
import SyncStore

/// Options every command that talks to the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "PostgreSQL URL, postgres://user[:password]@host[:port]/database[?sslmode=require].",
        discussion: "Defaults to the PASISYNC_DATABASE_URL environment variable."))
    var databaseURL: String?

    @Option(name: .long, help: ArgumentHelp(
        "Log level: trace, debug, info, notice, warning, error, critical.",
        discussion: "Default: info; a worker follows the Runtime Log setting live (Minimum: info, Normal: debug, Maximum: trace)."))
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical; got \(logLevel)")
        }
    }

    /// A logger at `--log-level` when given; without it, at the Runtime Log setting's level
    /// (info until a worker has read it).
    func logger(_ label: String) -> Logger {
        var logger = Logger(label: label)
        if let level = logLevel.flatMap(Logger.Level.init(rawValue:)) { logger.logLevel = level }
        return logger
    }

    /// The client configuration, or a validation error that says what is wrong with the URL.
    func clientConfiguration(maximumConnections: Int = 4) throws -> PostgresClient.Configuration {
        var configuration = try DatabaseURL.parse(try urlText())
        configuration.options.maximumConnections = maximumConnections
        if configuration.password == nil, let file = ProcessInfo.processInfo.environment["PASISYNC_DATABASE_PASSWORD_FILE"], !file.isEmpty {
            configuration.password = try Self.password(from: file)
        }
        return configuration
    }

    /// The URL from --database-url or PASISYNC_DATABASE_URL.
    func urlText() throws -> String {
        guard let text = databaseURL ?? ProcessInfo.processInfo.environment["PASISYNC_DATABASE_URL"], !text.isEmpty else {
            throw ValidationError("no database: pass --database-url or set PASISYNC_DATABASE_URL (scripts/pg start prints one)")
        }
        return text
    }

    /// The database password from `PASISYNC_DATABASE_PASSWORD_FILE`: a password in the URL would
    /// sit in an environment anyone with the process's rights can read (`/proc/PID/environ`), and a
    /// systemd credential (`LoadCredential=`, `%d/…`) is a file. One trailing line break is dropped.
    static func password(from file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: file), var text = String(data: data, encoding: .utf8) else {
            throw ValidationError("PASISYNC_DATABASE_PASSWORD_FILE names \(file), which cannot be read")
        }
        if text.hasSuffix("\n") { text.removeLast() }
        if text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { throw ValidationError("PASISYNC_DATABASE_PASSWORD_FILE names \(file), which is empty") }
        return text
    }

    /// Connects once, to learn at once whether the database answers. A database that is not there
    /// yet (down, restarting, starting up) is waited for, backing off with jitter, up to
    /// `PASISYNC_DATABASE_WAIT` seconds (default ``defaultDatabaseWait``; 0: not at all), so that a
    /// `migrate` or a worker started with the database does not exit in a restart loop; a refusal
    /// (password, database name, TLS) ends at once, since waiting cannot mend it.
    func waitForDatabase(password: String?, logger: Logger) async throws {
        let text = try urlText()
        let limit = try Self.databaseWait()
        let deadline = ContinuousClock.now + .seconds(limit)
        var failures = 0
        while true {
            do {
                try await DatabaseURL.probe(text, password: password, logger: logger)
                if failures > 0 { logger.notice("PostgreSQL answers after \(failures) failed connection(s)") }
                return
            } catch {
                let now = ContinuousClock.now
                guard Self.isNotThereYet(error), now < deadline else { throw error }
                failures += 1
                if failures == 1 {
                    logger.warning("PostgreSQL does not answer (\(describe(error))); waiting up to \(limit) s (PASISYNC_DATABASE_WAIT)")
                }
                // 0.25 s doubling to 4 s, each with up to half again of jitter, so that a cluster's
                // workers started together do not knock in step.
                let base = min(4.0, 0.25 * Double(1 << min(failures - 1, 4)))
                let pause = Duration.seconds(base * Double.random(in: 1...1.5))
                try await Task.sleep(for: min(pause, deadline - now))
            }
        }
    }

    /// The seconds a command waits for a database that is not there yet.
    static let defaultDatabaseWait = 60

    static func databaseWait() throws -> Int {
        guard let text = ProcessInfo.processInfo.environment["PASISYNC_DATABASE_WAIT"], !text.isEmpty else { return defaultDatabaseWait }
        guard let seconds = Int(text), (0...3600).contains(seconds) else {
            throw ValidationError("PASISYNC_DATABASE_WAIT must be a number of seconds from 0 to 3600, got \(text)")
        }
        return seconds
    }

    /// Down, restarting or starting up (nothing listening, a dropped connection, 57P03), as
    /// opposed to a refusal: a TLS failure is a connection error too, but no wait mends it.
    static func isNotThereYet(_ error: any Error) -> Bool {
        guard isDatabaseOutage(error) else { return false }
        guard let underlying = (error as? PSQLError)?.underlying else { return true }
        return !(underlying is NIOSSLError || underlying is NIOSSLExtraError || underlying is BoringSSLError)
    }

    /// Runs `body` with a connected client, shutting the client down afterwards.
    func withClient<T: Sendable>(
        label: String, maximumConnections: Int = 4, _ body: @Sendable @escaping (PostgresClient, Logger) async throws -> T
    ) async throws -> T {
        let logger = logger(label)
        let configuration = try clientConfiguration(maximumConnections: maximumConnections)
        try await waitForDatabase(password: configuration.password, logger: logger)
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { await client.run(); return nil }
            defer { group.cancelAll() }
            // Let run() start before the first lease, or PostgresNIO warns that it has not.
            try await Task.sleep(for: .milliseconds(5))
            return try await body(client, logger)
        }
    }
}

/// The job kinds this binary runs. Every worker of a cluster registers the same set.
enum JobKinds {
    /// Every kind as `queue.job_kinds` stores it: what `pasisync migrate` registers, without
    /// building a handler (no certificates, no PASI endpoint, no network).
    static var registrations: [KindRegistration] {
        var registry = JobRegistry()
        try! registry.register(NoopJob())
        return registry.registrations + SyncJobs.registrations
    }

    /// The handlers of a worker process, the sync ones made once from `environment`.
    static func registry(environment: SyncEnvironment) -> JobRegistry {
        var registry = JobRegistry()
        do {
            try registry.register(noop())
            try SyncJobs.register(into: &registry, environment: environment)
        } catch {
            fatalError("\(error)")  // a programming error: two handlers claim one kind
        }
        return registry
    }
}

extension JobKinds {
    /// The diagnostic kind, its stall limit shortened by `PASISYNC_NOOP_STALL_SECONDS` when set
    /// (test machinery: the watchdog's test does not wait 10 minutes).
    static func noop(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> NoopJob {
        guard let text = environment["PASISYNC_NOOP_STALL_SECONDS"], let seconds = Double(text), seconds > 0 else { return NoopJob() }
        return NoopJob(stallLimit: .milliseconds(Int64(seconds * 1000)))
    }
}

/// PostgreSQL's own words for a failed statement, for the person at the terminal.
func describe(_ error: any Error) -> String {
    if let error = error as? PSQLError {
        guard let message = error.serverInfo?[.message] else {
            // No word from the server: why the connection failed (refused, TLS handshake, timeout).
            return "database error: \(error.code)" + (error.underlying.map { ": \(String(reflecting: $0))" } ?? "")
        }
        // Not the DETAIL: PostgreSQL puts the row's values there ("Failing row contains (…)"), and a
        // terminal's output ends up in scrollback, tickets and logs. The message names the rule.
        var text = message
        if let hint = error.serverInfo?[.hint] { text += "\n  hint: \(hint)" }
        return text
    }
    return "\(error)"
}

/// An error already worded for people: printed as it is, with a non-zero exit.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Where PASI Core is: flags, else the environment (`PASISYNC_PASI_URL`, `PASISYNC_PASI_CERT`,
/// `PASISYNC_PASI_KEY`, `PASISYNC_PASI_CA`).
struct PASIOptions: ParsableArguments {
    @Option(name: .customLong("pasi-url"), help: "PASI Core's address, e.g. https://127.0.0.1:8443/pasi. Default: PASISYNC_PASI_URL.")
    var url: String?
    @Option(name: .customLong("pasi-cert"), help: "The client certificate (PEM). Default: PASISYNC_PASI_CERT.")
    var certificate: String?
    @Option(name: .customLong("pasi-key"), help: "The client certificate's private key (PEM). Default: PASISYNC_PASI_KEY.")
    var key: String?
    @Option(name: .customLong("pasi-ca"), help: "The CA of PASI's server certificate (PEM). Default: PASISYNC_PASI_CA, else the system's roots.")
    var ca: String?

    /// The environment with the flags given written over it, as the worker processes read it.
    func environment(_ base: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var environment = base
        for (name, value) in [("PASISYNC_PASI_URL", url), ("PASISYNC_PASI_CERT", certificate),
                              ("PASISYNC_PASI_KEY", key), ("PASISYNC_PASI_CA", ca)] {
            if let value { environment[name] = value }
        }
        return environment
    }

    func endpoint() -> Result<PASIEndpoint, PASIEndpoint.Missing> {
        PASIEndpoint.fromEnvironment(environment())
    }
}
