import Foundation
import JobQueue
import ServiceLifecycle
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Step 5, SIS → PASI: Regular Synchronization. One job for as long as the switch is on (started
/// by `sync.start_switched_jobs()` when `regular_synchronization` turns on, after the Start
/// Delay). It drains the data events that event monitoring writes: each record's pending events
/// fold into one submit of the record's latest state, records are sent side by side (Processes
/// at once) and each record's own changes strictly one after the other. A data event wakes it at
/// once (NOTIFY); the polling interval is only the longest wait.
///
/// What PASI answers decides each record alone: accepted → Sent, and the answer's version into
/// the local store; a business rule → Rejected and a Rejection alert; a stale version (3004) →
/// Conflict for a person, nothing overwritten; an outage, a timeout, 9001 or 9014 → the record
/// waits and is tried again (up to Maximum Attempts, then Failed and a Failure alert) while the
/// other records go on.
public struct RegularSync: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "regular_sync"
    public static let title = "Regular Sync"
    public static var heldByStartDelay: Bool { true }

    /// A round takes the records of at most this many of the oldest pending events, each with all
    /// of its pending events (OutboundStore.pendingChanges).
    static let eventsPerRound = 2000
    /// How long a round's "draining" lasts unless renewed (`sync.regular_sync_draining`, read by `sync.wake_regular_sync`): while it lasts the SIS's
    /// triggers send no NOTIFY. A lease left by a worker that died ends by itself.
    static let drainingLease = Duration.seconds(10)

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        let wake = WakeSignal()
        let stopping = ShutdownFlag()
        let events = environment.dataEvents
        // A worker shutting down hands the job back at once (snoozed, no attempt spent) instead of
        // holding its grace period: another worker goes on from the events still Pending.
        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await events.listen { wake.signal() } }
                defer { group.cancelAll() }
                try await drain(wake: wake, stopping: stopping, context: context)
            }
        } onGracefulShutdown: {
            stopping.raise()
            wake.signal()
        }
    }

    /// Rounds until Regular Synchronization is turned off.
    ///
    /// The job lives for months, so a database outage (PostgreSQL restarted, a connection dropped)
    /// is waited out here with backoff instead of spending one of its attempts: the events of the
    /// round are still Pending and go in the next one.
    private func drain(wake: WakeSignal, stopping: ShutdownFlag, context: SyncJobContext) async throws {
        var state = DrainState()
        var outages = 0
        while true {
            try Task.checkCancellation()
            if stopping.isRaised {
                throw JobSnooze(for: .zero, reason: "the worker is shutting down: another worker goes on with Regular Sync")
            }
            do {
                guard try await turn(&state, wake: wake, context: context) else { return }
                outages = 0
            } catch where isDatabaseOutage(error) || error is StatementTimeout {
                outages += 1
                let pause = Self.outagePause(outages)
                context.logger.warning("the database is unreachable (\(databaseErrorText(error))): Regular Sync tries again in \(pause)")
                await wake.wait(timeout: pause)
            }
        }
    }

    /// One turn of the loop: a round of pending changes, or a wait for the next. False once
    /// Regular Synchronization is off.
    private func turn(_ state: inout DrainState, wake: WakeSignal, context: SyncJobContext) async throws -> Bool {
        let environment = self.environment
        // Draining is said before the read: an event written after it is in this read or the
        // next round's, or (the round finding nothing) in one of the looks of the idle wait.
        // It is said only while this attempt holds the job's lease, so an attempt that lost it
        // (its worker frozen or cut off past the lease, then back) stops here, before reading a
        // round the job's new attempt sends: PASI gets each change once.
        let holder = LeaseHolder(jobID: context.queue.job.id, attempt: context.queue.job.attempt, worker: context.queue.workerID)
        let changes = try await withStatementDeadline {
            guard try await environment.dataEvents.draining(for: Self.drainingLease, heldBy: holder) else {
                throw LeaseLost(jobID: holder.jobID, attempt: holder.attempt)
            }
            return try await environment.outbound.pendingChanges(limit: Self.eventsPerRound)
        }
        // The switch is read after the changes: an edit committed after the switch went off is
        // then never sent by this job; it waits, Pending, for the switch to come back on.
        let settings = try await withStatementDeadline { try await RegularSyncSettings.read(environment.settings) }
        let done = Int64(state.totals.records), summary = state.totals.summary
        guard settings.isOn else {
            try await withStatementDeadline { try await context.progress(done: done, message: "Regular Synchronization is off: stopped. " + summary) }
            return false
        }
        if !changes.isEmpty {
            state.idleTurns = 0
            let (outcomes, stop) = try await RegularSyncRound(environment: environment, settings: settings, logger: context.logger)
                .send(changes)
            try await withStatementDeadline { try await environment.outbound.record(outcomes, jobID: context.job.id) }
            for outcome in outcomes { context.eventsLog.record(outcome, logger: context.logger) }  // the Events Log
            // PASI refused the caller (certificate, client, organization): no record can go until
            // a person fixes the settings; the job stops at once with a Failure saying what to check.
            if let stop { throw stop.forJob }
            state.totals.add(outcomes)
            let done = Int64(state.totals.records), summary = state.totals.summary
            try await withStatementDeadline { try await context.progress(done: done, message: summary) }
            return true
        }
        try await withStatementDeadline { try await environment.dataEvents.waiting() }
        let backlog = try await withStatementDeadline { try await environment.outbound.backlog() }
        try await withStatementDeadline { try await context.progress(done: done, message: summary + Self.waiting(backlog)) }
        let longest = Self.longestWait(settings: settings, nextRetry: backlog.nextRetry)
        await wake.wait(timeout: min(longest, Self.idleRecheck(state.idleTurns)))
        state.idleTurns += 1
        return true
    }

    /// The wait before the idle loop's next look: 50 ms after the last round that found changes,
    /// doubling. A SIS transaction that wrote its event while Regular Sync was draining sent no
    /// NOTIFY; one that commits after the last read is found by a look at most about twice as long
    /// after the read as it took to commit.
    static func idleRecheck(_ idleTurns: Int) -> Duration {
        .milliseconds(50 << min(max(idleTurns, 0), 16))
    }

    /// 100 ms after the first failure of an outage, doubling, up to 5 s.
    static func outagePause(_ failures: Int) -> Duration {
        .milliseconds(min(5000, 100 << min(max(failures - 1, 0), 6)))
    }

    /// Until the polling interval, or the soonest retry when that is sooner.
    static func longestWait(settings: RegularSyncSettings, nextRetry: Date?, now: Date = Date()) -> Duration {
        let polling = Duration.seconds(settings.pollingIntervalSeconds)
        guard let nextRetry else { return polling }
        let untilRetry = Duration.milliseconds(max(10, Int64(nextRetry.timeIntervalSince(now) * 1000)))
        return min(polling, untilRetry)
    }

    static func waiting(_ backlog: (pending: Int, nextRetry: Date?)) -> String {
        guard backlog.pending > 0 else { return "; waiting for SIS changes" }
        return "; \(backlog.pending.grouped) event(s) of records waiting to retry"
    }
}

/// The settings one round reads, in one query.
struct RegularSyncSettings: Sendable {
    var isOn = false
    var pollingIntervalSeconds = 60
    var maximumAttempts = 50
    var concurrency = 10
    var organizationCode = ""
    var students = true
    var enrolments = true
    var currentYear: SchoolYear?
    var historicalYears = 0
    /// The status types whose "… Status Synchronization" switch is off, with the switch's name:
    /// their core alerts are not synchronized, so neither are their acknowledgements.
    var statusSwitchesOff: [StatusType: String] = [:]

    /// The name of the switch that keeps the core alerts of `type` from being synchronized, if one does.
    func statusSwitchOff(_ type: StatusType) -> String? { statusSwitchesOff[type] }

    /// The "… Status Synchronization" switches of the settings page, per status type.
    static let statusSwitches: [SettingKey: StatusType] = [
        .studentStatusSynchronization: .student, .studentEnrolmentStatusSynchronization: .enrolment,
        .classroomAccommodationStatusSynchronization: .classroomAccommodation, .sectionStatusSynchronization: .section,
        .courseEnrolmentStatusSynchronization: .courseEnrolment, .evaluatedMarkStatusSynchronization: .evaluatedMark,
    ]

    static func read(_ store: SettingsStore) async throws -> RegularSyncSettings {
        var out = RegularSyncSettings()
        for setting in try await store.all() {
            switch (setting.definition.key, setting.value) {
            case (.regularSynchronization, .bool(let on)): out.isOn = on
            case (.dataEventsPollingIntervalSeconds, .integer(let seconds)): out.pollingIntervalSeconds = seconds
            case (.maximumAttempts, .integer(let attempts)): out.maximumAttempts = attempts
            case (.processes, .integer(let processes)): out.concurrency = processes
            case (.organizationCode, let code): out.organizationCode = code.description
            case (.studentSynchronization, .bool(let on)): out.students = on
            case (.studentEnrolmentSynchronization, .bool(let on)): out.enrolments = on
            case (.currentSchoolYear, .schoolYear(let year)): out.currentYear = year
            case (.historicalYearsSchoolEnrolment, .integer(let years)): out.historicalYears = years
            case (let key, .bool(false)) where statusSwitches[key] != nil: out.statusSwitchesOff[statusSwitches[key]!] = setting.definition.label
            default: break
            }
        }
        return out
    }

    /// The years whose enrolments are synchronized: the historical years, the current one, and
    /// any later (the next year's pre-registrations are always included).
    func synchronizes(_ year: SchoolYear) -> Bool {
        guard let currentYear else { return true }
        return year.endYear >= currentYear.endYear - historicalYears
    }
}

/// What the drain loop carries from turn to turn.
struct DrainState {
    var totals = RoundTotals()
    /// Turns in a row that found no changes.
    var idleTurns = 0
}

/// What the job's message says: records handled since it started, per outcome.
struct RoundTotals {
    var records = 0
    var byStatus: [String: Int] = [:]

    mutating func add(_ outcomes: [OutboundOutcome]) {
        for outcome in outcomes {
            let status: String
            switch outcome {
            case .sent: status = "sent"
            case .skipped: status = "skipped"
            case .rejected: status = "rejected"
            case .conflict: status = "conflict"
            case .retry: status = "waiting to retry"
            case .failed: status = "failed"
            }
            byStatus[status, default: 0] += 1
            if case .retry = outcome { continue }
            records += 1
        }
    }

    var summary: String {
        let order = ["sent", "skipped", "rejected", "conflict", "failed", "waiting to retry"]
        let parts = order.compactMap { key in byStatus[key].map { "\($0.grouped) \(key)" } }
        return "\(records.grouped) record change(s) handled" + (parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")")
    }
}
