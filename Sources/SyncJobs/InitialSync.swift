import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// Step 2. Initial Synchronization: compares and matches SIS students and school enrolments of
/// the synchronization years with the local PASI store, and presents every difference as a
/// Conflict alert (docs/records-matching.md). It changes no data in either place: it writes only
/// the matches, the alerts, and its files (pasi-initialization.log, and the four extract files
/// when Synchronization Extract files is on).
///
/// At district level (Process as District on) it runs for every student and is refused while
/// Regular Synchronization or Event Monitoring is on; school by school it runs for one Inactive
/// school. First it brings the local store up to PASI's latest versions (the change feed from
/// each type's cursor, fetched in download batches); then the students fan out in batches
/// (`initial_sync_batch`) that wait for those downloads, and a report step
/// (`initial_sync_report`) that waits for the batches writes the files and the summary.
public struct InitialSync: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// The school of a school-by-school run (four digits); `nil` at district level.
        public var school: String?
        public init(school: String? = nil) { self.school = school }
    }

    public static let kind = "initial_sync"
    public static let title = "Initial Sync – Manual"
    /// The raiser of its conflicts (`sync.core_alerts.raised_by`).
    static let raiser = kind
    /// SIS students compared per batch.
    static let batchSize = 500

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let store = InitialSyncStore(client: environment.client, logger: context.logger)
        if let reason = try await Self.refusal(school: arguments.school, settings: environment.settings, store: store) {
            throw JobError.permanent(reason)
        }
        let school = try arguments.school.map { try OrganizationNumber($0, field: "school") }
        let years = try await SynchronizationYears.fromSettings(environment)
        let root = context.job.id
        let (downloads, fetched) = try await catchUp(years: years, context: context)
        let analyzed = try await store.refreshStatistics()
        if !analyzed.isEmpty { context.logger.info("planner statistics refreshed", metadata: ["tables": "\(analyzed)"]) }
        let students = try await store.studentIDs(years: years.years, school: school)
        let scope = school.map { "school \($0)" } ?? "the district"
        try await context.withTransaction { transaction in
            var batches: [Int64] = []
            for (index, start) in stride(from: 0, to: students.count, by: Self.batchSize).enumerated() {
                let ids = Array(students[start..<min(start + Self.batchSize, students.count)])
                let job = try await transaction.enqueue(
                    InitialSyncBatch.self, .init(run: root, school: arguments.school, studentIDs: ids), asChild: true,
                    uniqueKey: "initial_sync_batch:\(root):\(index)", dependsOn: downloads)
                batches.append(job.id)
            }
            try await transaction.enqueue(InitialSyncReport.self, .init(run: root, school: arguments.school), asChild: true,
                                          uniqueKey: "initial_sync_report:\(root)", dependsOn: batches + downloads)
            try await transaction.queue.addProgress(
                toJob: root, done: 0, total: Int64(students.count + fetched),
                message: "\(scope): comparing \(students.count.grouped) students of \(years.years.map(\.description).joined(separator: ", ")) in \(batches.count) batches",
                on: transaction.connection)
        }
    }

    /// "The process gets all the latest PASI data based on the PASI Core version numbers": what
    /// changed in PASI since the local store last read each type's feed is fetched first.
    /// - Returns: The download batches the comparison must wait for, and how many records they fetch
    ///   (they count in the run's progress).
    private func catchUp(years: SynchronizationYears, context: SyncJobContext) async throws -> (batches: [Int64], records: Int) {
        let pasi = try await context.pasi()
        let downloads = environment.downloads
        let fannedOut = try await downloads.typesFannedOut(rootJobID: context.job.id)
        var batches: [Int64] = []
        var records = 0
        for (_, type) in try await SynchronizedObject.enabled(in: environment, years: years) where !fannedOut.contains(type.description) {
            let cursor = try await downloads.cursor(of: type)
            var ids: [String] = []
            let highest = try await pasi.followFeed(type, after: cursor) { page in ids += page.map(\.id) }
            guard highest > cursor else { continue }
            records += ids.count
            batches += try await context.withTransaction { [ids] transaction in
                let jobs = try await transaction.enqueueDownloads(of: type, ids: ids, root: context.job.id, downloads: downloads)
                try await downloads.moveCursor(of: type, to: highest, byJob: context.job.id, on: transaction.connection)
                return jobs
            }
        }
        return (batches, records)
    }

    /// Why Initial Synchronization may not run now, in the seed's terms, or `nil`.
    static func refusal(school: String?, settings: SettingsStore, store: InitialSyncStore) async throws -> String? {
        let asDistrict = try await settings.value(of: .processAsDistrict) == .bool(true)
        guard try await store.localStoreHasStudents() else {
            return "the local PASI data store is empty: download it first (Step 1. Download Local PASI Data Store: pasisync run load-local-copy)"
        }
        guard let school else {
            guard asDistrict else {
                return "Process as District is off, so Initial Synchronization runs school by school: name the school (pasisync run initial-sync --school CODE)"
            }
            if try await settings.value(of: .regularSynchronization) == .bool(true) {
                return "When running at a district/authority level, regular synchronization must be turned off (pasisync settings set regular_synchronization off), or turn Process as District off and initialize school by school"
            }
            if try await settings.value(of: .eventMonitoring) == .bool(true) {
                return "During Initial Synchronization, Event Monitoring must be turned OFF"
            }
            return nil
        }
        if asDistrict {
            return "Process as District is on, so Initial Synchronization runs for the whole district/authority: leave out --school, or turn Process as District off (pasisync settings set process_as_district off) to initialize school by school"
        }
        guard let code = try? OrganizationNumber(school, field: "school") else {
            return "--school must be a four-digit school code, got \"\(school)\""
        }
        guard let found = try await store.school(code: code) else {
            let authority = try await store.authorityOfPASISchool(code: code)
            let ours = try await settings.value(of: .organizationCode).description
            if let authority, !authority.isEmpty, !ours.hasSuffix(authority) {
                return "school \(code) belongs to school authority \(authority), not to this authority (\(ours))"
            }
            return "no school \(code) in the SIS (sis.schools)"
        }
        if found.schoolType == "Active" {
            return "school \(code) (\(found.name)) is Active: when running school-by-school the school you want to initialize must be set to Inactive status (School Type Inactive or blank on the Edit School page: UPDATE sis.schools SET school_type = 'Inactive' WHERE school_code = '\(code)')"
        }
        return nil
    }
}
