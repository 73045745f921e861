import Foundation
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore
import Synchronization

/// One round of Regular Synchronization: the pending changes of a batch of records, read from the
/// SIS and the local store in a few queries, planned one by one (``RegularSyncRoundPlan``, pure),
/// sent side by side.
struct RegularSyncRound {
    let environment: SyncEnvironment
    let settings: RegularSyncSettings
    let logger: Logger

    /// What became of every change, and the configuration fault that stops the job, if PASI
    /// refused the caller (1001–1008, 5001): every record is then left Pending, no attempt spent.
    func send(_ changes: [RecordChange]) async throws -> (outcomes: [OutboundOutcome], stop: PASICoreError?) {
        let pasi = try await environment.pasi()
        let (settings, environment) = (self.settings, self.environment)
        let input = try await withStatementDeadline { try await RoundInput.load(changes, settings: settings, environment: environment) }
        let round = RegularSyncRoundPlan(settings: settings).round(changes, input)
        let planned = round.submissions
        let (sendable, notSent) = try await withStatementDeadline { try await Self.withoutUnavailable(planned, environment: environment) }
        let noted = round.inFlight
        try await withStatementDeadline { try await environment.outbound.noteInFlight(noted) }
        // Sections, course enrolments and evaluated marks go in lists (``CourseMarkListing``), the rest one by one.
        let (lists, single) = CourseMarkListing.split(sendable)
        var submissions: [@Sendable () async -> [OutboundOutcome]] = single.map { submission in
            { @Sendable in [await submission.send(pasi, settings: settings)] }
        }
        submissions += lists.map { list in { @Sendable in await list.send(pasi, settings: settings) } }
        let refusal = CallerRefusal()
        let sent = await RegularSyncAlerts.$callerRefusal.withValue(refusal) {
            await BoundedConcurrency.run(submissions, limit: settings.concurrency)
        }
        return (round.outcomes + notSent + sent.flatMap { $0 }, refusal.error)
    }

    /// The submissions to send, and the outcomes of those not sent: a record PASI answers No Access
    /// or Unknown to (marked in `pasi.record_availability` by the Get that learned it) is no longer
    /// synchronized; a person sees why (a Rejection alert) and the mark in `sync.unavailable_records`.
    static func withoutUnavailable(_ submissions: [any RoundSubmission], environment: SyncEnvironment) async throws
        -> (sendable: [any RoundSubmission], notSent: [OutboundOutcome]) {
        var idsByType: [String: [String]] = [:]
        for submission in submissions { if let record = submission.pasiRecord { idsByType[record.type, default: []].append(record.id) } }
        var marks: [String: [String: String]] = [:]
        for (type, ids) in idsByType { marks[type] = try await environment.pasiStore.unavailable(recordType: type, ids: ids) }
        var sendable: [any RoundSubmission] = []
        var notSent: [OutboundOutcome] = []
        for submission in submissions {
            if let record = submission.pasiRecord, let availability = marks[record.type]?[record.id] {
                notSent.append(submission.notSent(availability: availability))
            } else {
                sendable.append(submission)
            }
        }
        return (sendable, notSent)
    }
}

/// The SIS rows and local store records a round's changes need, read in a few queries.
struct RoundInput: Sendable {
    var students: [Int: SISStudent] = [:]
    var enrolments: [Int: (SISEnrolment, SISStudent)] = [:]
    var pasiStudents: [String: Student] = [:]
    var refIds: [Int: (refId: RefId, matched: Bool)] = [:]
    var pasiEnrolments: [String: SchoolEnrolment] = [:]
    var attempts: [String: Int] = [:]
    var inFlight: [String: Set<String>] = [:]
    var courseMarks = CourseMarkInput()
    var accommodations: [Int: SISAccommodation] = [:]
    var accommodationRefIds: [Int: RefId] = [:]
    var pasiAccommodations: [String: ClassroomAccommodation] = [:]
    /// The alerts whose acknowledgement changed (`sync.core_alerts` events), by id.
    var alerts: [Int64: StoredAlert] = [:]

    static func load(_ changes: [RecordChange], settings: RegularSyncSettings, environment: SyncEnvironment) async throws -> RoundInput {
        var input = RoundInput()
        let studentIDs = changes.filter { $0.table == "sis.students" }.compactMap { Int($0.key) }
        let enrolmentIDs = changes.filter { $0.table == "sis.enrolments" }.compactMap { Int($0.key) }
        let outbound = environment.outbound
        let enrolmentStudents = try await outbound.enrolmentStudents(ids: enrolmentIDs)
        // A student's own changes need no enrolments: only those of changed enrolments are read.
        let withEnrolments = Array(Set(enrolmentStudents.values))
        let sis = try await environment.sis.students(ids: Array(Set(studentIDs + withEnrolments)), enrolmentsOf: withEnrolments)
        for student in sis { input.students[student.id] = student }
        for (enrolment, studentID) in enrolmentStudents {
            if let student = input.students[studentID], let sisEnrolment = student.enrolments.first(where: { $0.id == enrolment }) {
                input.enrolments[enrolment] = (sisEnrolment, student)
            }
        }
        let asns = studentIDs.compactMap { input.students[$0]?.asn }
        for student in try await environment.pasiStore.students(asns: asns) { input.pasiStudents[student.asn.digits] = student }
        input.refIds = try await outbound.enrolmentRefIds(ids: enrolmentIDs, organization: settings.organizationCode)
        for enrolment in try await environment.pasiStore.schoolEnrolments(refIds: input.refIds.values.map(\.refId)) {
            input.pasiEnrolments[enrolment.refId.value] = enrolment
        }
        input.attempts = try await outbound.attempts(of: changes)
        input.inFlight = try await outbound.inFlight(of: changes)
        input.courseMarks = try await CourseMarkInput.load(changes, environment: environment)
        try await input.loadAccommodations(changes, settings: settings, environment: environment)
        input.alerts = try await environment.alerts.alerts(ids: changes.filter { $0.table == "sync.core_alerts" }.compactMap { Int64($0.key) })
        return input
    }
}

/// One record's submit to PASI and the sorting of PASI's answer into an outcome.
struct Submission<R: PASIRecord>: RoundSubmission {
    let change: RecordChange
    let action: SubmitAction
    let id: String
    /// The PASICoreVersion the change was based on (the local store's).
    let version: Int64
    let record: R?
    let context: AlertContext
    let same: @Sendable (R, R) -> Bool
    /// The record built again on PASI's current copy, for when that copy holds our own earlier submit.
    let rebuild: @Sendable (R) throws -> R
    var newMatch: (enrolmentID: Int, refId: RefId)? = nil
    /// PASI's copy the change was built on (the local store's), for a kind sent by aspect.
    var base: R? = nil
    /// How the record goes to PASI when not by its kind's Submit service: a student goes as aspect
    /// submits (``StudentAspectSending``), given PASI's copy, the record and the version. Answers
    /// the last answer (with the student's new version) and the record as PASI now holds it.
    var sender: (@Sendable (any PASICoreService, _ base: R, _ record: R, _ version: Int64) async throws(PASICoreError) -> (SubmitResponse, R))? = nil
    /// Whether PASI's copy holds only the first part of this very change (a record sent in parts,
    /// by aspect, whose later part failed): it is then ours, and the rest is sent on it.
    var isOwnPartial: (@Sendable (R) -> Bool)? = nil
    /// The digests of what was sent for the record before and is not yet settled.
    var inFlight: Set<String> = []
    /// The record's attempts spent so far.
    var attempts = 0

    /// The digest of what this submit sends, noted before it is sent.
    var digest: String? { record.map(RegularSyncRoundPlan.digest) }

    func send(_ pasi: any PASICoreService, settings: RegularSyncSettings) async -> OutboundOutcome {
        await submit(pasi, version: version, record: record, base: base, settings: settings, attempts: attempts, mayAdopt: true)
    }

    /// The item a list submit carries for it (``CourseMarkLists``).
    var item: SubmitItem<R> { SubmitItem(action: action, id: id, pasiCoreVersion: version, record: record) }

    /// Sorts PASI's answer to it when it went in a list: its own answer of the
    /// `MultipleSubmitResponse`, or the failure of the whole call.
    func answered(_ result: Result<SubmitResponse, PASICoreError>, _ pasi: any PASICoreService, settings: RegularSyncSettings) async -> OutboundOutcome {
        await sort(result, pasi, version: version, record: record, settings: settings, attempts: attempts, mayAdopt: true)
    }

    private func submit(_ pasi: any PASICoreService, version: Int64, record: R?, base: R?, settings: RegularSyncSettings, attempts: Int,
                        mayAdopt: Bool) async -> OutboundOutcome {
        let result: Result<SubmitResponse, PASICoreError>
        var held = record
        do {
            if let sender, let base, let record {
                let (answer, stored) = try await sender(pasi, base, record, version)
                held = stored
                result = .success(answer)
            } else {
                result = .success(try await pasi.submit(R.self, action: action, id: id, version: version, record: record))
            }
        } catch {
            result = .failure(error)
        }
        return await sort(result, pasi, version: version, record: held, settings: settings, attempts: attempts, mayAdopt: mayAdopt)
    }

    private func sort(_ result: Result<SubmitResponse, PASICoreError>, _ pasi: any PASICoreService, version: Int64, record: R?,
                      settings: RegularSyncSettings, attempts: Int, mayAdopt: Bool) async -> OutboundOutcome {
        let rejections: [Rejection]
        switch result {
        case .success(let answer):
            if answer.rejection.isEmpty { return accepted(record, version: answer.pasiCoreVersion) }
            rejections = answer.rejection
        case .failure(let error):
            // Only business rules are the record's answer; anything else is sorted by `failure`.
            guard error.category == .rejection, !error.rejections.isEmpty else { return failure(error, settings: settings, attempts: attempts) }
            rejections = error.rejections
        }
        if rejections.contains(where: \.isStaleVersion) {
            return await stale(pasi, basedOn: version, record: record, settings: settings, attempts: attempts, mayAdopt: mayAdopt)
        }
        // A documented not-found rule (9006, 9033, 9034, 9035, 9002): what is to be deleted is gone.
        if action == .delete, rejections.allSatisfy(\.isRecordNotFound) {
            let rules = rejections.map { "rule \($0.code)" }.joined(separator: ", ")
            return .sent(change, Accepted(version: 0, detail: "PASI no longer holds the record (\(rules))", removed: removal))
        }
        let messages = rejections.map(\.ruleText).joined(separator: "; ")
        return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                      message: "PASI rejected the change of \(context.what): \(messages)"))
    }

    var pasiRecord: (type: String, id: String)? { (R.recordType.rawValue, id) }

    func notSent(availability: String) -> OutboundOutcome {
        .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.unavailable, message:
            "not sent: PASI answers \(availability) to \(context.what) (the authority may no longer see the record); "
                + "the local copy is kept and no longer synchronized until PASI answers Normal again"))
    }

    /// The local store's copy to remove when PASI deleted the record.
    private var removal: (type: RecordType, id: String)? { (R.recordType, id) }

    private func accepted(_ record: R?, version: Int64, detail: String? = nil) -> OutboundOutcome {
        guard var stored = record else {
            return .sent(change, Accepted(version: version, detail: detail, removed: removal))
        }
        stored.pasiCoreVersion = version
        return .sent(change, Accepted(version: version, record: stored, detail: detail, newMatch: newMatch))
    }

    /// 3004: PASI's copy is not the one the change was based on. When PASI already holds what we
    /// send, or what we sent before without hearing back (a crash, a timeout: its digest is in
    /// flight), the change is ours: it is sent again on PASI's version, once. Otherwise someone
    /// else changed PASI's copy: a Conflict for a person, and PASI's copy refreshes the local store.
    private func stale(_ pasi: any PASICoreService, basedOn version: Int64, record: R?, settings: RegularSyncSettings, attempts: Int,
                       mayAdopt: Bool) async -> OutboundOutcome {
        let retrieved: RetrievedRecord<R>?
        do {
            retrieved = try await pasi.get(R.self, ids: [id]).first
        } catch {
            return failure(error, settings: settings, attempts: attempts)
        }
        if let retrieved, retrieved.availabilityStatus != .normal {
            // No Access or Unknown is an access outcome, not a deletion: nothing is removed.
            return notSent(availability: retrieved.availabilityStatus.rawValue)
        }
        let isDeleted = retrieved?.isDeleted ?? false
        if action == .delete, isDeleted {
            return .sent(change, Accepted(version: retrieved?.pasiCoreVersion ?? 0, detail: "PASI already held this deletion", removed: removal))
        }
        // A record that carries its own IsDeleted (a school enrolment) is compared deleted or not:
        // deleting one is a Save of it with the flag.
        if let current = retrieved?.record, !isDeleted || current is any CarriesIsDeleted {
            if let record, same(current, record) {
                return accepted(current, version: current.pasiCoreVersion, detail: "PASI already held this change")
            }
            if mayAdopt, inFlight.contains(RegularSyncRoundPlan.digest(current)) {
                return await resend(on: current, pasi, settings: settings, attempts: attempts)
            }
            // Sent in parts before (its digest in flight) and PASI holds the first parts: the rest goes on PASI's copy.
            if mayAdopt, let record, inFlight.contains(RegularSyncRoundPlan.digest(record)), isOwnPartial?(current) == true {
                return await resend(on: current, pasi, settings: settings, attempts: attempts)
            }
        }
        let theirs = retrieved?.pasiCoreVersion ?? 0
        return .conflict(change, alert: context.alert(.conflict, code: RegularSyncAlerts.staleVersion, message:
            "PASI's copy of \(context.what) changed since the local copy (PASI is at version \(theirs), the SIS change was based on \(version)): "
                + "the change was not sent and PASI's copy was not overwritten; compare the SIS with PASI and correct the one that is wrong"),
            current: retrieved?.record)
    }

    /// PASI holds our own earlier submit: the change is built again on it and sent on its version.
    private func resend(on current: R, _ pasi: any PASICoreService, settings: RegularSyncSettings, attempts: Int) async -> OutboundOutcome {
        guard action != .delete else {
            return await submit(pasi, version: current.pasiCoreVersion, record: nil, base: current, settings: settings, attempts: attempts, mayAdopt: false)
        }
        let rebuilt: R
        do {
            rebuilt = try rebuild(current)
        } catch {
            return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)"))
        }
        if same(rebuilt, current) {
            return accepted(current, version: current.pasiCoreVersion, detail: "PASI already held this change")
        }
        return await submit(pasi, version: current.pasiCoreVersion, record: rebuilt, base: current, settings: settings, attempts: attempts, mayAdopt: false)
    }

    private func failure(_ error: any Error, settings: RegularSyncSettings, attempts: Int) -> OutboundOutcome {
        RegularSyncAlerts.failure(error, change: change, context: context, settings: settings, attempts: attempts)
    }
}

/// What an alert about a record names.
struct AlertContext: Sendable {
    var statusType: StatusType
    /// "student 123", "enrolment 45": the SIS record, for messages.
    var what: String
    var asn: ASN?
    var studentID: Int?
    var enrolmentID: Int?
    var refId: String?
    var schoolCode: OrganizationNumber?
    var schoolYear: SchoolYear?
    var conflictType: ConflictType?

    func with(conflictType: ConflictType?) -> AlertContext {
        var copy = self
        copy.conflictType = conflictType
        return copy
    }

    func alert(_ type: AlertType, code: String, message: String) -> AlertRecord {
        // The code is a constant and the message PASI's text or ours; a message breaking PASI's
        // string rule (a line break in PASI's text) is folded onto one line.
        let line = message.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return (try? AlertRecord(type: type, statusType: statusType, alertCode: code, conflictType: type == .conflict ? conflictType : nil,
                                 message: line, refId: refId, asn: asn, studentID: studentID, enrolmentID: enrolmentID,
                                 schoolCode: schoolCode, schoolYear: schoolYear))
            ?? (try! AlertRecord(type: type, statusType: statusType, alertCode: code))
    }
}

/// The alerts regular synchronization raises, and its retry spacing.
enum RegularSyncAlerts {
    static let rejected = "SYNC_REJECTED"
    static let staleVersion = "SYNC_STALE_VERSION"
    static let failed = "SYNC_FAILED"
    static let notInStore = "SYNC_NOT_IN_LOCAL_STORE"
    static let unavailable = "SYNC_NOT_AVAILABLE"

    /// The conflict type a person sees for a stale student change: that of the first group changed.
    static func conflictType(_ groups: Set<StudentSubmission.FieldGroup>) -> ConflictType? {
        let order: [(StudentSubmission.FieldGroup, ConflictType)] = [
            (.legalName, .legalNameAndIdentification), (.identification, .legalNameAndIdentification), (.gender, .gender),
            (.birthDate, .birthDate), (.preferredName, .preferredName), (.aliasName, .otherName), (.mailingAddress, .mailingAddress),
            (.permanentAddress, .permanentAddress), (.phone, .phoneNumber), (.citizenship, .citizenshipStatus),
            (.section23, .section23), (.disclosureRestriction, .disclosureRestriction),
        ]
        return order.first { groups.contains($0.0) }?.1
    }

    /// The round's note of a configuration fault, shared by its submissions (a task local, so the
    /// submissions running side by side need not return it).
    @TaskLocal static var callerRefusal: CallerRefusal?

    /// What a failed send does, by the documented handling of PASI's code (`docs/pasi-protocol.md`):
    /// a business rule is a Rejection showing PASI's rule numbers and messages; our own defect
    /// (3001, 3002, …) a Failure at once, naming the ClientMessageID of the request in the message
    /// log; a configuration fault leaves the record Pending, no attempt spent, and stops the job
    /// (``callerRefusal``); 9014 waits without spending an attempt; an outage waits and, out of
    /// attempts, fails.
    static func failure(_ error: any Error, change: RecordChange, context: AlertContext, settings: RegularSyncSettings,
                        attempts: Int) -> OutboundOutcome {
        let core = error as? PASICoreError
        let text = core?.description ?? String(describing: error)
        if core?.isResubmitRequested == true {
            return .retry(change, attempts: max(attempts, 1), retryAt: Date().addingTimeInterval(10), error: text)
        }
        switch core?.category {
        case .rejection?:
            return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                          message: "PASI rejected the change of \(context.what): \(core?.ruleText ?? text)"))
        case .defect?:
            return .failed(change, alert: context.alert(.failure, code: RegularSyncAlerts.failed,
                message: "PASI could not read the request for \(context.what), a defect of this software: \(core?.message ?? text)\(core?.messageLogReference ?? "")"))
        case .configuration?:
            if let core { callerRefusal?.note(core) }
            return .retry(change, attempts: attempts, retryAt: Date().addingTimeInterval(Double(settings.pollingIntervalSeconds)), error: text)
        case .transient?, nil:
            break
        }
        let spent = attempts + 1
        guard spent < settings.maximumAttempts else {
            return .failed(change, alert: context.alert(.failure, code: RegularSyncAlerts.failed,
                message: "\(context.what) was not sent after \(spent) attempts (Maximum Attempts): \(text)"))
        }
        return .retry(change, attempts: spent, retryAt: Date().addingTimeInterval(RegularSyncAlerts.retryDelay(afterAttempt: spent, settings: settings)), error: text)
    }

    /// 5 s after the first failure, doubling, but never longer than the polling interval: PASI is
    /// tried again at least once per interval, as the seed's polling does.
    static func retryDelay(afterAttempt attempt: Int, settings: RegularSyncSettings) -> TimeInterval {
        let doubled = 5.0 * pow(2.0, Double(min(max(attempt - 1, 0), 16)))
        return min(doubled, Double(settings.pollingIntervalSeconds))
    }
}

/// The first configuration fault of a round (PASI refused the caller), noted by any of its
/// submissions running side by side.
final class CallerRefusal: Sendable {
    private let first = Mutex<PASICoreError?>(nil)

    func note(_ error: PASICoreError) { first.withLock { if $0 == nil { $0 = error } } }

    var error: PASICoreError? { first.withLock { $0 } }
}
