import Foundation
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// One round of Regular Synchronization: the pending changes of a batch of records, read from the
/// SIS and the local store in a few queries, planned one by one (pure), sent side by side.
struct RegularSyncRound {
    let environment: SyncEnvironment
    let settings: RegularSyncSettings
    let logger: Logger

    /// What became of every change.
    func send(_ changes: [RecordChange]) async throws -> [OutboundOutcome] {
        let pasi = try await environment.pasi()
        let (settings, environment) = (self.settings, self.environment)
        let input = try await withStatementDeadline { try await RoundInput.load(changes, settings: settings, environment: environment) }
        var outcomes: [OutboundOutcome] = []
        var submissions: [@Sendable () async -> OutboundOutcome] = []
        var inFlight: [(change: RecordChange, digest: String)] = []
        for change in changes {
            switch plan(change, input) {
            case .done(let outcome): outcomes.append(outcome)
            case .submit(let digest, let submission):
                submissions.append { await submission(pasi) }
                if let digest { inFlight.append((change, digest)) }
            }
        }
        let noted = inFlight
        try await withStatementDeadline { try await environment.outbound.noteInFlight(noted) }
        return outcomes + (await Self.concurrently(submissions, limit: max(1, settings.concurrency)))
    }

    enum Plan {
        case done(OutboundOutcome)
        /// A submit, with the digest of what it sends (noted in flight before it is sent).
        case submit(digest: String?, @Sendable (any PASICoreService) async -> OutboundOutcome)
    }

    /// The submit of `submission`, as a plan.
    func submitting<R: PASIRecord>(_ submission: Submission<R>, _ input: RoundInput) -> Plan {
        var submission = submission
        submission.inFlight = input.inFlight[submission.change.subject] ?? []
        let attempts = input.attempts[submission.change.subject] ?? 0
        let settings = settings
        return .submit(digest: submission.digest) { [submission] pasi in await submission.perform(pasi, settings: settings, attempts: attempts) }
    }

    /// A record's digest: the MD5 of its JSON with the version left out and keys sorted, so the
    /// same content gives the same digest on both sides of a lost answer.
    static func digest<R: PASIRecord>(_ record: R) -> String {
        var record = record
        record.pasiCoreVersion = 0
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ContentDigest.md5((try? encoder.encode(record)) ?? Data())
    }

    func plan(_ change: RecordChange, _ input: RoundInput) -> Plan {
        switch change.table {
        case "sis.students": planStudent(change, input)
        case "sis.enrolments": planEnrolment(change, input)
        case "sis.sections": planSection(change, input)
        case "sis.course_enrolments": planCourseEnrolment(change, input)
        case "sis.stored_grades": planEvaluatedMark(change, input)
        case "sis.classroom_accommodations": planClassroomAccommodation(change, input)
        case "sync.core_alerts": planAcknowledgement(change, input)
        default: .done(.skipped(change, reason: Self.notSent(change.table)))
        }
    }

    /// Why a change of a table that regular synchronization does not send was not sent.
    static func notSent(_ table: String) -> String {
        switch table {
        case "sis.courses": CourseMarkInput.courseNotSent
        case "sis.student_record_documents":
            "student record documents go to PASI with Daily Document Submission (its schedule, or `pasisync run document-submission`), not with each change"
        default: "\(table) is not a synchronized table"
        }
    }

    // MARK: - Students

    func planStudent(_ change: RecordChange, _ input: RoundInput) -> Plan {
        guard settings.students else { return .done(.skipped(change, reason: "Student Synchronization is off")) }
        guard let id = Int(change.key), let sis = input.students[id], !change.isDeleted else {
            return .done(.skipped(change, reason: "the student was deleted from the SIS: PASI's record stays (a student is provincial, not the authority's)"))
        }
        guard let asn = sis.asn else {
            return .done(.skipped(change, reason: "the student has no ASN: match the student in PASI (Initial Synchronization) before changes are sent"))
        }
        if change.changedColumns.contains("asn"), !change.wasInserted {
            return .done(.skipped(change, reason: "the student's ASN changed: run Initial Synchronization for the student's school to match it before changes are sent"))
        }
        let context = AlertContext(statusType: .student, what: "student \(id)", asn: asn, studentID: id, refId: asn.digits)
        guard let base = input.pasiStudents[asn.digits] else {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.notInStore,
                message: "the local PASI data store holds no student with ASN \(asn.digits): run Hash Synchronization or Load Local Copy, then change the student again")))
        }
        let groups = StudentSubmission.groups(changed: change.changedColumns, inserted: change.wasInserted)
        let record: Student
        do {
            record = try StudentSubmission.apply(sis, onto: base, groups: groups)
        } catch {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)")))
        }
        if StudentSubmission.same(record, base) {
            return .done(.sent(change, Accepted(version: base.pasiCoreVersion, detail: "nothing PASI holds changed")))
        }
        let conflictType = RegularSyncAlerts.conflictType(groups)
        return submitting(Submission(
            change: change, action: .save, id: asn.digits, version: base.pasiCoreVersion, record: record,
            context: context.with(conflictType: conflictType), same: StudentSubmission.same,
            rebuild: { current throws in try StudentSubmission.apply(sis, onto: current, groups: groups) }), input)
    }

    // MARK: - Enrolments

    func planEnrolment(_ change: RecordChange, _ input: RoundInput) -> Plan {
        guard settings.enrolments else { return .done(.skipped(change, reason: "Student Enrolment Synchronization is off")) }
        guard let id = Int(change.key), let (refId, matched) = input.refIds[id] else {
            return .done(.skipped(change, reason: "\(change.key) is not an enrolment id"))
        }
        let base = input.pasiEnrolments[refId.value]
        if change.isDeleted || input.enrolments[id] == nil {
            guard let base else {
                return .done(.skipped(change, reason: "the enrolment was deleted from the SIS before it reached PASI"))
            }
            let context = AlertContext(statusType: .enrolment, what: "enrolment \(id)", asn: base.asn, enrolmentID: id,
                                       refId: refId.value, schoolCode: base.schoolCode, schoolYear: base.schoolYear)
            return submitting(Submission<SchoolEnrolment>(
                change: change, action: .delete, id: refId.value, version: base.pasiCoreVersion, record: nil, context: context,
                same: EnrolmentSubmission.same, rebuild: { $0 }), input)
        }
        guard let (sis, student) = input.enrolments[id] else { return .done(.skipped(change, reason: "the enrolment was deleted")) }
        guard settings.synchronizes(sis.schoolYear) else {
            return .done(.skipped(change, reason: "school year \(sis.schoolYear) is before the synchronization years (Historical Years for School Enrolment Integration)"))
        }
        guard let asn = student.asn else {
            return .done(.skipped(change, reason: "the student has no ASN: match the student in PASI (Initial Synchronization) before the enrolment is sent"))
        }
        let context = AlertContext(statusType: .enrolment, what: "enrolment \(id)", asn: asn, studentID: student.id, enrolmentID: id,
                                   refId: refId.value, schoolCode: sis.schoolCode, schoolYear: sis.schoolYear, conflictType: .schoolEnrolment)
        let record: SchoolEnrolment
        do {
            record = try EnrolmentSubmission.record(sis, asn: asn, refId: refId, base: base)
        } catch {
            return .done(.rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected, message: "not sent: \(error)")))
        }
        if let base, EnrolmentSubmission.same(record, base) {
            return .done(.sent(change, Accepted(version: base.pasiCoreVersion, detail: "nothing PASI holds changed",
                                                newMatch: matched ? nil : (id, refId))))
        }
        return submitting(Submission(
            change: change, action: .save, id: refId.value, version: base?.pasiCoreVersion ?? 0, record: record, context: context,
            same: EnrolmentSubmission.same,
            rebuild: { current throws in try EnrolmentSubmission.record(sis, asn: asn, refId: refId, base: current) },
            newMatch: matched ? nil : (id, refId)), input)
    }

    // MARK: - Side by side

    /// Runs the submissions, at most `limit` at once, and returns what became of each.
    static func concurrently(_ work: [@Sendable () async -> OutboundOutcome], limit: Int) async -> [OutboundOutcome] {
        await withTaskGroup(of: OutboundOutcome.self) { group in
            var results: [OutboundOutcome] = []
            var next = 0
            while next < min(limit, work.count) {
                group.addTask(operation: work[next])
                next += 1
            }
            for await outcome in group {
                results.append(outcome)
                if next < work.count {
                    group.addTask(operation: work[next])
                    next += 1
                }
            }
            return results
        }
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
struct Submission<R: PASIRecord>: Sendable {
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
    /// The digests of what was sent for the record before and is not yet settled.
    var inFlight: Set<String> = []

    /// The digest of what this submit sends, noted before it is sent.
    var digest: String? { record.map(RegularSyncRound.digest) }

    func perform(_ pasi: any PASICoreService, settings: RegularSyncSettings, attempts: Int) async -> OutboundOutcome {
        await submit(pasi, version: version, record: record, settings: settings, attempts: attempts, mayAdopt: true)
    }

    private func submit(_ pasi: any PASICoreService, version: Int64, record: R?, settings: RegularSyncSettings, attempts: Int,
                        mayAdopt: Bool) async -> OutboundOutcome {
        let rejections: [Rejection]
        do {
            let answer = try await pasi.submit(R.self, action: action, id: id, version: version, record: record)
            if answer.rejection.isEmpty { return accepted(record, version: answer.pasiCoreVersion) }
            rejections = answer.rejection
        } catch {
            guard !error.rejections.isEmpty else { return failure(error, settings: settings, attempts: attempts) }
            rejections = error.rejections
        }
        if rejections.contains(where: \.isStaleVersion) {
            return await stale(pasi, basedOn: version, record: record, settings: settings, attempts: attempts, mayAdopt: mayAdopt)
        }
        if action == .delete, rejections.allSatisfy(\.isRecordNotFound) {
            return .sent(change, Accepted(version: 0, detail: "PASI no longer holds the record", removed: removal))
        }
        let messages = rejections.map(\.description).joined(separator: "; ")
        return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                      message: "PASI rejected the change of \(context.what): \(messages)"))
    }

    /// The local store's copy to remove when PASI deleted the record.
    private var removal: (type: PASIEntityType, id: String)? { PASIEntityType(rawValue: R.recordType.rawValue).map { ($0, id) } }

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
        let isDeleted = retrieved?.isDeleted ?? false
        if action == .delete, isDeleted || retrieved?.record == nil {
            return .sent(change, Accepted(version: retrieved?.pasiCoreVersion ?? 0, detail: "PASI already held this deletion", removed: removal))
        }
        if let current = retrieved?.record, !isDeleted {
            if let record, same(current, record) {
                return accepted(current, version: current.pasiCoreVersion, detail: "PASI already held this change")
            }
            if mayAdopt, inFlight.contains(RegularSyncRound.digest(current)) {
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
            return await submit(pasi, version: current.pasiCoreVersion, record: nil, settings: settings, attempts: attempts, mayAdopt: false)
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
        return await submit(pasi, version: current.pasiCoreVersion, record: rebuilt, settings: settings, attempts: attempts, mayAdopt: false)
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

    /// A failure a retry may fix waits (9014 spends no attempt); out of attempts, it fails.
    static func failure(_ error: any Error, change: RecordChange, context: AlertContext, settings: RegularSyncSettings,
                        attempts: Int) -> OutboundOutcome {
        let core = error as? PASICoreError
        if core?.category == .rejection {
            return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                          message: "PASI rejected the change of \(context.what): \(core?.message ?? "\(error)")"))
        }
        let text = core?.description ?? String(describing: error)
        if core?.isResubmitRequested == true {
            return .retry(change, attempts: max(attempts, 1), retryAt: Date().addingTimeInterval(10), error: text)
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
