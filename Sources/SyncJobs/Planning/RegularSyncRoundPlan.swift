import Foundation
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// A round of Regular Synchronization planned apart from its I/O: each change, with the SIS rows
/// and local store copies ``RoundInput`` read for it, becomes an outcome decided here (a switch
/// off, a record PASI already holds, a record that cannot be built) or a submit for
/// ``RegularSyncRound`` to send. Every rule of what is sent, and on which version, is here (the
/// course marks, accommodations and acknowledgements in their own files), tested without
/// PostgreSQL or PASI.
struct RegularSyncRoundPlan: Sendable {
    let settings: RegularSyncSettings
    /// When the plan is made: a record that waits for another is tried again from then.
    var now = Date()

    /// What becomes of one change.
    enum Plan: Sendable {
        case done(OutboundOutcome)
        /// A submit, for the round to send.
        case submit(any RoundSubmission)
    }

    /// What a round does.
    struct Round: Sendable {
        /// The changes decided without PASI.
        var outcomes: [OutboundOutcome] = []
        /// The submits to send, side by side.
        var submissions: [any RoundSubmission] = []
        /// The digests of what the submits send, noted in flight before they are sent.
        var inFlight: [(change: RecordChange, digest: String)] = []
    }

    /// The plan of every change of the round, in order.
    func round(_ changes: [RecordChange], _ input: RoundInput) -> Round {
        var round = Round()
        for change in changes {
            switch plan(change, input) {
            case .done(let outcome): round.outcomes.append(outcome)
            case .submit(let submission):
                round.submissions.append(submission)
                if let digest = submission.digest { round.inFlight.append((change, digest)) }
            }
        }
        return round
    }

    /// The submit of `submission`, as a plan.
    func submitting<R: PASIRecord>(_ submission: Submission<R>, _ input: RoundInput) -> Plan {
        var submission = submission
        submission.inFlight = input.inFlight[submission.change.subject] ?? []
        submission.attempts = input.attempts[submission.change.subject] ?? 0
        return .submit(submission)
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
        // A K-12 client changes a student by aspect (StudentAspect): one submit per changed aspect.
        var submission = Submission(
            change: change, action: .save, id: asn.digits, version: base.pasiCoreVersion, record: record,
            context: context.with(conflictType: conflictType), same: StudentSubmission.same,
            rebuild: { current throws in try StudentSubmission.apply(sis, onto: current, groups: groups) })
        submission.base = base
        submission.isOwnPartial = { current in StudentAspectPlan.isPartial(current, of: groups, from: base, to: record) }
        submission.sender = { (pasi, base, record, version) async throws(PASICoreError) in
            try await StudentAspectSending.send(pasi, groups: groups, base: base, record: record, version: version)
        }
        return submitting(submission, input)
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
            // Created in Error: a 2020-endpoint enrolment is deleted by saving it with IsDeleted set
            // (registration_status.html; submit_student_school_enrolment_2018_end_point_earlier.html),
            // and PASI's copy, deleted, stays in the local store.
            let record = EnrolmentSubmission.createdInError(base)
            if EnrolmentSubmission.same(record, base) {
                return .done(.sent(change, Accepted(version: base.pasiCoreVersion, detail: "PASI already holds the enrolment deleted")))
            }
            return submitting(Submission<SchoolEnrolment>(
                change: change, action: .save, id: refId.value, version: base.pasiCoreVersion, record: record, context: context,
                same: EnrolmentSubmission.same, rebuild: { EnrolmentSubmission.createdInError($0) }), input)
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
}

/// A submit a round plans: the round sends it and it sorts PASI's answer into an outcome.
protocol RoundSubmission: Sendable {
    /// The change it sends.
    var change: RecordChange { get }
    /// The digest of what it sends, noted in flight before it is sent (`nil`: nothing to note).
    var digest: String? { get }
    /// Sends it and sorts PASI's answer.
    func send(_ pasi: any PASICoreService, settings: RegularSyncSettings) async -> OutboundOutcome
    /// The PASI record it writes (`Student`, its ASN), when it writes one: a record PASI answers No
    /// Access or Unknown to is not sent (`pasi.record_availability`).
    var pasiRecord: (type: String, id: String)? { get }
    /// The outcome of not sending it because PASI answers `availability` to its record.
    func notSent(availability: String) -> OutboundOutcome
}

extension RoundSubmission {
    var pasiRecord: (type: String, id: String)? { nil }
    func notSent(availability: String) -> OutboundOutcome {
        .skipped(change, reason: "PASI answers \(availability) to the record: not sent")
    }
}
