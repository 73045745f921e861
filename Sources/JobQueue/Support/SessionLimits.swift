/// Bounds PostgreSQL puts on every session of a worker process (`statement_timeout`,
/// `idle_in_transaction_session_timeout`), passed as startup parameters of its connections.
///
/// They end what the worker's own deadlines cannot: a statement that PostgreSQL still runs
/// after the worker gave up on it, and a transaction left open by a worker that froze (SIGSTOP,
/// a stalled VM) or lost its handler, whose locks would block the worker that takes the job over.
/// A statement known to run longer raises its own bound with `SET LOCAL statement_timeout` in
/// its transaction (the planner statistics of Initial Synchronization, `ANALYZE`).
public struct SessionLimits: Sendable, Hashable {
    /// `PASISYNC_DB_STATEMENT_TIMEOUT_SECONDS`: the longest one statement may run; 0 for none.
    /// Default 600: the slowest statements of getting ready (a first day's batches, Load Local
    /// Copy's stores) take seconds on 100,000 students (docs/benchmarks.md).
    public var statementTimeoutSeconds: Int = 600
    /// `PASISYNC_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS`: the longest a session may sit in an
    /// open transaction between two statements; 0 for none. Default 60: no handler waits on
    /// anything but the database inside a transaction (PASI is called outside them).
    public var idleInTransactionTimeoutSeconds: Int = 60

    public init(statementTimeoutSeconds: Int = 600, idleInTransactionTimeoutSeconds: Int = 60) {
        self.statementTimeoutSeconds = statementTimeoutSeconds
        self.idleInTransactionTimeoutSeconds = idleInTransactionTimeoutSeconds
    }

    /// A value of the environment that is not a number of seconds in range.
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// The variables' names, with the range each accepts.
    public static let statementVariable = "PASISYNC_DB_STATEMENT_TIMEOUT_SECONDS"
    public static let idleVariable = "PASISYNC_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS"
    static let range = 0...86_400

    /// The limits from the environment, the defaults where a variable is unset or empty.
    /// - Throws: ``Invalid`` naming the variable whose value is not 0 to 86400.
    public static func fromEnvironment(_ environment: [String: String]) throws -> SessionLimits {
        var limits = SessionLimits()
        func read(_ name: String) throws -> Int? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let seconds = Int(text), range.contains(seconds) else {
                throw Invalid(description: "\(name) must be a number of seconds from 0 (no limit) to 86400, got \(text)")
            }
            return seconds
        }
        if let seconds = try read(statementVariable) { limits.statementTimeoutSeconds = seconds }
        if let seconds = try read(idleVariable) { limits.idleInTransactionTimeoutSeconds = seconds }
        return limits
    }

    /// The connections' startup parameters (milliseconds, PostgreSQL's unit for both).
    public var startupParameters: [(String, String)] {
        [("statement_timeout", "\(statementTimeoutSeconds * 1000)"),
         ("idle_in_transaction_session_timeout", "\(idleInTransactionTimeoutSeconds * 1000)")]
    }
}
