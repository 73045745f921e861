import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// One batch of an Initial Upload: these SIS rows of one school and Upload Type, each sent to PASI
/// as a create under the RefId kept for it (`sync.initial_upload_records`), side by side. A row PASI
/// accepted before (an earlier attempt, an earlier run) is not sent again. What PASI accepts goes
/// into the local store with PASI's version; what it rejects, or what cannot be built, raises a
/// Rejection alert, and a row accepted now resolves its earlier one. The outcomes, alerts and the
/// run's progress are written in one transaction. An outage throws: the attempt is retried from
/// the rows not yet accepted.
public struct InitialUploadBatch: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// The Initial Upload (its `initial_upload` job) this batch belongs to.
        public var run: Int64
        public var school: String
        public var type: String
        public var ids: [Int]

        public init(run: Int64, school: String, type: String, ids: [Int]) {
            self.run = run
            self.school = school
            self.type = type
            self.ids = ids
        }
    }

    public static let kind = "initial_upload_batch"
    public static let title = "Initial Sync – Upload Batch"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let (school, type) = try InitialUpload.parse(.init(school: arguments.school, type: arguments.type))
        guard !arguments.ids.isEmpty, arguments.ids.count <= 5_000 else {
            throw JobError.permanent("an Initial Upload batch holds 1 to 5000 rows, this one \(arguments.ids.count)")
        }
        let store = InitialUploadStore(client: environment.client, logger: context.logger)
        let uploader = Uploader(environment: environment, context: context, store: store, school: school, type: type,
                                run: arguments.run, pasi: try await context.pasi())
        let ids = arguments.ids
        let tally: UploadCounts
        switch type {
        case .sections:
            let rows = try await store.sections(schoolCode: school, ids: ids)
            tally = try await uploader.send(ids: ids, rows.map { row in
                UploadItem<Section>(sisID: row.id, what: "section \(row.id)", asn: nil) { refId throws(PASIModelError) in
                    try InitialUploadRecords.section(row, refId: refId)
                }
            }, save: { [environment] records in _ = try await environment.pasiStore.upsert(records) })
        case .courseEnrolments:
            let rows = try await store.courseEnrolments(schoolCode: school, ids: ids)
            let sections = try await store.acceptedSectionRefIds(sectionIDs: Array(Set(rows.map(\.sectionID))))
            tally = try await uploader.send(ids: ids, rows.map { row in
                UploadItem<CourseEnrolment>(sisID: row.id, what: "course enrolment \(row.id)", asn: row.asn) { refId throws(PASIModelError) in
                    guard let section = sections[row.sectionID] else {
                        throw PASIModelError(.invalidFormat, field: "course enrolment \(row.id): its section \(row.sectionID)",
                                             expectation: "must be in PASI (the Sections upload did not get it accepted)", value: "")
                    }
                    return try InitialUploadRecords.courseEnrolment(row, refId: refId, sectionRefId: section)
                }
            }, save: { [environment] records in _ = try await environment.pasiStore.upsert(records) })
        case .evaluatedMarks:
            let rows = try await store.storedGrades(schoolCode: school, ids: ids)
            tally = try await uploader.send(ids: ids, rows.map { row in
                UploadItem<EvaluatedMark>(sisID: row.id, what: "stored grade \(row.id)", asn: row.asn) { refId throws(PASIModelError) in
                    try InitialUploadRecords.evaluatedMark(row, refId: refId)
                }
            }, save: { [environment] records in _ = try await environment.pasiStore.upsert(records) })
        }
        try await context.progress(done: Int64(tally.total), total: Int64(ids.count),
                                   message: "\(tally.accepted.grouped) accepted, \(tally.rejected.grouped) rejected")
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

/// Sends one batch's rows.
struct Uploader: Sendable {
    let environment: SyncEnvironment
    let context: SyncJobContext
    let store: InitialUploadStore
    let school: String
    let type: InitialUploadType
    let run: Int64
    let pasi: any PASICoreService

    /// The batch: built, submitted side by side, then its accepted records stored and its outcomes,
    /// alerts and the run's progress written in one transaction.
    /// - Parameter ids: The batch's ids; a row gone from the SIS since the run began is counted done.
    func send<R: PASIRecord>(ids: [Int], _ batch: [UploadItem<R>], save: @Sendable ([R]) async throws -> Void) async throws -> UploadCounts {
        let states = try await store.records(R.recordType, ids: batch.map(\.sisID), schoolCode: school, jobID: run)
        var tally = UploadCounts(total: batch.count)
        var outcomes: [UploadOutcome] = []
        var alerts: [SubjectAlert] = []
        var toSend: [(item: UploadItem<R>, record: R)] = []
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
                let message = "not sent: \(String(describing: error))"
                outcomes.append(UploadOutcome(sisID: item.sisID, pasiVersion: nil, rejection: message))
                alerts.append(alert(item, refId: state.refId, message: "The Initial Upload did not send \(item.what): \(message)"))
                continue
            }
            toSend.append((item, record))
        }
        // Lists of creates (a `MultipleSubmitResponse` judges each record on its own), side by side.
        let pasi = pasi
        let work: [@Sendable () async throws -> [(UploadItem<R>, Result<R, UploadRefusal>)]] = Self.lists(toSend).map { list in
            { @Sendable in Array(zip(list.map { $0.item }, try await Self.submit(list.map { $0.record }, pasi))) }
        }
        var accepted: [R] = []
        for (item, result) in try await Self.concurrently(work, limit: InitialUpload.concurrency).flatMap({ $0 }) {
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
        // The local store first: should the transaction below be lost, the retry finds the rows
        // not accepted, sends them again and PASI answers as the first time.
        if !accepted.isEmpty { try await save(accepted) }
        let subjects = batch.map { Self.subject(R.self, $0.sisID) }
        let progress = "school \(school): \(type.seedName): batch from id \(ids.first ?? 0) sent: \(tally.accepted.grouped) accepted, \(tally.rejected.grouped) rejected"
        try await context.withTransaction { [outcomes, alerts] transaction in
            try await store.note(outcomes, type: R.recordType, jobID: run, on: transaction.connection)
            try await store.seen(R.recordType, ids: batch.map(\.sisID), run: run, on: transaction.connection)
            _ = try await environment.alerts.reconcile(alerts, raisedBy: InitialUpload.raiser, scope: AlertScope(subjectPrefixes: subjects),
                                                       jobID: run, on: transaction.connection)
            try await transaction.queue.addProgress(toJob: run, done: Int64(ids.count), message: progress, on: transaction.connection)
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

    /// At most this many records a list submit; the client halves a list over PASI's 65,536 bytes.
    static let listSize = 100

    /// The batch's records in lists of ``listSize``.
    static func lists<T>(_ items: [T]) -> [[T]] {
        stride(from: 0, to: items.count, by: listSize).map { Array(items[$0..<min($0 + listSize, items.count)]) }
    }

    /// Creates (version 0) of `records` in one list submit (`SubmitSection`, `SubmitCourseEnrolment`,
    /// `SubmitEvaluatedMark`; https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_section.html:
    /// "Each Section on the request will be processed individually"): per record, the record with
    /// PASI's version when accepted, PASI's reasons (rule numbers and messages) when a business
    /// rule refused it. Anything else, of the call or of any one record, is thrown and sorted by the
    /// job's error policy: an outage or 9014 is retried or snoozed (the records accepted meanwhile
    /// are answered as the first time when the batch is sent again), a configuration fault or a
    /// defect of ours stops the job.
    static func submit<R: PASIRecord>(_ records: [R], _ pasi: any PASICoreService) async throws -> [Result<R, UploadRefusal>] {
        let answers = try await pasi.submitList(records.map { SubmitItem(action: .save, id: $0.recordID, pasiCoreVersion: 0, record: $0) })
        return try zip(records, answers).map { record, answer in
            switch answer {
            case .success(let accepted):
                var stored = record
                stored.pasiCoreVersion = accepted.pasiCoreVersion
                return .success(stored)
            case .failure(let error):
                // Only business rules are the record's: anything else is the job's (`forJob`).
                guard error.category == .rejection else { throw error }
                let reasons = error.rejections.isEmpty ? error.message : error.rejections.map(\.ruleText).joined(separator: "; ")
                return .failure(UploadRefusal(message: reasons))
            }
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
