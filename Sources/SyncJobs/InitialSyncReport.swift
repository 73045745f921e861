import Foundation
#if canImport(Glibc)
import Glibc
#endif
import JobQueue
import Logging
import PASIModel
import SyncStore

/// The last step of an Initial Synchronization, once every batch is done: at district level the
/// PASI students no SIS student matched (their enrolments at the authority's schools are Missing
/// Enrolment conflicts); then the run's files, kept in the database with the run's job
/// (`pasisync files list --job ID`) and written under `PASISYNC_LOG_DIR` when it is set:
/// pasi-initialization.log always, the four tab-delimited extract files when Synchronization
/// Extract files is on. Ends with the run's summary as its progress message.
public struct InitialSyncReport: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        public var run: Int64
        public var school: String?
        public init(run: Int64, school: String?) {
            self.run = run
            self.school = school
        }
    }

    public static let kind = "initial_sync_report"
    public static let title = "Initial Sync – Report"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let store = InitialSyncStore(client: environment.client, logger: context.logger)
        let years = try await SynchronizationYears.fromSettings(environment)
        if arguments.school == nil { try await reportPASIOnly(years: years, run: arguments.run, store: store, context: context) }

        var files: [(name: String, content: Data)] = []
        let log = try await store.lines(runID: arguments.run, file: InitialSyncOutput.logFile)
        files.append((InitialSyncOutput.logFile, Self.text(Self.logHeader(arguments, years: years, differences: log.count) + log)))
        if try await environment.settings.value(of: .synchronizationExtractFiles) == .bool(true) {
            for file in InitialSyncExtract.File.allCases {
                let rows = try await store.lines(runID: arguments.run, file: file.fileName)
                files.append((file.fileName, Self.text([file.headerLine] + rows)))
            }
        }
        for file in files { try await environment.files.save(jobID: arguments.run, name: file.name, content: file.content) }
        if let directory = ProcessInfo.processInfo.environment["PASISYNC_LOG_DIR"], !directory.isEmpty {
            try Self.write(files, under: directory, run: arguments.run)
        }
        try await store.clearLines(runID: arguments.run)

        let open = try await store.openAlertCount(raisedBy: InitialSync.raiser)
        let summary = "Initial Synchronization done: \(log.count.grouped) data differences in \(InitialSyncOutput.logFile); \(open.grouped) open Conflict alerts; files: \(files.map(\.name).joined(separator: ", ")) (pasisync files get --job \(arguments.run) --out DIR)"
        try await context.withTransaction { transaction in
            try await transaction.queue.addProgress(toJob: arguments.run, done: 0, message: summary, on: transaction.connection)
        }
        try await context.progress(done: 1, total: 1, message: summary)
    }

    /// PASI students of the synchronization years that no SIS student matched.
    private func reportPASIOnly(years: SynchronizationYears, run: Int64, store: InitialSyncStore, context: SyncJobContext) async throws {
        let asns = try await store.unmatchedPASIStudents(years: years.years)
        let students = try await environment.pasiStore.students(asns: asns)
        let enrolments = try await environment.pasiStore.schoolEnrolments(asns: asns)
        let code = try await environment.settings.value(of: .organizationCode).description
        let schools = try await store.authoritySchools(authority: try? OrganizationCode.authority(code, field: "organization_code").number)
        let result = InitialSyncComparison.comparePASIOnly(students, enrolments: enrolments, authoritySchools: schools, years: Set(years.years))
        let alerts = try InitialSyncOutput.alerts(of: result, jobID: run)
        try await context.withTransaction { transaction in
            _ = try await environment.alerts.reconcile(
                alerts, raisedBy: InitialSync.raiser, scope: AlertScope(subjectPrefixes: ["pasi-only:"]), jobID: run,
                on: transaction.connection)
            try await store.addLines(InitialSyncOutput.lines(of: result), runID: run, batchKey: "~pasi-only", on: transaction.connection)
        }
    }

    private static func logHeader(_ arguments: Arguments, years: SynchronizationYears, differences: Int) -> [String] {
        ["# pasi-initialization.log: Initial Synchronization job \(arguments.run), \(arguments.school.map { "school \($0)" } ?? "district"), years \(years.years.map(\.description).joined(separator: ", "))",
         "# \(differences) data differences, one per line: record | conflict type | field | SIS value | PASI value"]
    }

    private static func text(_ lines: [String]) -> Data { Data((lines.joined(separator: "\n") + "\n").utf8) }

    /// Writes the files into `directory/initial-sync-RUN/`, each through a temporary name.
    private static func write(_ files: [(name: String, content: Data)], under directory: String, run: Int64) throws {
        let folder = URL(fileURLWithPath: directory).appendingPathComponent("initial-sync-\(run)")
        // Owner only, folder and files: they hold names, birth dates and document numbers.
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        for file in files {
            let target = folder.appendingPathComponent(file.name)
            let temporary = folder.appendingPathComponent("." + file.name + ".partial")
            guard FileManager.default.createFile(atPath: temporary.path, contents: file.content, attributes: [.posixPermissions: 0o600]) else {
                throw JobError.permanent("cannot write \(temporary.path)")
            }
            // rename(2) replaces the old file in one step: a reader sees the old file or the new one.
            guard rename(temporary.path, target.path) == 0 else {
                throw JobError.permanent("cannot write \(target.path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
