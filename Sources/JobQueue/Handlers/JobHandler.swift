import Logging

/// A kind of work the cluster can run: registered under ``kind`` in a ``JobRegistry``.
///
/// The queue decodes the job's JSON `args` into ``Arguments`` before ``run(_:context:)``;
/// arguments that do not decode fail the job once, permanently, with the decoding error,
/// instead of retrying something that can never succeed.
public protocol JobHandler: Sendable {
    /// The arguments the job's `args` object decodes into.
    associatedtype Arguments: Decodable & Sendable

    /// The name jobs of this kind carry in `queue.jobs.kind`.
    static var kind: String { get }
    /// A short title for people reading the queue (the seed's job names, e.g. "Hash Sync – Manual").
    static var title: String { get }
    /// The title of the jobs a schedule makes, when it differs (e.g. "Hash Sync – Scheduled").
    static var scheduledTitle: String? { get }
    /// A family the database treats alike (see ``KindRegistration/family``); `nil` for none.
    static var family: String? { get }

    /// How failed attempts are retried.
    var retryPolicy: RetryPolicy { get }
    /// How long one attempt may run before it is cancelled and counted as a transient failure.
    var timeout: Duration? { get }
    /// How long an attempt may go without reporting progress (``JobContext/progress(done:total:message:)``
    /// or ``JobContext/stillWorking()``) before its worker gives up its lease: the attempt is
    /// stopped and counted as a transient failure (retried by ``retryPolicy``, failed when out
    /// of attempts). Default ``StallLimit/default``.
    var stallLimit: Duration { get }

    /// Does the work of one attempt. Throw ``JobError/permanent(_:)`` for a failure that no retry can fix.
    func run(_ arguments: Arguments, context: JobContext) async throws
}

extension JobHandler {
    public static var title: String { kind }
    public static var scheduledTitle: String? { nil }
    public static var family: String? { nil }
    public var retryPolicy: RetryPolicy { RetryPolicy() }
    public var timeout: Duration? { nil }
    public var stallLimit: Duration { StallLimit.default }
}

/// The bound on how long an attempt may go without reporting progress (``JobHandler/stallLimit``).
///
/// Without it a handler stuck in a call that never returns (a socket that went silent, a lock
/// wait) would hold its job for ever: the worker's heartbeat renews the lease of every attempt
/// it holds, moving or not. The worker's watchdog stops renewing the lease of an attempt silent
/// for longer than its kind's limit, stops it, and records a transient failure that says so.
public enum StallLimit {
    /// One hour: more than the longest single call a sync kind makes without reporting progress
    /// (a PASI call under the PASI Web Service Timeout, at most 30 minutes; a PASI Data Available
    /// wait, at most 30 minutes; a statement under the workers' `statement_timeout`).
    public static let `default`: Duration = .seconds(3600)

    /// The `last_error` of an attempt stopped by the watchdog.
    public static func message(_ limit: Duration) -> String {
        "no progress reported for \(LostLease.formatted(limit)) (the kind's stall limit): "
            + "its worker gave up the lease and stopped the attempt"
    }
}

/// Errors a handler throws to steer the queue; any other error is a transient failure (and
/// ``JobSnooze`` puts the job back for later without spending an attempt).
public enum JobError: Error, CustomStringConvertible, Sendable {
    /// The job cannot succeed however often it runs: fail it now.
    case permanent(String)
    /// The arguments are not what the kind expects (always permanent).
    case badArguments(String)

    public var description: String {
        switch self {
        case .permanent(let reason): reason
        case .badArguments(let reason): "bad arguments: \(reason)"
        }
    }
}
