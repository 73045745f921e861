import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Daily Document Submission: the SIS's student record documents changed since PASI last accepted
/// them go to PASI, for students matched to PASI (with an ASN). Daily at the Schedule Time while
/// Daily Document Submission Runtime is on (the `document_submission` schedule, written by `sync.apply_schedules`),
/// and on demand (`pasisync run document-submission`, or a psql INSERT of the kind).
///
/// What was sent is kept per document in `sync.document_submissions` (migration 0016): the RefId
/// this client chose, and the digest of the content PASI accepted. A document is sent when its
/// content differs from that digest, so a second run sends nothing and a document changed again
/// is sent again. Each batch's answers are written down before the next is sent: an attempt that
/// a PASI outage ends has kept what PASI accepted, and the retry (the queue's retry policy)
/// sends only the rest. A document PASI rejects raises its Rejection alert and the others go on.
public struct DocumentSubmission: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "document_submission"
    public static let title = "Document Submission"
    /// Documents read, sent and written down together.
    static let batchSize = 100
    /// Submits in flight at once.
    static let concurrency = 8
    /// This client's alert codes.
    static let rejectedCode = "DOCUMENT_REJECTED"
    static let staleCode = "DOCUMENT_STALE_VERSION"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        // Both switches of the seed's Demographic and Enrolment Items govern documents: the type's
        // synchronization, and its DCF Events ("turn synchronization on or off of Student Record Documents").
        for key in [SettingKey.studentRecordDocumentSynchronization, .studentRecordDocumentDCFEvents] {
            guard try await environment.settings.value(of: key) == .bool(true) else {
                let name = SettingsCatalogue.definition(for: key).label
                try await context.progress(done: 0, total: 0, message: "\(name) is off: no documents sent")
                return
            }
        }
        let store = DocumentSubmissionStore(client: environment.client, logger: context.logger)
        let total = try await store.pendingCount()
        var tally = Tally()
        guard total > 0 else {
            try await context.progress(done: 0, total: 0, message: tally.report)
            return
        }
        try await context.progress(done: 0, total: Int64(total), message: tally.message(total: total))
        let pasi = try await context.pasi()
        var after = 0
        while true {
            try Task.checkCancellation()
            let batch = try await store.pending(after: after, limit: Self.batchSize)
            guard let last = batch.last else { break }
            after = last.documentID
            try await store.noteInFlight(batch)
            let work: [@Sendable () async -> Result<DocumentOutcome, PASICoreError>] = batch.map { document in
                { await DocumentSubmitter(pasi: pasi).send(document) }
            }
            let results = await BoundedConcurrency.run(work, limit: Self.concurrency)
            let outcomes = results.compactMap { try? $0.get() }
            try await store.record(outcomes, jobID: context.job.id)
            tally.add(outcomes)
            let done = tally.sent + tally.rejected
            try await context.progress(done: Int64(done), total: Int64(max(total, done)), message: tally.message(total: max(total, done)))
            // A transient failure: what PASI answered is kept; the queue retries the job for the rest.
            for case .failure(let error) in results { throw error }
        }
        try await context.progress(done: Int64(tally.sent + tally.rejected), total: Int64(tally.sent + tally.rejected), message: tally.report)
        context.logger.info("document submission done", metadata: ["sent": "\(tally.sent)", "rejected": "\(tally.rejected)"])
    }

    /// What a run has done so far.
    struct Tally: Equatable {
        var sent = 0
        var rejected = 0

        mutating func add(_ outcomes: [DocumentOutcome]) {
            for outcome in outcomes {
                if case .accepted = outcome { sent += 1 } else { rejected += 1 }
            }
        }

        /// "12 of 40 documents submitted (1 rejected)".
        func message(total: Int) -> String {
            "\((sent + rejected).grouped) of \(total.grouped) document(s) submitted" + (rejected == 0 ? "" : " (\(rejected.grouped) rejected)")
        }

        /// The final report: "39 documents sent, 1 rejected".
        var report: String { "\(sent.grouped) document(s) sent, \(rejected.grouped) rejected" }
    }
}

/// PASI's answer to one document's submit, sorted (pure, so it is tested without PASI).
enum DocumentAnswer: Equatable {
    /// PASI holds it at this version.
    case accepted(Int64)
    /// 3004: PASI's copy is not at the version sent.
    case stale
    /// A business rule or a malformed record: PASI's messages.
    case rejected(String)
    /// Not the record's answer: an outage, a timeout, 9014 (a later attempt may go through), a
    /// configuration fault or our own defect (the job stops). Thrown for the job's error policy.
    case transient

    /// Sorts a submit's answer, or the error it threw.
    static func sort(_ result: Result<SubmitResponse, PASICoreError>) -> DocumentAnswer {
        let rejections: [Rejection]
        switch result {
        case .success(let answer):
            if answer.rejection.isEmpty { return .accepted(answer.pasiCoreVersion) }
            rejections = answer.rejection
        case .failure(let error):
            guard error.category == .rejection else { return .transient }
            if error.rejections.isEmpty { return .rejected(error.message) }
            rejections = error.rejections
        }
        if rejections.contains(where: \.isStaleVersion) { return .stale }
        return .rejected(rejections.map(\.ruleText).joined(separator: "; "))
    }
}

/// One document's submit, and the sorting of PASI's answer into an outcome; a transient failure
/// is returned as the error, for the job to retry.
struct DocumentSubmitter: Sendable {
    let pasi: any PASICoreService

    func send(_ document: PendingDocument) async -> Result<DocumentOutcome, PASICoreError> {
        let record: StudentRecordDocument
        switch document.record {
        case .success(let made): record = made
        case .failure(let problem):
            return .success(.refused(document, alert: Self.alert(document, nil, .rejection, DocumentSubmission.rejectedCode, "not sent: \(problem)")))
        }
        return await submit(document, record, version: record.pasiCoreVersion, mayResend: true)
    }

    private func submit(_ document: PendingDocument, _ record: StudentRecordDocument, version: Int64,
                        mayResend: Bool) async -> Result<DocumentOutcome, PASICoreError> {
        let result: Result<SubmitResponse, PASICoreError>
        do {
            result = .success(try await pasi.submit(StudentRecordDocument.self, action: .save, id: record.refId.value, version: version, record: record))
        } catch {
            result = .failure(error)
        }
        switch DocumentAnswer.sort(result) {
        case .accepted(let version):
            var stored = record
            stored.pasiCoreVersion = version
            return .success(.accepted(document, record: stored))
        case .rejected(let messages):
            return .success(.refused(document, alert: Self.alert(document, record, .rejection, DocumentSubmission.rejectedCode,
                                                                   "PASI rejected student record document \(document.documentID): \(messages)")))
        case .transient:
            guard case .failure(let error) = result else { preconditionFailure("a transient answer is an error") }
            return .failure(error)
        case .stale:
            return await stale(document, record, basedOn: version, mayResend: mayResend)
        }
    }

    /// 3004. PASI already holds this content (our earlier submit, its answer lost): accepted. An
    /// earlier submit of ours went unanswered: PASI's copy is ours, the document is sent again on
    /// its version, once. Otherwise someone else changed PASI's copy: not overwritten, a Conflict.
    private func stale(_ document: PendingDocument, _ record: StudentRecordDocument, basedOn version: Int64,
                       mayResend: Bool) async -> Result<DocumentOutcome, PASICoreError> {
        let current: RetrievedRecord<StudentRecordDocument>?
        do {
            current = try await pasi.get(StudentRecordDocument.self, ids: [record.refId.value]).first
        } catch {
            return DocumentAnswer.sort(.failure(error)) == .transient ? .failure(error)
                : .success(.refused(document, alert: Self.alert(document, record, .rejection, DocumentSubmission.rejectedCode,
                                                                  "PASI refused to return student record document \(document.documentID): \(error.message)")))
        }
        let theirs = current?.pasiCoreVersion ?? 0
        if let copy = current?.record, !(current?.isDeleted ?? false), Self.same(copy, record) {
            return .success(.accepted(document, record: copy))
        }
        if mayResend, document.inFlightDigest != nil {
            return await submit(document, record, version: theirs, mayResend: false)
        }
        return .success(.refused(document, alert: Self.alert(document, record, .conflict, DocumentSubmission.staleCode,
            "PASI's copy of student record document \(document.documentID) changed since it was last sent (PASI is at version \(theirs), "
                + "the submit was based on \(version)): it was not overwritten; compare the SIS with PASI and correct the one that is wrong")))
    }

    /// Whether two copies hold the same content, whatever their versions.
    static func same(_ a: StudentRecordDocument, _ b: StudentRecordDocument) -> Bool {
        var a = a
        a.pasiCoreVersion = b.pasiCoreVersion
        return a == b
    }

    static func alert(_ document: PendingDocument, _ record: StudentRecordDocument?, _ type: AlertType, _ code: String,
                      _ message: String) -> AlertRecord {
        // PASI's text may break the string rule (a line break): folded onto one line.
        let line = message.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let refId = (try? document.record.get())?.refId.value
        return (try? AlertRecord(type: type, statusType: .student, alertCode: code, message: line, refId: refId,
                                 asn: record?.asn, studentID: document.studentID, schoolCode: record?.schoolCode))
            ?? (try! AlertRecord(type: type, statusType: .student, alertCode: code))
    }
}
