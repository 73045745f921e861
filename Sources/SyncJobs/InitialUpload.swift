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
/// Rows go in batches, each batch's submits side by side; what PASI accepted is written into the
/// local store with PASI's version, what it rejected raises a Rejection alert (and resolves that
/// alert when a later run gets the row accepted). A rejection never stops the other rows; an
/// outage fails the attempt, and the retry picks up from the rows not yet accepted.
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
    /// Rows per batch: one transaction of outcomes and alerts, one progress step.
    static let batchSize = 250
    /// Submits in flight at once.
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
        let pasi = try await context.pasi()
        let uploader = Uploader(environment: environment, context: context, store: store, school: school, type: type, pasi: pasi)
        let tally: UploadTally
        switch type {
        case .sections:
            let rows = try await store.sections(schoolCode: school)
            tally = try await uploader.upload(rows.map { row in
                UploadItem<Section>(sisID: row.id, what: "section \(row.id)", asn: nil) { refId throws(PASIModelError) in
                    try InitialUploadRecords.section(row, refId: refId)
                }
            }, save: { records in _ = try await environment.pasiStore.upsert(records) })
        case .courseEnrolments:
            let rows = try await store.courseEnrolments(schoolCode: school)
            let sections = try await store.acceptedSectionRefIds(sectionIDs: Array(Set(rows.map(\.sectionID))))
            tally = try await uploader.upload(rows.map { row in
                UploadItem<CourseEnrolment>(sisID: row.id, what: "course enrolment \(row.id)", asn: row.asn) { refId throws(PASIModelError) in
                    guard let section = sections[row.sectionID] else {
                        throw PASIModelError(.invalidFormat, field: "course enrolment \(row.id): its section \(row.sectionID)",
                                             expectation: "must be in PASI (the Sections upload did not get it accepted)", value: "")
                    }
                    return try InitialUploadRecords.courseEnrolment(row, refId: refId, sectionRefId: section)
                }
            }, save: { records in _ = try await environment.pasiStore.upsert(records) })
        case .evaluatedMarks:
            let rows = try await store.storedGrades(schoolCode: school)
            tally = try await uploader.upload(rows.map { row in
                UploadItem<EvaluatedMark>(sisID: row.id, what: "stored grade \(row.id)", asn: row.asn) { refId throws(PASIModelError) in
                    try InitialUploadRecords.evaluatedMark(row, refId: refId)
                }
            }, save: { records in _ = try await environment.pasiStore.upsert(records) })
        }
        try await context.withTransaction { transaction in
            try await store.complete(uploadType: type.seedName, schoolCode: school, jobID: context.job.id,
                                     accepted: tally.accepted, rejected: tally.rejected, on: transaction.connection)
        }
        try await context.progress(done: Int64(tally.total), total: Int64(tally.total), message: tally.report(school: school, type: type))
        context.logger.info("initial upload done", metadata: [
            "school": "\(school)", "type": "\(type)", "accepted": "\(tally.accepted)", "rejected": "\(tally.rejected)"])
    }

    /// The arguments read, or a permanent failure naming what is wrong.
    static func parse(_ arguments: Arguments) throws -> (school: String, type: InitialUploadType) {
        guard arguments.school.count == 4, arguments.school.allSatisfy(\.isASCII), arguments.school.allSatisfy(\.isNumber) else {
            throw JobError.permanent("an Initial Upload's school is a four-digit school code, not \"\(arguments.school)\"")
        }
        do {
            return (arguments.school, try InitialUploadType(typed: arguments.type))
        } catch {
            throw JobError.permanent("an Initial Upload's \(error.description)")
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
        do { type = try InitialUploadType(typed: typed) } catch { return error.description }
        return try await refusal(school: school, type: type, client: checks.client, logger: checks.logger)
    }
}

/// One SIS row to upload: its record built from the RefId chosen for it.
struct UploadItem<R: PASIRecord>: Sendable {
    let sisID: Int
    /// "section 12", for messages (no personal data).
    let what: String
    let asn: String?
    let build: @Sendable (RefId) throws(PASIModelError) -> R
}

/// The counts of an upload.
struct UploadTally: Sendable, Hashable {
    var total = 0
    /// Accepted by PASI in this run, or already before it.
    var accepted = 0
    var alreadyAccepted = 0
    /// Refused by PASI, or not sent because the record could not be built.
    var rejected = 0
    var notSent = 0

    mutating func add(_ other: UploadTally) {
        total += other.total
        accepted += other.accepted
        alreadyAccepted += other.alreadyAccepted
        rejected += other.rejected
        notSent += other.notSent
    }

    /// The job's last message.
    func report(school: String, type: InitialUploadType) -> String {
        var text = "Initial Upload of school \(school), \(type.seedName): \(total.grouped) in the SIS, \(accepted.grouped) accepted by PASI"
        if alreadyAccepted > 0 { text += " (\(alreadyAccepted.grouped) of them already before this run)" }
        text += ", \(rejected.grouped) rejected"
        if notSent > 0 { text += " (\(notSent.grouped) of them not sent: they cannot be built)" }
        if rejected > 0 { text += "; each rejection is a Rejection alert (pasisync alerts)" }
        return text
    }

    /// A progress message while the upload runs.
    func progress(school: String, type: InitialUploadType, of count: Int) -> String {
        "school \(school): \(type.seedName) \(total.grouped) of \(count.grouped) submitted (\(accepted.grouped) accepted, \(rejected.grouped) rejected)"
    }
}

/// Sends the rows of one upload, batch by batch.
struct Uploader: Sendable {
    let environment: SyncEnvironment
    let context: SyncJobContext
    let store: InitialUploadStore
    let school: String
    let type: InitialUploadType
    let pasi: any PASICoreService

    func upload<R: PASIRecord>(_ items: [UploadItem<R>], save: @Sendable ([R]) async throws -> Void) async throws -> UploadTally {
        var tally = UploadTally()
        try await context.progress(done: 0, total: Int64(items.count), message: tally.progress(school: school, type: type, of: items.count))
        for start in stride(from: 0, to: items.count, by: InitialUpload.batchSize) {
            let batch = Array(items[start..<min(items.count, start + InitialUpload.batchSize)])
            tally.add(try await send(batch, save: save))
            try await context.progress(done: Int64(tally.total), total: Int64(items.count),
                                       message: tally.progress(school: school, type: type, of: items.count))
        }
        return tally
    }

    /// One batch: built, submitted side by side, then its accepted records stored and its outcomes
    /// and alerts written in one transaction.
    private func send<R: PASIRecord>(_ batch: [UploadItem<R>], save: @Sendable ([R]) async throws -> Void) async throws -> UploadTally {
        let states = try await store.records(R.recordType, ids: batch.map(\.sisID), schoolCode: school, jobID: context.job.id)
        var tally = UploadTally(total: batch.count)
        var outcomes: [UploadOutcome] = []
        var alerts: [SubjectAlert] = []
        var work: [@Sendable () async throws -> (UploadItem<R>, Result<R, UploadRefusal>)] = []
        for item in batch {
            guard let state = states[item.sisID] else { continue }
            if state.pasiVersion != nil {
                tally.accepted += 1
                tally.alreadyAccepted += 1
                continue
            }
            let record: R
            do {
                record = try item.build(state.refId)
            } catch {
                tally.rejected += 1
                tally.notSent += 1
                let message = "not sent: \(error.description)"
                outcomes.append(UploadOutcome(sisID: item.sisID, pasiVersion: nil, rejection: message))
                alerts.append(alert(item, refId: state.refId, message: "The Initial Upload did not send \(item.what): \(message)"))
                continue
            }
            let pasi = pasi
            work.append { (item, try await Self.submit(record, pasi)) }
        }
        var accepted: [R] = []
        for (item, result) in try await Self.concurrently(work, limit: InitialUpload.concurrency) {
            switch result {
            case .success(let record):
                tally.accepted += 1
                accepted.append(record)
                outcomes.append(UploadOutcome(sisID: item.sisID, pasiVersion: record.pasiCoreVersion, rejection: nil))
            case .failure(let refusal):
                tally.rejected += 1
                outcomes.append(UploadOutcome(sisID: item.sisID, pasiVersion: nil, rejection: refusal.message))
                alerts.append(alert(item, refId: states[item.sisID]?.refId, message: "PASI rejected \(item.what) of the Initial Upload: \(refusal.message)"))
            }
        }
        if !accepted.isEmpty { try await save(accepted) }
        let subjects = batch.map { Self.subject(R.self, $0.sisID) }
        try await context.withTransaction { transaction in
            try await store.note(outcomes, type: R.recordType, jobID: context.job.id, on: transaction.connection)
            _ = try await environment.alerts.reconcile(alerts, raisedBy: InitialUpload.raiser, scope: AlertScope(subjectPrefixes: subjects),
                                                       jobID: context.job.id, on: transaction.connection)
        }
        return tally
    }

    /// The alert's subject: the SIS row, ended by `;` so that one row's subject is never the
    /// prefix of another's.
    static func subject<R: PASIRecord>(_ type: R.Type, _ sisID: Int) -> String { "upload:\(R.recordType.rawValue):\(sisID);" }

    private func alert<R: PASIRecord>(_ item: UploadItem<R>, refId: RefId?, message: String) -> SubjectAlert {
        let statusType: StatusType = switch R.recordType {
        case .section: .section
        case .courseEnrolment: .courseEnrolment
        default: .evaluatedMark
        }
        let line = InitialSyncOutput.oneLine(message)
        let asn = item.asn.flatMap { try? ASN($0, checkDigit: .ignored) }
        let code = try? OrganizationNumber(school)
        let record = (try? AlertRecord(type: .rejection, statusType: statusType, alertCode: InitialUpload.alertCode, message: line,
                                       refId: refId?.value, asn: asn, schoolCode: code))
            ?? (try! AlertRecord(type: .rejection, statusType: statusType, alertCode: InitialUpload.alertCode))
        return SubjectAlert(subject: Self.subject(R.self, item.sisID), record: record)
    }

    /// A create (version 0) of `record`: the record with PASI's version when accepted, PASI's
    /// reasons when refused. An outage or a timeout is thrown: the attempt fails and is retried.
    static func submit<R: PASIRecord>(_ record: R, _ pasi: any PASICoreService) async throws -> Result<R, UploadRefusal> {
        do {
            let answer = try await pasi.submit(R.self, action: .save, id: record.recordID, version: 0, record: record)
            guard answer.rejection.isEmpty else {
                return .failure(UploadRefusal(message: answer.rejection.map(\.description).joined(separator: "; ")))
            }
            var stored = record
            stored.pasiCoreVersion = answer.pasiCoreVersion
            return .success(stored)
        } catch {
            if !error.rejections.isEmpty {
                return .failure(UploadRefusal(message: error.rejections.map(\.description).joined(separator: "; ")))
            }
            if error.category == .rejection { return .failure(UploadRefusal(message: error.message)) }
            throw error
        }
    }

    /// Runs `work`, at most `limit` at once.
    static func concurrently<T: Sendable>(_ work: [@Sendable () async throws -> T], limit: Int) async throws -> [T] {
        try await withThrowingTaskGroup(of: T.self) { group in
            var results: [T] = []
            var next = 0
            while next < min(limit, work.count) {
                group.addTask(operation: work[next])
                next += 1
            }
            for try await result in group {
                results.append(result)
                if next < work.count {
                    group.addTask(operation: work[next])
                    next += 1
                }
            }
            return results
        }
    }
}

/// PASI's reason for refusing one uploaded record.
struct UploadRefusal: Error, Sendable, Hashable {
    let message: String
}
