import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import SyncStore

/// One batch of a download (Load Local Copy, Hash Synchronization): the records of one
/// notification type with these ids, fetched with PASI's Get service (the current version of
/// each) and stored in the local PASI store, in one transaction that also marks the batch
/// finished and moves the download's progress. A batch already finished is not fetched again, so
/// a worker killed mid-way costs at most the batch it held.
public struct PASIDownload: SyncJob {
    public struct Arguments: Codable, Sendable, Hashable {
        /// The Load Local Copy or Hash Synchronization this batch serves.
        public var rootJob: Int64
        /// `Student`, `StudentSchoolEnrolment.2026`, `StudentStatus`, …
        public var type: String
        /// The records' ids as the feed writes them.
        public var ids: [String]

        public init(rootJob: Int64, type: String, ids: [String]) {
            self.rootJob = rootJob
            self.type = type
            self.ids = ids
        }

        enum CodingKeys: String, CodingKey {
            case rootJob = "root_job", type, ids
        }
    }

    public static let kind = "pasi_download"
    public static let title = "PASI Download – Batch"

    /// Ids per batch: a Get request of this many GUID keys stays well under PASI's 65,536-byte limit.
    static let batchSize = 400

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: Arguments, context: SyncJobContext) async throws {
        let type: NotificationType
        do {
            type = try NotificationType(arguments.type)
        } catch {
            throw JobError.permanent("\(error)")
        }
        guard !arguments.ids.isEmpty, arguments.ids.count <= 5_000 else {
            throw JobError.permanent("a download batch holds 1 to 5000 ids, this one \(arguments.ids.count)")
        }
        let downloads = environment.downloads
        if try await downloads.isFinished(jobID: context.job.id) {
            context.logger.info("download batch already stored", metadata: ["type": "\(type)"])
            return
        }
        let fetched = try await Self.fetch(type, ids: arguments.ids, from: try await context.pasi())
        let store = environment.pasiStore
        let message = try await context.withTransaction { transaction in
            let connection = transaction.connection
            var outcome = DownloadBatchOutcome(stored: 0, refused: 0, missing: fetched.missing.count)
            switch fetched.content {
            case .records(let records):
                let result = try await store.store(records, on: connection)
                outcome.stored = result.stored
                outcome.refused = result.refused.count
            case .statuses(let statuses):
                outcome.stored = try await store.storeStatuses(statuses, on: connection)
                outcome.refused = statuses.count - outcome.stored
            }
            // What PASI no longer holds (deleted, or no longer visible) leaves the local copy.
            if let entity = PASIEntityType(rawValue: type.name.rawValue) {
                try await store.delete(entity, ids: fetched.missing, on: connection)
            } else if type.name.rawValue.hasSuffix("Status") {
                try await store.deleteStatuses(of: type, ids: fetched.missing, on: connection)
            }
            guard try await downloads.finish(jobID: context.job.id, outcome, on: connection) else { return nil as String? }
            let progress = try await downloads.progressForMessage(rootJobID: arguments.rootJob, on: connection)
            let text = Self.describe(progress)
            try await transaction.queue.addProgress(toJob: arguments.rootJob, done: Int64(arguments.ids.count), message: text, on: connection)
            return "\(type): \(outcome.stored) stored, \(outcome.refused) kept newer, \(outcome.missing) not available"
        }
        if let message { try await context.progress(done: Int64(arguments.ids.count), total: Int64(arguments.ids.count), message: message) }
    }

    /// "Student 12,000 of 100,000 · StudentSchoolEnrolment.2026 3,200 of 95,000".
    static func describe(_ progress: [DownloadProgress]) -> String {
        progress.map { "\($0.notificationType) \($0.done.grouped) of \($0.items.grouped)" }.joined(separator: " · ")
    }

    // MARK: - Fetching

    enum Content: Sendable {
        case records([any PASIRecord])
        case statuses([ValidationStatusRecord])
    }

    struct Fetched: Sendable {
        var content: Content
        /// Ids PASI did not return a current record for (deleted, unknown, no access).
        var missing: [String]
    }

    /// Gets the current version of every id, a Get call per `batchSize` ids.
    static func fetch(_ type: NotificationType, ids: [String], from pasi: any PASICoreService) async throws -> Fetched {
        if let recordType = RecordType(rawValue: type.name.rawValue) {
            return try await fetchRecords(recordType.recordSwiftType, ids: ids, from: pasi)
        }
        guard type.name.rawValue.hasSuffix("Status"),
              let recordType = RecordType(rawValue: String(type.name.rawValue.dropLast("Status".count))) else {
            throw JobError.permanent("\(type) is not a type this client downloads")
        }
        var statuses: [ValidationStatusRecord] = []
        var missing: [String] = []
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            let keys = ids[start..<min(start + batchSize, ids.count)].map { GetStatusesRequest.Key($0, knownSourceVersion: 0) }
            for status in try await pasi.getStatuses(recordType, keys) {
                if status.sourceVersion == 0 { missing.append(status.id); continue }
                statuses.append(ValidationStatusRecord(type: type, id: status.id, version: status.sourceVersion,
                                                       alertsJSON: try alertsJSON(status.alert)))
            }
        }
        return Fetched(content: .statuses(statuses), missing: missing)
    }

    private static func fetchRecords<R: PASIRecord>(_ type: R.Type, ids: [String], from pasi: any PASICoreService) async throws -> Fetched {
        var records: [any PASIRecord] = []
        var missing: [String] = []
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            let keys = ids[start..<min(start + batchSize, ids.count)].map { GetRecordsRequest.Key($0) }
            for item in try await pasi.get(R.self, keys) {
                if let record = item.record, item.availabilityStatus == .normal, !item.isDeleted {
                    records.append(record)
                } else {
                    missing.append(item.id)
                }
            }
        }
        return Fetched(content: .records(records), missing: missing)
    }

    /// A status's alerts as `pasi.validation_statuses.alerts` keeps them.
    static func alertsJSON(_ alerts: [StatusAlert]) throws -> String {
        struct Stored: Encodable {
            let alertCode: String, severity: String, message: String?, acknowledgementStatus: String, arguments: [String: String]
        }
        let stored = alerts.map {
            Stored(alertCode: $0.alertCode, severity: $0.severity.rawValue, message: $0.message,
                   acknowledgementStatus: $0.acknowledgementStatus.rawValue, arguments: $0.arguments.values)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(stored), as: UTF8.self)
    }
}
