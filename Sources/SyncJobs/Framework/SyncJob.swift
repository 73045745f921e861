public import Foundation
public import JobQueue
public import Logging
public import PostgresNIO
public import PASICore

/// A process of the seed as a kind of job: static metadata (kind, titles, argument type) that
/// `pasisync migrate` can register without building anything, and a handler made once per
/// worker process from its ``SyncEnvironment``.
///
/// One type per process, in a file named after it (`CodeValues.swift` for the code values
/// download); the kinds, titles and run names are those of `../shared/PROCESSES.md`.
public protocol SyncJob: Sendable {
    /// The job's arguments, as the JSON object in `queue.jobs.args` (snake_case keys).
    associatedtype Arguments: Codable & Sendable

    /// `queue.jobs.kind`.
    static var kind: String { get }
    /// What the Synchronization Queue shows for a job started by a person ("Hash Sync – Manual").
    static var title: String { get }
    /// What it shows for a job a schedule made, when different ("Hash Sync – Scheduled").
    static var scheduledTitle: String? { get }
    /// Regular synchronization waits for the Start Delay after the cluster starts.
    static var heldByStartDelay: Bool { get }
    /// How failed attempts are spaced; the attempts themselves are Maximum Attempts.
    static var retryPolicy: RetryPolicy { get }
    /// How long an attempt may go without reporting progress before its worker stops it and
    /// gives up its lease (``JobQueue/JobHandler/stallLimit``); default ``JobQueue/StallLimit/default``.
    static var stallLimit: Duration { get }

    /// Makes the handler, once per worker process.
    init(environment: SyncEnvironment)

    /// Does one attempt. Throw ``JobQueue/JobError/permanent(_:)`` for what no retry can fix,
    /// ``JobQueue/JobSnooze`` to come back later without spending an attempt; a
    /// ``PASICore/PASICoreError`` is sorted for you (rejections fail at once, outages retry).
    func run(_ arguments: Arguments, context: SyncJobContext) async throws
}

extension SyncJob {
    public static var scheduledTitle: String? { nil }
    public static var heldByStartDelay: Bool { false }
    /// 5 s after the first failure, doubling up to 10 minutes: a PASI outage is waited out
    /// without hammering it.
    public static var retryPolicy: RetryPolicy { RetryPolicy(initialDelay: .seconds(5), maximumDelay: .seconds(600)) }
    public static var stallLimit: Duration { StallLimit.default }

    /// The kind as `queue.job_kinds` stores it. Its attempts and history are filled in by the
    /// database from Maximum Attempts and Keep Synchronization History (family `sync`).
    public static var registration: KindRegistration {
        KindRegistration(name: kind, title: title, maxAttempts: retryPolicy.maxAttempts, timeoutSeconds: nil,
                         scheduledTitle: scheduledTitle, family: SyncJobs.family)
    }

    /// A job of this kind with `arguments`, as `pasisync run` and a handler's fan-out insert it.
    public static func newJob(_ arguments: Arguments, priority: Int = 0, runAt: Date? = nil,
                              uniqueKey: String? = nil, dependsOn: [Int64] = []) throws -> NewJob {
        NewJob(kind: kind, args: try SyncJobs.encode(arguments), priority: priority, runAt: runAt,
               uniqueKey: uniqueKey, dependsOn: dependsOn)
    }
}

/// Arguments of a process that takes none: `{}` (any other keys are ignored).
public struct NoArguments: Codable, Sendable, Hashable {
    public init() {}
}

/// What a sync handler gets for one attempt: the queue's context (progress, the attempt), the
/// process's environment (stores, PASI), and transactions that hold its writes and its jobs.
public struct SyncJobContext: Sendable {
    /// The queue's side: the attempt, its logger, progress.
    public let queue: JobContext
    /// The process's stores and PASI client.
    public let environment: SyncEnvironment

    /// The job whose attempt the current task runs, for the message log.
    @TaskLocal public static var currentJobID: Int64?
    /// Synchronization Log on: the job's start, progress steps and end are logged (notices).
    public var synchronizationLog = false

    /// What regular synchronization logs per data event (the Events Log setting).
    public var eventsLog: EventsLog { EventsLog(level: environment.logs.current.eventsLevel) }

    public var job: ClaimedJob { queue.job }
    public var logger: Logger { queue.logger }
    /// Whether a schedule made this job (rather than a person or another job).
    public var isScheduled: Bool { queue.job.schedule != nil }

    /// Records progress, e.g. `done: 412, total: 1380, message: "school 0123: 412 of 1,380 students matched"`.
    public func progress(done: Int64, total: Int64? = nil, message: String? = nil) async throws {
        try await queue.progress(done: done, total: total, message: message)
        if synchronizationLog {
            logger.notice("progress \(done)\(total.map { "/\($0)" } ?? "")\(message.map { ": \($0)" } ?? "")")
        }
    }

    /// PASI Core, over the process's one client.
    public func pasi() async throws -> any PASICoreService { try await environment.pasi() }

    /// Runs `body` in one transaction: what it writes through ``SyncTransaction/connection`` and
    /// the jobs it enqueues there commit together, or not at all; and only while this attempt
    /// still holds its lease (the fence, ``JobQueue/JobContext/checkLease(on:)``, runs last in the
    /// same transaction). A worker frozen or cut off past its lease writes nothing here: the
    /// transaction rolls back and ``JobQueue/LeaseLost`` ends the attempt, its outcome dropped.
    public func withTransaction<T: Sendable>(_ body: @escaping @Sendable (SyncTransaction) async throws -> T) async throws -> T {
        try await environment.withTransaction(parent: job.id, fence: queue, body)
    }
}

/// A transaction of a sync handler (or of `pasisync run`): its connection for the repository
/// layer's writes, and enqueues that commit with them.
public struct SyncTransaction: Sendable {
    /// The connection the transaction runs on.
    public let connection: PostgresConnection
    public let queue: QueueStore
    /// The job whose transaction this is: children hang off it.
    let parentID: Int64?

    /// Enqueues a job of kind `J` in this transaction.
    /// - Parameter asChild: the parent completes only when it does (and fails if it fails).
    @discardableResult
    public func enqueue<J: SyncJob>(_ kind: J.Type, _ arguments: J.Arguments, asChild: Bool = false,
                                    uniqueKey: String? = nil, priority: Int = 0, dependsOn: [Int64] = []) async throws -> EnqueueResult {
        var job = try J.newJob(arguments, priority: priority, uniqueKey: uniqueKey, dependsOn: dependsOn)
        if asChild { job.parentID = parentID }
        return try await queue.enqueue(job, on: connection)
    }
}

/// A ``SyncJob`` as the queue sees it: arguments decoded, the Start Delay kept, PASI's errors sorted.
struct SyncJobHandler<Job: SyncJob>: JobHandler {
    typealias Arguments = Job.Arguments
    static var kind: String { Job.kind }
    static var title: String { Job.title }
    static var scheduledTitle: String? { Job.scheduledTitle }
    static var family: String? { SyncJobs.family }

    let job: Job
    let environment: SyncEnvironment
    var retryPolicy: RetryPolicy { Job.retryPolicy }
    var stallLimit: Duration { Job.stallLimit }

    func run(_ arguments: Arguments, context: JobContext) async throws {
        if Job.heldByStartDelay, let remaining = try await environment.startDelayRemaining() {
            throw JobSnooze(for: remaining, reason: StartDelay.waitingReason)
        }
        var made = SyncJobContext(queue: context, environment: environment)
        made.synchronizationLog = environment.logs.current.synchronizationLog
        let syncContext = made
        if syncContext.synchronizationLog { context.logger.notice("\(Job.title) started") }
        do {
            try await SyncJobContext.$currentJobID.withValue(context.job.id) {
                try await job.run(arguments, context: syncContext)
            }
            if syncContext.synchronizationLog { context.logger.notice("\(Job.title) attempt done") }
        } catch let error as PASICoreError {
            if syncContext.synchronizationLog { context.logger.notice("\(Job.title) attempt ended: \(error.forJob)") }
            throw error.forJob
        } catch {
            if syncContext.synchronizationLog { context.logger.notice("\(Job.title) attempt ended: \(error)") }
            throw error
        }
    }
}
