import Foundation
import JobQueue
import Logging
import PASIModel
import SyncStore

/// The last step of an Initial Upload, once every batch is done: the upload is recorded as
/// completed (`sync.initial_uploads`: a Course Enrollments upload of the school may run once its
/// Sections upload completed), and the report of what PASI accepted and rejected becomes the
/// upload's message.
public struct InitialUploadReport: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// The Initial Upload (its `initial_upload` job).
        public var run: Int64
        public var school: String
        public var type: String

        public init(run: Int64, school: String, type: String) {
            self.run = run
            self.school = school
            self.type = type
        }
    }

    public static let kind = "initial_upload_report"
    public static let title = "Initial Sync – Upload Report"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let (school, type) = try InitialUpload.parse(.init(school: arguments.school, type: arguments.type))
        let store = InitialUploadStore(client: environment.client, logger: context.logger)
        let counts = try await store.tally(type.recordType, run: arguments.run)
        let report = Self.report(counts, school: school, type: type)
        try await context.withTransaction { transaction in
            try await store.complete(uploadType: type.seedName, schoolCode: school, jobID: arguments.run,
                                     accepted: counts.accepted, rejected: counts.rejected, on: transaction.connection)
            try await transaction.queue.addProgress(toJob: arguments.run, done: 0, message: report, on: transaction.connection)
        }
        try await context.progress(done: 1, total: 1, message: report)
        context.logger.info("initial upload done", metadata: [
            "school": "\(school)", "type": "\(type)", "accepted": "\(counts.accepted)", "rejected": "\(counts.rejected)"])
    }

    /// The upload's last message: counts accepted and rejected.
    static func report(_ counts: UploadCounts, school: String, type: InitialUploadType) -> String {
        var text = "Initial Upload of school \(school), \(type.seedName): \(counts.total.grouped) in the SIS, \(counts.accepted.grouped) accepted by PASI"
        if counts.alreadyAccepted > 0 { text += " (\(counts.alreadyAccepted.grouped) of them already before this run)" }
        text += ", \(counts.rejected.grouped) rejected"
        if counts.notSent > 0 { text += " (\(counts.notSent.grouped) of them not sent: they cannot be built)" }
        if counts.rejected > 0 { text += "; each rejection is a Rejection alert (pasisync alerts)" }
        return text
    }
}
