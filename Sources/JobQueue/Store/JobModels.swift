public import Foundation

/// The life of a job: `waiting` (for dependencies or children) → `pending` → `running` →
/// `completed`, or `retrying` → `running` … → `failed`; `cancelled` from any unfinished state.
public enum JobState: String, Sendable, Codable, CaseIterable {
    case waiting, pending, running, retrying, completed, failed, cancelled

    /// Completed, failed and cancelled jobs never run again (unless someone retries them).
    public var isFinished: Bool { self == .completed || self == .failed || self == .cancelled }
}

/// A job to insert.
public struct NewJob: Sendable {
    public var kind: String
    /// The arguments as a JSON object's text.
    public var args: String
    public var priority: Int
    /// When it may start; `nil` means now.
    public var runAt: Date?
    public var uniqueKey: String?
    public var dependsOn: [Int64]
    public var parentID: Int64?
    /// `nil` takes the kind's default.
    public var maxAttempts: Int?

    public init(
        kind: String, args: String = "{}", priority: Int = 0, runAt: Date? = nil,
        uniqueKey: String? = nil, dependsOn: [Int64] = [], parentID: Int64? = nil, maxAttempts: Int? = nil
    ) {
        self.kind = kind
        self.args = args
        self.priority = priority
        self.runAt = runAt
        self.uniqueKey = uniqueKey
        self.dependsOn = dependsOn
        self.parentID = parentID
        self.maxAttempts = maxAttempts
    }
}

/// What an enqueue did.
public enum EnqueueResult: Sendable, Equatable {
    /// A new job with this id.
    case inserted(Int64)
    /// A live job already holds the unique key: this one.
    case duplicate(Int64)

    public var id: Int64 {
        switch self {
        case .inserted(let id), .duplicate(let id): id
        }
    }
}

/// A job a worker holds a lease on, for one attempt.
public struct ClaimedJob: Sendable, Hashable {
    public let id: Int64
    public let kind: String
    public let args: String
    public let attempt: Int
    public let maxAttempts: Int
    /// How often the job was put back for later without spending an attempt (``JobSnooze``).
    public var snoozes: Int = 0
    /// The schedule that made the job, if a schedule did (`queue.schedules.name`).
    public var schedule: String? = nil

    public init(id: Int64, kind: String, args: String, attempt: Int, maxAttempts: Int, snoozes: Int = 0, schedule: String? = nil) {
        self.id = id
        self.kind = kind
        self.args = args
        self.attempt = attempt
        self.maxAttempts = maxAttempts
        self.snoozes = snoozes
        self.schedule = schedule
    }
}

/// One row of `queue.job_list`, the view people read.
public struct JobSummary: Sendable {
    public let id: Int64
    public let kind: String
    public let title: String
    public let state: JobState
    public let attempts: String
    public let priority: Int
    public let progressDone: Int64?
    public let progressTotal: Int64?
    public let progressMessage: String?
    public let age: String
    public let runtime: String?
    public let worker: String?
    public let lastError: String?
}

/// A kind as stored in `queue.job_kinds`.
public struct KindRegistration: Sendable, Hashable {
    public let name: String
    public let title: String
    public let maxAttempts: Int
    public let timeoutSeconds: Int?
    /// The title of the jobs a schedule makes, when it differs ("Hash Sync – Scheduled").
    public let scheduledTitle: String?
    /// A family of kinds the database treats alike (the sync side's `sync` kinds take their
    /// attempts and history from its settings); `nil` for none.
    public let family: String?

    public init(name: String, title: String, maxAttempts: Int, timeoutSeconds: Int?, scheduledTitle: String? = nil, family: String? = nil) {
        self.name = name
        self.title = title
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
        self.scheduledTitle = scheduledTitle
        self.family = family
    }
}

/// A row of `queue.schedule_list`: a schedule as people read it.
public struct ScheduleSummary: Sendable {
    public let name: String
    public let kind: String
    public let title: String
    /// The calendar rule, or `every <interval>`.
    public let rule: String
    public let enabled: Bool
    /// scheduled, disabled, or "kind not registered: does not fire".
    public let status: String
    /// The next run in the cluster's time zone, `YYYY-MM-DD HH:MM:SS`; `nil` while disabled.
    public let nextRunLocal: String?
    public let timeZone: String
    public let lastJobID: Int64?
    /// The settings the schedule follows, if any.
    public let follows: String?
}

/// What one pass of the schedule firer did for one schedule.
public struct FiredSlot: Sendable, Hashable {
    public let schedule: String
    public let scheduledFor: Date
    /// `nil` when a job for the slot existed already.
    public let jobID: Int64?
}

/// A handler's request to put its job back for later without spending an attempt: thrown from
/// ``JobHandler/run(_:context:)`` (PASI's "resubmit later", a wait for data).
public struct JobSnooze: Error, CustomStringConvertible, Sendable {
    /// How long from now the job is due again.
    public let delay: Duration
    /// Why, for people reading the queue.
    public let reason: String

    public init(for delay: Duration, reason: String) {
        self.delay = delay
        self.reason = reason
    }

    public var description: String { "snoozed for \(delay): \(reason)" }
}
