import Foundation
import JobQueue
import Logging
import PASIModel
import SyncStore

/// One batch of an Initial Synchronization: these SIS students (with their enrolments) matched
/// and compared with the local PASI store (``PASIModel/InitialSyncComparison``). In one
/// transaction it keeps the matches, raises the conflicts it found and resolves those of its
/// students it no longer finds, adds its lines to the run's files, and moves the run's progress.
/// It reads `sis.*` and `pasi.*` and writes neither.
public struct InitialSyncBatch: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// The Initial Synchronization this batch belongs to.
        public var run: Int64
        public var school: String?
        public var studentIDs: [Int]

        public init(run: Int64, school: String?, studentIDs: [Int]) {
            self.run = run
            self.school = school
            self.studentIDs = studentIDs
        }

        enum CodingKeys: String, CodingKey {
            case run, school, studentIDs = "student_ids"
        }
    }

    public static let kind = "initial_sync_batch"
    public static let title = "Initial Sync – Batch"

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        guard !arguments.studentIDs.isEmpty, arguments.studentIDs.count <= 5_000 else {
            throw JobError.permanent("an Initial Synchronization batch holds 1 to 5000 students, this one \(arguments.studentIDs.count)")
        }
        let store = InitialSyncStore(client: environment.client, logger: context.logger)
        let years = try await SynchronizationYears.fromSettings(environment)
        let (students, result) = try await SISComparison(environment: environment, store: store)
            .compare(studentIDs: arguments.studentIDs, years: years)
        let batchKey = String(format: "%010d", arguments.studentIDs[0])
        let lines = InitialSyncOutput.lines(of: result)
        let alerts = try InitialSyncOutput.alerts(of: result, jobID: arguments.run)
        let (raised, resolved) = try await context.withTransaction { transaction in
            try await store.saveMatches(
                students: result.studentMatches.map { ($0.studentID, $0.asn, $0.quality) },
                enrolments: result.enrolmentMatches.map { ($0.enrolmentID, $0.refId, $0.quality) },
                by: InitialSync.raiser, on: transaction.connection)
            let outcome = try await environment.alerts.reconcile(
                alerts, raisedBy: InitialSync.raiser, scope: AlertScope(studentIDs: arguments.studentIDs), jobID: arguments.run,
                on: transaction.connection)
            try await store.addLines(lines, runID: arguments.run, batchKey: batchKey, on: transaction.connection)
            let scope = arguments.school.map { "school \($0)" } ?? "district"
            try await transaction.queue.addProgress(
                toJob: arguments.run, done: Int64(students.count),
                message: "\(scope): batch of students from id \(arguments.studentIDs[0]) compared: \(result.studentMatches.count) matched, \(result.unmatchedSIS.count) unmatched, \(result.conflicts.count) conflicts",
                on: transaction.connection)
            return outcome
        }
        try await context.progress(
            done: Int64(students.count), total: Int64(arguments.studentIDs.count),
            message: "\(result.studentMatches.count) of \(students.count) students matched; \(result.conflicts.count) conflicts (\(raised) new, \(resolved) resolved)")
    }
}

/// How a comparison's findings are kept: as subject-keyed Conflict alerts and as the lines of
/// the run's files (`pasi-initialization.log` and the four extract files).
enum InitialSyncOutput {
    static let logFile = "pasi-initialization.log"

    /// The lines of a result, each with its file and its place in it.
    static func lines(of result: InitialSyncComparison.Result) -> [InitialSyncLine] {
        var lines: [InitialSyncLine] = []
        for (index, line) in result.logLines.enumerated() {
            lines.append(InitialSyncLine(file: logFile, sortKey: String(format: "%08d", index), line: line))
        }
        for (index, entry) in result.extract.enumerated() {
            lines.append(InitialSyncLine(file: entry.file.fileName, sortKey: String(format: "%08d", index), line: entry.line))
        }
        return lines
    }

    /// The Conflict alerts of a result. Conflicts about a SIS record are filed under their SIS
    /// student (`sis:`…), those about a PASI student the SIS lacks under `pasi-only:`…
    static func alerts(of result: InitialSyncComparison.Result, jobID: Int64) throws -> [SubjectAlert] {
        try result.conflicts.map { conflict in
            let key = conflict.key
            var arguments = key.arguments.values
            for difference in conflict.differences {
                arguments[difference.field + " (SIS)"] = difference.sisValue ?? ""
                arguments[difference.field + " (PASI)"] = difference.pasiValue ?? ""
            }
            let record = try AlertRecord(
                type: .conflict, statusType: conflict.statusType, alertCode: key.alertCode, conflictType: conflict.conflictType,
                message: oneLine(conflict.message), refId: key.recordKey.hasPrefix("SIS.") ? nil : key.recordKey,
                arguments: AlertArguments(arguments), asn: conflict.pasiASN ?? conflict.sisASN, studentID: conflict.studentID,
                enrolmentID: conflict.enrolmentID, schoolCode: conflict.schoolCode, schoolYear: conflict.schoolYear)
            let subject = (conflict.studentID == nil ? "pasi-only:" : "sis:") + key.recordKey + " "
                + key.arguments.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return SubjectAlert(subject: subject, record: record)
        }
    }

    /// PASI's string rule for a message: no runs of white space, nothing around it, at most 2,000 characters.
    static func oneLine(_ text: String) -> String {
        String(text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ").prefix(2_000))
    }
}
