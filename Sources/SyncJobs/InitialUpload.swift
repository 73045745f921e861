import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import PostgresNIO
import SyncStore

/// The seed's "Getting Ready for Synchronization for School Course Marks", Step 5, Initial
/// Upload ("Initial Sync – Upload"): loads the Sections, Course Enrollments or Evaluated Marks of
/// one high school that are in the SIS into PASI, one school and one Upload Type per job
/// (`{"school": "1042", "type": "sections"}`, `pasisync run initial-upload --school 1042 --type sections`).
///
/// Refused (at Run Now, and again here, failing once) for a school that is not a high school,
/// whose Course Mark Integration Status is not Inactive, or whose PASI Data Validations fail; a
/// Course Enrollments upload is refused until the school's Sections upload completed, because a
/// course enrolment names its section by the RefId the Sections upload gave it. Evaluated Marks
/// are independent.
///
/// Each row gets a GUID RefId chosen here and kept (`sync.initial_upload_records`), so a retried
/// attempt or a second run sends the same record; a row PASI already accepted is not sent again.
/// The rows go in batches, child jobs that every worker shares (``InitialUploadBatch``); the
/// last child (``InitialUploadReport``) records the upload as completed and ends with the report
/// of what PASI accepted and rejected, as this job's message.
public struct InitialUpload: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// The school's four-digit code.
        public var school: String
        /// `sections`, `course-enrolments` or `evaluated-marks`.
        public var type: String

        public init(school: String, type: String) {
            self.school = school
            self.type = type
        }
    }

    public static let kind = "initial_upload"
    public static let title = "Initial Sync – Upload"
    /// `raised_by` of its alerts.
    static let raiser = "initial_upload"
    static let alertCode = "UPLOAD_REJECTED"
    /// Rows per batch job.
    static let batchSize = 250
    /// Submits in flight at once in one batch.
    static let concurrency = 8

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let (school, type) = try Self.parse(arguments)
        let store = InitialUploadStore(client: environment.client, logger: context.logger)
        if let reason = try await Self.refusal(school: school, type: type, client: environment.client, logger: context.logger) {
            throw JobError.permanent(reason)
        }
        // PASI's endpoint is checked here, once, rather than by every batch.
        _ = try await context.pasi()
        let root = context.job.id
        let ids = try await store.rowIDs(type.recordType, schoolCode: school)
        try await context.withTransaction { transaction in
            var batches: [Int64] = []
            for (index, start) in stride(from: 0, to: ids.count, by: Self.batchSize).enumerated() {
                let slice = Array(ids[start..<min(start + Self.batchSize, ids.count)])
                let job = try await transaction.enqueue(
                    InitialUploadBatch.self, .init(run: root, school: school, type: type.rawValue, ids: slice), asChild: true,
                    uniqueKey: "initial_upload_batch:\(root):\(index)")
                batches.append(job.id)
            }
            try await transaction.enqueue(InitialUploadReport.self, .init(run: root, school: school, type: type.rawValue),
                                          asChild: true, uniqueKey: "initial_upload_report:\(root)", dependsOn: batches)
            try await transaction.queue.addProgress(
                toJob: root, done: 0, total: Int64(ids.count),
                message: "school \(school): \(type.seedName): \(ids.count.grouped) in the SIS, sent in \(batches.count) batches",
                on: transaction.connection)
        }
    }

    /// The arguments read, or a permanent failure naming what is wrong.
    static func parse(_ arguments: Arguments) throws -> (school: String, type: InitialUploadType) {
        guard arguments.school.count == 4, arguments.school.allSatisfy(\.isASCII), arguments.school.allSatisfy(\.isNumber) else {
            throw JobError.permanent("an Initial Upload's school is a four-digit school code, not \"\(arguments.school)\"")
        }
        do {
            return (arguments.school, try InitialUploadType(typed: arguments.type))
        } catch {
            throw JobError.permanent("an Initial Upload's \(String(describing: error))")
        }
    }

    /// Why the upload is refused now (the seed's words), or `nil`. Shared by Run Now and the job.
    static func refusal(school: String, type: InitialUploadType, client: PostgresClient, logger: Logger) async throws -> String? {
        let marks = SchoolCourseMarksStore(client: client, logger: logger)
        guard let found = try await marks.schools(code: school).first else {
            return "Initial Upload refused: no school has the code \(school) (pasisync schools lists them)"
        }
        let failures = SchoolTermValidations.validate(try await marks.termSetups(schoolCode: school))
        let sectionsDone = type == .courseEnrolments
            ? try await InitialUploadStore(client: client, logger: logger).completed(uploadType: InitialUploadType.sections.seedName, schoolCode: school)
            : true
        return InitialUploadCheck.refusal(
            schoolCode: school, isHighSchool: found.isHighSchool, status: found.status,
            failedRules: Array(Set(failures.map(\.rule.code))).sorted(), type: type, sectionsUploaded: sectionsDone)
    }

    /// Run Now's check of the options.
    static func runNowRefusal(_ checks: RunNowChecks) async throws -> String? {
        guard let school = checks.options.school, let typed = checks.options.type else {
            return "initial-upload needs --school CODE and --type sections|course-enrolments|evaluated-marks (one school at a time)"
        }
        let type: InitialUploadType
        do { type = try InitialUploadType(typed: typed) } catch { return String(describing: error) }
        return try await refusal(school: school, type: type, client: checks.client, logger: checks.logger)
    }
}

