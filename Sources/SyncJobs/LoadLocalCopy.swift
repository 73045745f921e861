import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Step 1. Download Local PASI Data Store: one time, every record of the synchronized objects the
/// authority may see (the school authority, schools, courses, students with their names,
/// addresses and phones, school enrolments, and their validation statuses) for the
/// synchronization years. Code values and the accepted school years come first (they say which
/// years); then ``DownloadFanOut`` hands every record of each type out in download batches
/// (`pasi_download`) that the whole cluster fetches; the job completes when its last batch does.
public struct LoadLocalCopy: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "load_local_copy"
    public static let title = "Load Local Copy"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        _ = try await CodeValues.download(environment: environment, context: context, reportProgress: false)
        let years = try await SynchronizationYears.fromSettings(environment)
        let types = try await SynchronizedObject.enabled(in: environment, years: years)
        let total = try await DownloadFanOut.run(types.map(\.1), years: years.years, environment: environment, context: context)
        context.logger.info("load local copy fanned out", metadata: ["records": "\(total)", "types": "\(types.count)"])
    }
}
