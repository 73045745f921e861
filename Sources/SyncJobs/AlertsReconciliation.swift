import Foundation
import JobQueue
import Logging
import PASIModel
import SyncStore

/// Core Alerts Reconciliation (Conflicts, Failures, Rejections): re-checks the open alerts this
/// client raised and resolves those whose cause is gone; the others keep their id and their
/// acknowledgement. Automatic Reconciliation (the `automatic_reconciliation` schedule, on while
/// Automatic Reconciliation is on) looks at the current synchronization year: Current School Year
/// for Synchronization, the next year's pre-registrations, and alerts of no year (a student's
/// demographics, a failed job). Full Reconciliation On-Demand (`pasisync run full-reconciliation`,
/// or a psql INSERT) looks at every year.
///
/// What resolves an alert (docs/maintenance.md):
/// - Initial Synchronization's Conflicts (`sis:…`, `pasi-only:…`): its students are compared with
///   the local PASI store again, as a batch of Initial Synchronization does
///   (``PASIModel/InitialSyncComparison``); a conflict not found again is resolved. New conflicts
///   are not raised here: that is Initial and Hash Synchronization's work.
/// - Regular synchronization's Rejections, Conflicts and Failures (`sis.students:123`): the record
///   was resubmitted and accepted after the alert (a Sent data event handled later), or its data
///   now agrees (the SIS student matches PASI's with no difference; the SIS enrolment is matched
///   with no difference).
/// - A failed job's Failure (status type Synchronization): a later job of the same kind completed.
public struct AlertsReconciliation: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// Every year (Full Reconciliation) or the current synchronization year only. Unset: Full,
        /// except for a job a schedule made.
        public var full: Bool?
        public init(full: Bool? = nil) { self.full = full }
    }

    public static let kind = "alerts_reconciliation"
    public static let title = "Full Reconciliation – Manual"
    public static let scheduledTitle: String? = "Automatic Reconciliation"
    /// The processes whose subject-keyed alerts are re-checked.
    static let raisers = [InitialSync.raiser, regularSyncRaiser]
    /// `sync.core_alerts.raised_by` of regular synchronization (SIS → PASI).
    static let regularSyncRaiser = OutboundStore.raiser
    /// SIS students compared at once.
    static let batchSize = 500

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let full = arguments.full ?? !context.isScheduled
        let years = try await SynchronizationYears.fromSettings(environment)
        let store = ReconciliationStore(client: environment.client, logger: context.logger)
        let scope = full ? nil : ReconciliationScope.currentYears(years).map(\.endYear)
        let alerts = try await store.openAlerts(raisedBy: Self.raisers, years: scope)
        let label = full ? "Full Reconciliation (all years)" : "Automatic Reconciliation (\(scope?.map { String($0) }.joined(separator: ", ") ?? ""))"
        try await context.progress(done: 0, total: Int64(alerts.count), message: "\(label): re-checking \(alerts.count.grouped) open alert(s)")

        var verdicts = ReconciliationVerdicts()
        let regular = alerts.filter { $0.raisedBy == Self.regularSyncRaiser }
        verdicts.add(try await store.resubmittedAndAccepted(regular.map(\.id)), .resubmittedAndAccepted)
        let jobs = alerts.filter { $0.statusType == "Synchronization" && $0.alertCode == "JOB_FAILED" }
        verdicts.add(try await store.followedByCompletedJob(jobs.map(\.id)), .laterJobCompleted)

        let toCompare = alerts.filter { $0.raisedBy == InitialSync.raiser || ($0.raisedBy == Self.regularSyncRaiser && !verdicts.isResolved($0.id)) }
        let compared = try await compare(toCompare, years: years, store: store, context: context, label: label, total: alerts.count)
        for alert in toCompare where !verdicts.isResolved(alert.id) {
            if compared.agrees(alert) { verdicts.add([alert.id], .dataAgrees) }
        }
        let resolved = try await store.resolve(verdicts.resolved)
        let summary = "\(label) done: \(alerts.count.grouped) open alert(s) re-checked, \(resolved.grouped) resolved (\(verdicts.summary)); \((alerts.count - resolved).grouped) still open"
        try await context.progress(done: Int64(alerts.count), total: Int64(alerts.count), message: summary)
        context.logger.info("core alerts reconciled", metadata: [
            "checked": "\(alerts.count)", "resolved": "\(resolved)", "full": "\(full)"])
    }

    /// Compares the SIS students the alerts are about with the local PASI store, batch by batch.
    private func compare(_ alerts: [ReconcilableAlert], years: SynchronizationYears, store: ReconciliationStore,
                         context: SyncJobContext, label: String, total: Int) async throws -> ComparedRecords {
        var compared = ComparedRecords()
        guard !alerts.isEmpty else { return compared }
        // An alert of a year no longer synchronized is compared in its own year, never dropped
        // for want of a comparison.
        let alertYears = alerts.compactMap(\.schoolYear).compactMap { try? SchoolYear(endYear: $0) }
        let compareYears = Set(years.years).union(alertYears)
        let pasiOnly = Set(alerts.filter { $0.subject?.hasPrefix("pasi-only:") == true }.compactMap(\.asn))
        var students = Set(alerts.compactMap(\.studentID))
        let enrolmentKeys = alerts.compactMap { ReconciliationSubject($0.subject)?.enrolmentID }
        students.formUnion(try await store.studentIDs(ofEnrolments: enrolmentKeys).values)
        students.formUnion(alerts.compactMap { ReconciliationSubject($0.subject)?.studentID })
        students.formUnion(try await store.studentIDs(holdingOrMatchedTo: Array(pasiOnly)))
        let comparison = SISComparison(environment: environment, store: InitialSyncStore(client: environment.client, logger: context.logger))
        let ordered = students.sorted()
        for start in stride(from: 0, to: ordered.count, by: Self.batchSize) {
            let ids = Array(ordered[start..<min(start + Self.batchSize, ordered.count)])
            let (_, result) = try await comparison.compare(studentIDs: ids, inYears: compareYears)
            compared.add(result, studentIDs: ids, keys: try InitialSyncOutput.alerts(of: result, jobID: context.job.id))
            try await context.progress(done: 0, total: Int64(total),
                                       message: "\(label): \(min(start + ids.count, ordered.count).grouped) of \(ordered.count.grouped) students compared")
        }
        // PASI students the SIS lacked: still unmatched ones are reported again as Initial
        // Synchronization's report step would; a now-matched one whose SIS student agrees is done.
        let unmatched = pasiOnly.filter { !compared.matchedASNs.contains($0) }.sorted()
        let asns = unmatched.compactMap { try? ASN($0, checkDigit: .ignored) }
        let pasiStudents = try await environment.pasiStore.students(asns: asns)
        let enrolments = try await environment.pasiStore.schoolEnrolments(asns: asns)
        let result = InitialSyncComparison.comparePASIOnly(
            pasiStudents, enrolments: enrolments, authoritySchools: try await comparison.authoritySchools(),
            years: compareYears)
        compared.addPASIOnly(judged: Set(unmatched), keys: try InitialSyncOutput.alerts(of: result, jobID: context.job.id))
        return compared
    }
}

/// Which years Automatic Reconciliation looks at.
enum ReconciliationScope {
    /// The current synchronization year: Current School Year for Synchronization and the next
    /// one when PASI accepts pre-registrations for it (the historical years are left to Full).
    static func currentYears(_ years: SynchronizationYears) -> [SchoolYear] {
        years.years.filter { $0 >= years.current }
    }
}

/// A regular synchronization subject, `<table_name>:<row_key>` of the data event.
struct ReconciliationSubject: Sendable, Hashable {
    let table: String
    let key: String

    init?(_ subject: String?) {
        guard let subject, let colon = subject.firstIndex(of: ":"), subject.hasPrefix("sis.") else { return nil }
        table = String(subject[..<colon])
        key = String(subject[subject.index(after: colon)...])
    }

    /// The SIS student of a `sis.students:ID` subject.
    var studentID: Int? { table == "sis.students" ? Int(key) : nil }
    /// The SIS enrolment of a `sis.enrolments:ID` subject.
    var enrolmentID: Int? { table == "sis.enrolments" ? Int(key) : nil }
}

/// What the comparisons of a reconciliation found, for judging the alerts (pure).
struct ComparedRecords: Sendable {
    /// The SIS students compared.
    private(set) var students: Set<Int> = []
    /// Compared students matched with a PASI student with no difference of their own.
    private(set) var agreeingStudents: Set<Int> = []
    /// SIS enrolments matched with a PASI enrolment, and those with a difference.
    private(set) var matchedEnrolments: Set<Int> = []
    private(set) var differingEnrolments: Set<Int> = []
    /// The ASNs the compared students matched, and whether that student agrees.
    private(set) var matchedASNs: Set<String> = []
    private(set) var agreeingASNs: Set<String> = []
    /// The PASI-only students judged again by ``addPASIOnly(judged:keys:)``.
    private(set) var judgedPASIOnly: Set<String> = []
    /// Initial Synchronization's alert keys found again: subject and alert code.
    private(set) var found: Set<AlertKey> = []

    struct AlertKey: Sendable, Hashable {
        let subject: String
        let code: String
    }

    mutating func add(_ result: InitialSyncComparison.Result, studentIDs: [Int], keys: [SubjectAlert]) {
        students.formUnion(studentIDs)
        let withOwnDifference = Set(result.conflicts.filter { $0.enrolmentID == nil }.compactMap(\.studentID))
        for match in result.studentMatches {
            matchedASNs.insert(match.asn.digits)
            if !withOwnDifference.contains(match.studentID) {
                agreeingStudents.insert(match.studentID)
                agreeingASNs.insert(match.asn.digits)
            }
        }
        matchedEnrolments.formUnion(result.enrolmentMatches.map(\.enrolmentID))
        differingEnrolments.formUnion(result.conflicts.compactMap(\.enrolmentID))
        found.formUnion(keys.map { AlertKey(subject: $0.subject, code: $0.record.alertCode) })
    }

    mutating func addPASIOnly(judged: Set<String>, keys: [SubjectAlert]) {
        judgedPASIOnly.formUnion(judged)
        found.formUnion(keys.map { AlertKey(subject: $0.subject, code: $0.record.alertCode) })
    }

    /// Whether the alert's cause is gone by the comparisons.
    func agrees(_ alert: ReconcilableAlert) -> Bool {
        guard let subject = alert.subject else { return false }
        if alert.raisedBy == InitialSync.raiser {
            let key = AlertKey(subject: subject, code: alert.alertCode)
            if subject.hasPrefix("sis:"), let student = alert.studentID, students.contains(student) {
                return !found.contains(key)
            }
            if subject.hasPrefix("pasi-only:"), let asn = alert.asn {
                if judgedPASIOnly.contains(asn) { return !found.contains(key) }
                return agreeingASNs.contains(asn)
            }
            return false
        }
        guard let record = ReconciliationSubject(subject) else { return false }
        if let student = record.studentID { return agreeingStudents.contains(student) }
        if let enrolment = record.enrolmentID {
            return matchedEnrolments.contains(enrolment) && !differingEnrolments.contains(enrolment)
        }
        return false
    }
}

/// Which alerts a reconciliation resolves, and why (pure).
struct ReconciliationVerdicts: Sendable {
    enum Reason: String, Sendable, CaseIterable {
        case dataAgrees = "data now agrees"
        case resubmittedAndAccepted = "resubmitted and accepted"
        case laterJobCompleted = "a later job completed"
    }

    private(set) var reasons: [Int64: Reason] = [:]

    /// Records `ids` as resolved for `reason`; an alert keeps its first reason.
    mutating func add(_ ids: some Sequence<Int64>, _ reason: Reason) {
        for id in ids where reasons[id] == nil { reasons[id] = reason }
    }

    func isResolved(_ id: Int64) -> Bool { reasons[id] != nil }

    /// The alerts to resolve, by id.
    var resolved: [Int64] { reasons.keys.sorted() }

    /// "3 data now agrees, 1 resubmitted and accepted, 0 a later job completed".
    var summary: String {
        Reason.allCases.map { reason in "\(reasons.values.filter { $0 == reason }.count.grouped) \(reason.rawValue)" }
            .joined(separator: ", ")
    }
}
