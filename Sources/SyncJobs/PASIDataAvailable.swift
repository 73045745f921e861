import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import ServiceLifecycle
import SyncStore

/// PASI → SIS, "PASI Data Available": for as long as Regular Synchronization is on, PASI's change
/// feed is long-polled (IsDataAvailable, PASI Data Available Wait Time) for every synchronized
/// object and year (the next school year's pre-registered enrolments included), what changed is
/// fetched into the local PASI store, and then:
/// - School and Course (one way, PASI → SIS) are applied to `sis.schools` / `sis.courses`, as
///   PASI's own writes (`pasisync.origin = 'pasi'`), so no data event sends them back; School
///   Authority stays in the local store (the SIS has no table for it);
/// - a Student or Student Enrolment that changed is compared with the SIS as Initial
///   Synchronization compares it: a difference is a Conflict, an agreement clears the Conflict
///   (the same alert whichever process found it);
/// - Student Status and Student Enrolment Status bring PASI's core alerts into `sync.core_alerts`
///   with PASI's acknowledgement, and resolve the ones PASI no longer reports;
/// - the Diploma Exam Items (Diploma Exam, Diploma Exam Mark, Diploma Exam Sitting, each while its
///   switch is on, for the current school year and the Historical Years for Diploma Exam
///   Integration) stay in the local store: the Diploma Exam and Official Marks Updates
///   (`exam_marks_update`) is what writes a mark into the SIS's stored grades (docs/diploma-exams.md).
///
/// One job for as long as the switch is on (`sync.start_switched_jobs()` starts it); it completes
/// when it sees the switch off. A type's records, its follow-up and its cursor commit together, so
/// a PASI outage (the queue retries the job) loses nothing and repeats at most one fetch.
/// docs/pasi-to-sis.md.
public struct PASIDataAvailable: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "pasi_data_available"
    public static let title = "PASI Data Available"
    public static let heldByStartDelay = true

    /// SIS students compared per transaction.
    static let comparisonBatch = 500
    /// How often the Regular Synchronization switch is read during a long poll: turning it off
    /// stops the job within this, not at the end of a 5-minute poll.
    static let switchCheck: Duration = .seconds(1)

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        let stopping = ShutdownFlag()
        // A worker shutting down hands the job back at once (snoozed, no attempt spent) instead of
        // holding its grace period through a long poll: another worker polls from the same cursors.
        try await withGracefulShutdownHandler {
            try await poll(stopping: stopping, context: context)
        } onGracefulShutdown: {
            stopping.raise()
        }
    }

    private func poll(stopping: ShutdownFlag, context: SyncJobContext) async throws {
        let incoming = IncomingStore(client: environment.client, logger: context.logger)
        var tally = Tally()
        var catchingUp = true   // the first poll and a page with more behind it do not wait
        while try await isOn() {
            if stopping.isRaised { throw Self.handedBack }
            let years = try await SynchronizationYears.fromSettings(environment)
            tally.compared += try await compareWaiting(years: years, incoming: incoming, context: context)
            let diplomaYears = try await SynchronizationYears.diplomaYears(current: years.current, environment)
            let types = try await SynchronizedObject.polled(in: environment, years: years, diplomaYears: diplomaYears)
            let plan = PASIDataAvailablePlan(types: types, accommodations: try await Self.accommodationTypes(environment.settings, years: years))
            let waitMinutes = try await waitTimeMinutes()
            let wait = PASIDataAvailablePlan.wait(catchingUp: catchingUp, waitMinutes: waitMinutes)
            try await context.progress(done: tally.applied, message: tally.waitingMessage(waitMinutes: waitMinutes, catchingUp: catchingUp))
            let queries = plan.queries(cursors: try await incoming.cursors(of: plan.followed))
            let pasi = try await context.pasi()
            guard let answers = try await untilSwitchedOff(stopping: stopping, { () async throws -> [IsDataAvailableResponse.Answer] in
                if queries.isEmpty {
                    // Nothing is synchronized: only the switch (or a setting turned on) can change that.
                    try await Task.sleep(for: wait == .zero ? Self.switchCheck : wait)
                    return []
                }
                return try await pasi.isDataAvailable(queries, wait: wait)
            }) else { break }
            for step in plan.steps(for: answers) {
                tally.add(try await perform(step, pasi: pasi, incoming: incoming, context: context))
            }
            tally.compared += try await compareWaiting(years: years, incoming: incoming, context: context)
            catchingUp = PASIDataAvailablePlan.mayHaveMore(answers, limits: pasi.feedLimits)
        }
        try await context.progress(done: tally.applied, message: "Regular Synchronization is off: stopped; " + tally.summary)
        context.logger.info("pasi data available stopped", metadata: ["applied": "\(tally.applied)"])
    }

    // MARK: - The switch

    private func isOn() async throws -> Bool {
        let settings = environment.settings
        return try await withStatementDeadline { try await settings.value(of: .regularSynchronization) } == .bool(true)
    }

    static let handedBack = JobSnooze(for: .zero, reason: "the worker is shutting down: another worker goes on with PASI Data Available")

    private func waitTimeMinutes() async throws -> Int {
        if case .integer(let minutes) = try await environment.settings.value(of: .dataAvailableWaitTimeMinutes) { return minutes }
        return 5
    }

    /// Runs `operation` (a long poll) unless Regular Synchronization is turned off first: then the
    /// poll is cancelled (nothing it fetched is kept, no cursor moved) and the answer is `nil`.
    /// The worker shutting down cancels it too, and the job is handed back.
    private func untilSwitchedOff<T: Sendable>(stopping: ShutdownFlag,
                                               _ operation: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await operation() }
            group.addTask { [self] in
                while true {
                    try await Task.sleep(for: Self.switchCheck)
                    if stopping.isRaised { throw Self.handedBack }
                    if try await !isOn() { return nil }
                }
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    // MARK: - Applying one type's changes

    /// Performs one step of the plan.
    private func perform(_ step: PASIDataAvailablePlan.Step, pasi: any PASICoreService, incoming: IncomingStore,
                         context: SyncJobContext) async throws -> Applied {
        switch step {
        case let .storeRecords(type, object, followUp, ids, highest):
            try await storeRecords(type, of: object, followUp: followUp, ids: ids, highest: highest, pasi: pasi, incoming: incoming,
                                   context: context)
        case let .fileStatuses(type, recordType, statusType, ids, highest):
            try await fileStatuses(type, ids: ids, highest: highest, of: recordType, statusType: statusType, pasi: pasi,
                                   incoming: incoming, context: context)
        case let .storeAccommodations(type, ids, highest):
            try await storeAccommodations(type, ids: ids, highest: highest, pasi: pasi, context: context)
        }
    }

    /// Fetches what changed of one type and keeps it, with its follow-up and the type's cursor, in
    /// one transaction.
    private func storeRecords(_ type: NotificationType, of object: SynchronizedObject, followUp: PASIDataAvailablePlan.FollowUp,
                              ids: [String], highest: Int64, pasi: any PASICoreService, incoming: IncomingStore,
                              context: SyncJobContext) async throws -> Applied {
        let store = environment.pasiStore
        let job = context.job.id
        let fetched = try await PASIDownload.fetch(type, ids: ids, from: pasi, store: store)
        guard case .records = fetched.content else { return Applied() }
        let sisChanged = try await context.withTransaction { transaction in
            let connection = transaction.connection
            if object == .studentEnrolment {
                // The students of enrolments about to go are compared again too.
                try await incoming.markForComparison(studentASNs: [], enrolmentRefIds: fetched.deleted, jobID: job, on: connection)
            }
            // Stored; what PASI deleted removed; what it answers No Access or Unknown to kept, marked.
            _ = try await fetched.keep(type, in: store, jobID: job, on: connection)
            var sisChanged = 0
            switch followUp {
            case .applySchools:
                try await incoming.markPASIOrigin(on: connection)
                sisChanged = try await incoming.applySchools(codes: ids, on: connection).count
            case .applyCourses:
                try await incoming.markPASIOrigin(on: connection)
                sisChanged = try await incoming.applyCourses(codes: ids, on: connection).count
            case .compareStudents:
                try await incoming.markForComparison(studentASNs: ids, enrolmentRefIds: [], jobID: job, on: connection)
            case .compareEnrolmentStudents:
                try await incoming.markForComparison(studentASNs: [], enrolmentRefIds: ids, jobID: job, on: connection)
            case .localStoreOnly, .fileCoreAlerts:
                break
            }
            try await environment.downloads.moveCursor(of: type, to: highest, byJob: job, on: connection)
            return sisChanged
        }
        return Applied(records: ids.count, sisChanged: sisChanged)
    }

    /// Fetches the changed statuses of one status type and files their core alerts, with the
    /// statuses and the type's cursor, in one transaction.
    private func fileStatuses(_ type: NotificationType, ids: [String], highest: Int64, of recordType: RecordType,
                              statusType: StatusType, pasi: any PASICoreService, incoming: IncomingStore,
                              context: SyncJobContext) async throws -> Applied {
        let store = environment.pasiStore
        let job = context.job.id
        let fetched = try await Self.fetchStatuses(recordType, ids: ids, store: store, from: pasi)
        let statuses = fetched.statuses
        let present = statuses.filter { $0.availabilityStatus == .normal && $0.pasiCoreVersion > 0 }
        let alerts = PASIDataAvailablePlan.incomingAlerts(present, statusType: statusType, year: type.year)
        let records = try present.map {
            ValidationStatusRecord(type: type, id: $0.id, version: $0.pasiCoreVersion, alertsJSON: try PASIDownload.alertsJSON($0.alert))
        }
        let gone = statuses.filter { $0.availabilityStatus == .normal && $0.pasiCoreVersion == 0 }.map(\.id)
        // No Access and Unknown are access outcomes: the status held stays, marked.
        let unavailable = statuses.filter { $0.availabilityStatus != .normal }.map {
            UnavailableRecord(recordType: type.name.rawValue, id: $0.id, availability: $0.availabilityStatus.rawValue)
        }
        let (raised, resolved) = try await context.withTransaction { transaction in
            let connection = transaction.connection
            try await store.storeStatuses(records, on: connection)
            try await store.deleteStatuses(of: type, ids: gone, on: connection)
            try await store.markUnavailable(unavailable, jobID: job, on: connection)
            try await store.clearUnavailable(recordType: type.name.rawValue, ids: statuses.filter { $0.availabilityStatus == .normal }.map(\.id),
                                             on: connection)
            // The source records that came with their statuses (newer than the local copy) need no Get of their own.
            _ = try await store.store(fetched.sources, on: connection)
            // A status Get answers the current status, so its alerts are PASI's latest word.
            let outcome = try await incoming.fileStatusAlerts(
                alerts, of: ids.map { (statusType, $0) }, raisedBy: Self.kind, jobID: job, on: connection)
            try await environment.downloads.moveCursor(of: type, to: highest, byJob: job, on: connection)
            return outcome
        }
        return Applied(records: ids.count, alertsRaised: raised, alertsResolved: resolved)
    }

    // MARK: - Classroom accommodations

    /// The types followed beyond the seed's synchronized objects (which Load Local Copy and Hash
    /// Synchronization download too, so they stay as they are): ClassroomAccommodation while
    /// Classroom Accommodation Synchronization is on, and ClassroomAccommodationStatus (its core
    /// alerts, for the synchronization years) while Classroom Accommodation Status Synchronization
    /// is on as well. Accommodations go into the local store only: the SIS's own rows are the
    /// authority's, sent by Regular Sync.
    static func accommodationTypes(_ settings: SettingsStore, years: SynchronizationYears) async throws -> [NotificationType] {
        guard try await settings.value(of: .classroomAccommodationSynchronization) == .bool(true) else { return [] }
        var types = [try NotificationType(.classroomAccommodation)]
        if try await settings.value(of: .classroomAccommodationStatusSynchronization) == .bool(true) {
            types += try years.years.map { try NotificationType(.classroomAccommodationStatus, year: $0) }
        }
        return types
    }

    /// Fetches the changed accommodations (or their statuses) into the local store, with the type's
    /// cursor, in one transaction; what PASI no longer holds leaves the local copy.
    private func storeAccommodations(_ type: NotificationType, ids: [String], highest: Int64, pasi: any PASICoreService,
                                     context: SyncJobContext) async throws -> Applied {
        let store = environment.pasiStore
        let fetched = try await PASIDownload.fetch(type, ids: ids, from: pasi, store: store)
        guard case .records = fetched.content else { return Applied() }
        let job = context.job.id
        try await context.withTransaction { transaction in
            let connection = transaction.connection
            _ = try await fetched.keep(type, in: store, jobID: job, on: connection)
            try await environment.downloads.moveCursor(of: type, to: highest, byJob: job, on: connection)
        }
        return Applied(records: ids.count)
    }

    /// The students PASI changed, compared with the SIS in batches: each batch's matches and
    /// Conflicts (raised, or cleared) commit with its leaving the waiting list.
    /// - Returns: How many SIS students were compared.
    private func compareWaiting(years: SynchronizationYears, incoming: IncomingStore, context: SyncJobContext) async throws -> Int {
        let initial = InitialSyncStore(client: environment.client, logger: context.logger)
        var compared = 0
        while true {
            let asns = try await incoming.waitingForComparison(limit: Self.comparisonBatch)
            guard !asns.isEmpty else { return compared }
            let studentIDs = try await incoming.sisStudents(asns: asns)
            let comparison = studentIDs.isEmpty ? nil
                : try await SISComparison(environment: environment, store: initial).compare(studentIDs: studentIDs, years: years).result
            let alerts = try comparison.map { try PASIDataAvailablePlan.conflicts(of: $0, jobID: context.job.id) } ?? []
            try await context.withTransaction { transaction in
                let connection = transaction.connection
                if let comparison {
                    try await initial.saveMatches(
                        students: comparison.studentMatches.map { ($0.studentID, $0.asn, $0.quality) },
                        enrolments: comparison.enrolmentMatches.map { ($0.enrolmentID, $0.refId, $0.quality) },
                        by: Self.kind, on: connection)
                    // Initial Synchronization's raiser and subjects: one alert per discrepancy,
                    // whichever process finds it, cleared by whichever sees the two agree.
                    _ = try await environment.alerts.reconcile(
                        alerts, raisedBy: InitialSync.raiser, scope: AlertScope(studentIDs: studentIDs), jobID: context.job.id,
                        on: connection)
                }
                try await incoming.compared(asns: asns, on: connection)
            }
            compared += studentIDs.count
        }
    }

    // MARK: - Fetching statuses

    /// Statuses and the source records PASI sent with them.
    struct FetchedStatuses: Sendable {
        var statuses: [RecordStatus] = []
        /// Source records newer than the local copy's, sent with their statuses (known_source_version.html).
        var sources: [any PASIRecord] = []
    }

    /// Current statuses by id, each asked with the local copy's version of its source record as
    /// `KnownSourceVersion`, so a source record that changed comes back with its status.
    static func fetchStatuses(_ type: RecordType, ids: [String], store: PASIStore, from pasi: any PASICoreService) async throws -> FetchedStatuses {
        let known = try await store.versions(of: type, ids: ids)
        return try await fetchStatuses(type.recordSwiftType, ids: ids, known: known, from: pasi)
    }

    private static func fetchStatuses<R: PASIRecord>(_ type: R.Type, ids: [String], known: [String: Int64],
                                                     from pasi: any PASICoreService) async throws -> FetchedStatuses {
        var fetched = FetchedStatuses()
        for start in stride(from: 0, to: ids.count, by: PASIDownload.batchSize) {
            let keys = ids[start..<min(start + PASIDownload.batchSize, ids.count)].map { GetStatusesRequest.Key($0, knownSourceVersion: known[$0] ?? 0) }
            for item in try await pasi.getAllStatuses(R.self, keys) {
                fetched.statuses.append(item.status)
                if let source = item.sourceRecord, !source.isDeleted, let record = source.record { fetched.sources.append(record) }
            }
        }
        return fetched
    }

    // MARK: - Counting

    /// What one type's changes did.
    struct Applied: Sendable, Hashable {
        var records = 0
        var sisChanged = 0
        var alertsRaised = 0
        var alertsResolved = 0
    }

    /// What the job did since its attempt started, for its progress.
    struct Tally: Sendable, Hashable {
        var applied: Int64 = 0
        var sisChanged = 0
        var compared = 0
        var alertsRaised = 0
        var alertsResolved = 0

        mutating func add(_ one: Applied) {
            applied += Int64(one.records)
            sisChanged += one.sisChanged
            alertsRaised += one.alertsRaised
            alertsResolved += one.alertsResolved
        }

        /// "12 changes applied since start (2 to the SIS, 5 students compared, 1 PASI alert new, 0 resolved)".
        var summary: String {
            "\(applied.grouped) changes applied since start (\(sisChanged.grouped) to the SIS, \(compared.grouped) students compared with the SIS, "
                + "\(alertsRaised.grouped) PASI alerts new, \(alertsResolved.grouped) resolved)"
        }

        /// "waiting for PASI (5 min long poll); 12 changes applied since start (…)".
        func waitingMessage(waitMinutes: Int, catchingUp: Bool) -> String {
            (catchingUp ? "reading what PASI changed; " : "waiting for PASI (\(waitMinutes) min long poll); ") + summary
        }
    }
}

extension SynchronizedObject {
    /// The record type whose validation status a status object is; `nil` for a record object.
    var statusOf: RecordType? {
        switch self {
        case .studentStatus: .student
        case .studentEnrolmentStatus: .schoolEnrolment
        default: nil
        }
    }
}
