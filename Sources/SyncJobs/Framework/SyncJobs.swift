import Foundation
public import JobQueue

/// The seed's processes as the cluster knows them: which kinds are built, their registrations
/// (static, so `pasisync migrate` needs no PASI), and the handlers a worker runs.
public enum SyncJobs {
    /// The family the database gives Maximum Attempts, Keep Synchronization History and the
    /// Failure alert (`sync.before_register_sync_kind`, `sync.after_sync_job_failed`).
    public static let family = "sync"

    /// Every sync kind that is built, one type per process.
    public static let kinds: [any SyncJob.Type] = [
        CodeValues.self, LoadLocalCopy.self, InitialSync.self, HashSync.self,
        PASIDownload.self, InitialSyncBatch.self, InitialSyncReport.self, RegularSync.self,
        PASIDataAvailable.self, AlertsReconciliation.self, ArchiveEvents.self, Retention.self, EndOfYear.self,
        InitialUpload.self, InitialUploadBatch.self, InitialUploadReport.self, DERDownload.self, ExamMarksUpdate.self,
        DocumentSubmission.self,
    ]

    /// The kinds as `queue.job_kinds` stores them.
    public static var registrations: [KindRegistration] { kinds.map { $0.registration } }

    /// Registers a handler of every built kind, made once from `environment`, into `registry`.
    public static func register(into registry: inout JobRegistry, environment: SyncEnvironment) throws {
        for kind in kinds { try register(kind, into: &registry, environment: environment) }
    }

    private static func register<J: SyncJob>(_ kind: J.Type, into registry: inout JobRegistry, environment: SyncEnvironment) throws {
        try registry.register(SyncJobHandler(job: J(environment: environment), environment: environment))
    }

    /// Arguments as the JSON object `queue.jobs.args` holds: keys sorted, so that the same
    /// arguments always give the same text.
    public static func encode(_ arguments: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(arguments), as: UTF8.self)
    }
}
