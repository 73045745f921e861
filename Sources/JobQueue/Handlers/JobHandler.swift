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

    /// Does the work of one attempt. Throw ``JobError/permanent(_:)`` for a failure that no retry can fix.
    func run(_ arguments: Arguments, context: JobContext) async throws
}

extension JobHandler {
    public static var title: String { kind }
    public static var scheduledTitle: String? { nil }
    public static var family: String? { nil }
    public var retryPolicy: RetryPolicy { RetryPolicy() }
    public var timeout: Duration? { nil }
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
