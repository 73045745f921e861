import JobQueue
import Logging
import PASIModel
import SyncStore

/// Synchronizing Diploma Exam Courses, Step 1. Synchronize Diploma Exam Data (the DER Initial
/// Download): every diploma exam, diploma exam sitting and diploma exam mark PASI holds for the
/// authority's students, for the current school year and the Historical Years for Diploma Exam
/// Integration before it, into the local store (`pasi.diploma_exams`, `pasi.diploma_exam_sittings`,
/// `pasi.diploma_exam_marks`). Done as Load Local Copy does it (``DownloadFanOut``): the change
/// feed from version 0, download batches over the cluster, progress per type; the job completes
/// when its last batch does. It runs before the Diploma Exam Items are enabled (the seed's Step 2
/// comes after it), so it checks none of them.
public struct DERDownload: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "der_download"
    public static let title = "DER Initial Download"

    /// The three record types, in the order their progress is shown.
    static let names: [NotificationName] = [.diplomaExam, .diplomaExamSitting, .diplomaExamMark]

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        // The code values set Current School Year for Synchronization, which says which years.
        _ = try await CodeValues.download(environment: environment, context: context, reportProgress: false)
        let years = try await Self.years(environment)
        let types = try Self.names.flatMap { name in try years.map { try NotificationType(name, year: $0) } }
        let total = try await DownloadFanOut.run(types, years: years, environment: environment, context: context)
        context.logger.info("DER initial download fanned out", metadata: ["records": "\(total)", "types": "\(types.count)"])
    }

    /// The current school year and, before it, as many as Historical Years for Diploma Exam
    /// Integration says (0 to 2), oldest first.
    /// - Throws: ``JobQueue/JobError/permanent(_:)`` while Current School Year for Synchronization is 0000-0000.
    static func years(_ environment: SyncEnvironment) async throws -> [SchoolYear] {
        guard case .schoolYear(let current?) = try await environment.settings.value(of: .currentSchoolYear) else {
            throw JobError.permanent("Current School Year for Synchronization is 0000-0000: run the code values download first (pasisync run code-values)")
        }
        return try await SynchronizationYears.diplomaYears(current: current, environment)
    }
}
