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
public struct KindRegistration: Sendable {
    public let name: String
    public let title: String
    public let maxAttempts: Int
    public let timeoutSeconds: Int?

    public init(name: String, title: String, maxAttempts: Int, timeoutSeconds: Int?) {
        self.name = name
        self.title = title
        self.maxAttempts = maxAttempts
        self.timeoutSeconds = timeoutSeconds
    }
}
