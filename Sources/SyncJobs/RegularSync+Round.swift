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
        let input = try await RoundInput.load(changes, settings: settings, environment: environment)
        var outcomes: [OutboundOutcome] = []
        var submissions: [@Sendable () async -> OutboundOutcome] = []
        for change in changes {
            switch plan(change, input) {
            case .done(let outcome): outcomes.append(outcome)
            case .submit(let submission): submissions.append { await submission(pasi) }
            }
        }
        return outcomes + (await Self.concurrently(submissions, limit: max(1, settings.concurrency)))
    }

    enum Plan {
        case done(OutboundOutcome)
        case submit(@Sendable (any PASICoreService) async -> OutboundOutcome)
    }

    func plan(_ change: RecordChange, _ input: RoundInput) -> Plan {
        switch change.table {
        case "sis.students": planStudent(change, input)
        case "sis.enrolments": planEnrolment(change, input)
        default: .done(.skipped(change, reason: Self.notSent(change.table)))
        }
    }

    /// Why a change of a table that regular synchronization does not send was not sent.
    static func notSent(_ table: String) -> String {
        switch table {
        case "sis.courses": "Course Synchronization is one way, from PASI to the SIS: a course changed in the SIS is not sent"
        case "sis.sections", "sis.course_enrolments", "sis.stored_grades":
            "pasisync does not send school course marks (sections, course enrolments, evaluated marks) yet"
        case "sis.student_record_documents": "pasisync does not send student record documents yet"
        case "sis.classroom_accommodations": "pasisync does not send classroom accommodations yet"
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
        let submission = Submission(change: change, action: .save, id: asn.digits, version: base.pasiCoreVersion, record: record,
                                    context: context.with(conflictType: conflictType), same: StudentSubmission.same)
        return .submit { pasi in await submission.perform(pasi, settings: settings, attempts: input.attempts[change.subject] ?? 0) }
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
            let submission = Submission<SchoolEnrolment>(change: change, action: .delete, id: refId.value, version: base.pasiCoreVersion,
                                                         record: nil, context: context, same: EnrolmentSubmission.same)
            return .submit { pasi in await submission.perform(pasi, settings: settings, attempts: input.attempts[change.subject] ?? 0) }
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
        let submission = Submission(change: change, action: .save, id: refId.value, version: base?.pasiCoreVersion ?? 0, record: record,
                                    context: context, same: EnrolmentSubmission.same, newMatch: matched ? nil : (id, refId))
        return .submit { pasi in await submission.perform(pasi, settings: settings, attempts: input.attempts[change.subject] ?? 0) }
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

    static func load(_ changes: [RecordChange], settings: RegularSyncSettings, environment: SyncEnvironment) async throws -> RoundInput {
        var input = RoundInput()
        let studentIDs = changes.filter { $0.table == "sis.students" }.compactMap { Int($0.key) }
        let enrolmentIDs = changes.filter { $0.table == "sis.enrolments" }.compactMap { Int($0.key) }
        let outbound = environment.outbound
        let enrolmentStudents = try await outbound.enrolmentStudents(ids: enrolmentIDs)
        let sis = try await environment.sis.students(ids: Array(Set(studentIDs + enrolmentStudents.values)))
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
        return input
    }
}

/// One record's submit to PASI and the sorting of PASI's answer into an outcome.
struct Submission<R: PASIRecord>: Sendable {
    let change: RecordChange
    let action: SubmitAction
    let id: String
    let version: Int64
    let record: R?
    let context: AlertContext
    let same: @Sendable (R, R) -> Bool
    var newMatch: (enrolmentID: Int, refId: RefId)? = nil

    func perform(_ pasi: any PASICoreService, settings: RegularSyncSettings, attempts: Int) async -> OutboundOutcome {
        do {
            let answer = try await pasi.submit(R.self, action: action, id: id, version: version, record: record)
            if answer.rejection.isEmpty { return accepted(version: answer.pasiCoreVersion) }
            if answer.rejection.contains(where: { $0.code == PASIFault.Code.versionConflict.rawValue }) {
                return await stale(pasi, answer, settings: settings, attempts: attempts)
            }
            if action == .delete, answer.rejection.allSatisfy({ $0.code == PASIFault.Code.recordNotFound.rawValue }) {
                return .sent(change, Accepted(version: 0, detail: "PASI no longer holds the record", removed: removal))
            }
            let messages = answer.rejection.map(\.description).joined(separator: "; ")
            return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                          message: "PASI rejected the change of \(context.what): \(messages)"))
        } catch {
            return failure(error, settings: settings, attempts: attempts)
        }
    }

    /// The local store's copy to remove when PASI deleted the record.
    private var removal: (type: PASIEntityType, id: String)? { PASIEntityType(rawValue: R.recordType.rawValue).map { ($0, id) } }

    private func accepted(version: Int64) -> OutboundOutcome {
        guard var stored = record else {
            return .sent(change, Accepted(version: version, removed: removal))
        }
        stored.pasiCoreVersion = version
        return .sent(change, Accepted(version: version, record: stored, newMatch: newMatch))
    }

    /// 3004: PASI's copy is not the one the change was based on. If PASI already holds exactly
    /// what we sent (our own earlier submit, whose answer was lost), it is Sent; otherwise it is a
    /// Conflict for a person, and PASI's copy refreshes the local store.
    private func stale(_ pasi: any PASICoreService, _ answer: SubmitResponse, settings: RegularSyncSettings, attempts: Int) async -> OutboundOutcome {
        let current: RetrievedRecord<R>?
        do {
            current = try await pasi.get(R.self, ids: [id]).first
        } catch {
            return failure(error, settings: settings, attempts: attempts)
        }
        if let held = current?.record, let record, !(current?.isDeleted ?? false), same(held, record) {
            return .sent(change, Accepted(version: held.pasiCoreVersion, record: held, detail: "PASI already held this change", newMatch: newMatch))
        }
        if record == nil, current?.isDeleted ?? false {
            return .sent(change, Accepted(version: current?.pasiCoreVersion ?? 0, detail: "PASI already held this deletion", removed: removal))
        }
        let theirs = current?.pasiCoreVersion ?? answer.pasiCoreVersion
        return .conflict(change, alert: context.alert(.conflict, code: RegularSyncAlerts.staleVersion, message:
            "PASI's copy of \(context.what) changed since the local copy (PASI is at version \(theirs), the SIS change was based on \(version)): "
                + "the change was not sent and PASI's copy was not overwritten; compare the SIS with PASI and correct the one that is wrong"),
            current: current?.record)
    }

    /// A failure a retry may fix waits (9014 spends no attempt); out of attempts, it fails.
    private func failure(_ error: any Error, settings: RegularSyncSettings, attempts: Int) -> OutboundOutcome {
        let core = error as? PASICoreError
        if core?.category == .rejection {
            return .rejected(change, alert: context.alert(.rejection, code: RegularSyncAlerts.rejected,
                                                          message: "PASI rejected the change of \(context.what): \(core?.message ?? "\(error)")"))
        }
        let text = core?.description ?? String(describing: error)
        if core?.faultCode == PASIFault.Code.resubmit.rawValue {
            return .retry(change, attempts: max(attempts, 1), retryAt: Date().addingTimeInterval(10), error: text)
        }
        let spent = attempts + 1
        guard spent < settings.maximumAttempts else {
            return .failed(change, alert: context.alert(.failure, code: RegularSyncAlerts.failed,
                message: "\(context.what) was not sent after \(spent) attempts (Maximum Attempts): \(text)"))
        }
        return .retry(change, attempts: spent, retryAt: Date().addingTimeInterval(RegularSyncAlerts.retryDelay(afterAttempt: spent, settings: settings)), error: text)
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

    /// 5 s after the first failure, doubling, but never longer than the polling interval: PASI is
    /// tried again at least once per interval, as the seed's polling does.
    static func retryDelay(afterAttempt attempt: Int, settings: RegularSyncSettings) -> TimeInterval {
        let doubled = 5.0 * pow(2.0, Double(min(max(attempt - 1, 0), 16)))
        return min(doubled, Double(settings.pollingIntervalSeconds))
    }
}
