public import JobQueue
public import Logging
public import PostgresNIO
public import SyncStore
import PASIModel

/// The seed's "Run Now" links, as `pasisync run NAME` offers them (`../shared/PROCESSES.md`):
/// each enqueues exactly the job a psql INSERT of its kind would, after the checks the seed makes.
public struct RunNowProcess: Sendable {
    /// The name after `pasisync run`.
    public let name: String
    /// The seed's process.
    public let process: String
    /// The job kind it enqueues.
    public let kind: String
    /// Options it takes beyond `--wait`, for the help text.
    public let usage: String
    /// Makes the job from the options.
    let job: @Sendable (RunNowOptions) throws -> NewJob
    /// What the seed says when the link is disabled, if it is now.
    let refusal: @Sendable (RunNowChecks) async throws -> String?
}

/// The options of `pasisync run`.
public struct RunNowOptions: Sendable {
    public var school: String?
    public var type: String?
    public init(school: String? = nil, type: String? = nil) {
        self.school = school
        self.type = type
    }
}

/// What a Run Now checks before it enqueues: the settings, the options given, the database.
public struct RunNowChecks: Sendable {
    public let settings: SettingsStore
    public let options: RunNowOptions
    public let client: PostgresClient
    public let logger: Logger
}

/// Why `pasisync run` did not enqueue anything, in the seed's words where it has them.
public struct RunNowRefused: Error, Sendable, CustomStringConvertible {
    public let description: String
}

public enum RunNow {
    /// Every Run Now of the seed, in the order of `../shared/PROCESSES.md`.
    public static let all: [RunNowProcess] = [
        plain("code-values", "Code values and accepted school years", CodeValues.self),
        plain("load-local-copy", "Step 1. Download Local PASI Data Store", LoadLocalCopy.self),
        RunNowProcess(
            name: "initial-sync", process: "Step 2. Initial Synchronization", kind: InitialSync.kind, usage: "[--school CODE]",
            job: { options in try InitialSync.newJob(.init(school: options.school)) },
            refusal: { checks in
                try await InitialSync.refusal(school: checks.options.school, settings: checks.settings,
                                              store: InitialSyncStore(client: checks.client, logger: checks.logger))
            }),
        plain("hash-sync", "Step 4. Hash Synchronization (Hash On-Demand)", HashSync.self) { checks in
            try await checks.settings.value(of: .hashSynchronization) == .bool(true) ? nil : HashSync.offReason
        },
        RunNowProcess(
            name: "full-reconciliation", process: "Full Reconciliation On-Demand", kind: AlertsReconciliation.kind, usage: "",
            job: { _ in try AlertsReconciliation.newJob(.init(full: true)) }, refusal: { _ in nil }),
        plain("archive-events", "Archive Events On-Demand", ArchiveEvents.self),
        plain("retention", "Retention On-Demand", Retention.self),
        plain("end-of-year", "End of Year", EndOfYear.self),
        RunNowProcess(
            name: "initial-upload", process: "SCM Step 5. Initial Upload", kind: InitialUpload.kind,
            usage: "--school CODE --type sections|course-enrolments|evaluated-marks",
            job: { options in
                try InitialUpload.newJob(.init(school: options.school ?? "", type: (try? InitialUploadType(typed: options.type ?? ""))?.rawValue ?? options.type ?? ""))
            },
            refusal: { checks in try await InitialUpload.runNowRefusal(checks) }),
        plain("der-download", "Diploma Exams Step 1. DER Initial Download", DERDownload.self),
        plain("exam-marks-update", "Exam Marks Updates On-Demand (always available)", ExamMarksUpdate.self),
        plain("document-submission", "Daily Document Submission", DocumentSubmission.self),
    ]

    public static func named(_ name: String) -> RunNowProcess? { all.first { $0.name == name } }

    /// Checks what the seed checks, then enqueues the process's job.
    /// - Throws: ``RunNowRefused`` for an unknown name or a disabled link (the seed's reason);
    ///   database errors.
    public static func enqueue(_ name: String, _ options: RunNowOptions, settings: SettingsStore, queue: QueueStore) async throws -> EnqueueResult {
        guard let process = named(name) else {
            throw RunNowRefused(description: "no process is named \"\(name)\"; the names are: \(all.map(\.name).joined(separator: ", "))")
        }
        let checks = RunNowChecks(settings: settings, options: options, client: settings.client, logger: settings.logger)
        if let reason = try await process.refusal(checks) { throw RunNowRefused(description: reason) }
        return try await queue.enqueue(try process.job(options))
    }

    /// A process whose job takes no arguments.
    private static func plain<J: SyncJob>(
        _ name: String, _ process: String, _ kind: J.Type,
        refusal: @escaping @Sendable (RunNowChecks) async throws -> String? = { _ in nil }
    ) -> RunNowProcess where J.Arguments == NoArguments {
        RunNowProcess(name: name, process: process, kind: J.kind, usage: "", job: { _ in try J.newJob(NoArguments()) },
                      refusal: refusal)
    }
}
