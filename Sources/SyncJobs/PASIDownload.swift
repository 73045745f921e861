import Foundation
import JobQueue
import Logging
import PASIContract
import PASICore
import PASIModel
import PostgresNIO
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
        /// The records' ids, only in jobs enqueued before migration 0034: the ids are now in the
        /// batch's row of `sync.download_batches`, since `queue.jobs` holds no personal data.
        public var ids: [String]?

        public init(rootJob: Int64, type: String) {
            self.rootJob = rootJob
            self.type = type
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
        let downloads = environment.downloads
        if try await downloads.isFinished(jobID: context.job.id) {
            context.logger.info("download batch already stored", metadata: ["type": "\(type)"])
            return
        }
        let ids: [String]
        if let carried = arguments.ids { ids = carried } else { ids = try await downloads.ids(ofBatch: context.job.id) }
        guard !ids.isEmpty, ids.count <= 5_000 else {
            throw JobError.permanent("a download batch holds 1 to 5000 ids, this one \(ids.count)")
        }
        let fetched = try await Self.fetch(type, ids: ids, from: try await context.pasi(), store: environment.pasiStore)
        let store = environment.pasiStore
        let jobID = context.job.id
        let message = try await context.withTransaction { transaction in
            let connection = transaction.connection
            let outcome = try await fetched.keep(type, in: store, jobID: jobID, on: connection)
            guard try await downloads.finish(jobID: context.job.id, outcome, on: connection) else { return nil as String? }
            let progress = try await downloads.progressForMessage(rootJobID: arguments.rootJob, on: connection)
            let text = Self.describe(progress)
            try await transaction.queue.addProgress(toJob: arguments.rootJob, done: Int64(ids.count), message: text, on: connection)
            return "\(type): \(outcome.stored) stored, \(outcome.refused) kept newer, \(outcome.missing) deleted by PASI, "
                + "\(outcome.noAccess) No Access, \(outcome.unknown) Unknown (kept, marked)"
        }
        if let message { try await context.progress(done: Int64(ids.count), total: Int64(ids.count), message: message) }
    }

    /// "Student 12,000 of 100,000 (3 deleted by PASI, 2 No Access) · StudentSchoolEnrolment.2026 3,200 of 95,000":
    /// what PASI deleted left the local copy; what it answered No Access or Unknown to stays, marked.
    static func describe(_ progress: [DownloadProgress]) -> String {
        progress.map { type in
            let outcomes = [(type.deleted, "deleted by PASI"), (type.noAccess, "No Access"), (type.unknown, "Unknown")]
                .filter { $0.0 > 0 }.map { "\($0.0.grouped) \($0.1)" }
            return "\(type.notificationType) \(type.done.grouped) of \(type.items.grouped)"
                + (outcomes.isEmpty ? "" : " (" + outcomes.joined(separator: ", ") + ")")
        }.joined(separator: " · ")
    }

    // MARK: - Fetching

    enum Content: Sendable {
        case records([any PASIRecord])
        case statuses([ValidationStatusRecord])
    }

    /// What PASI answered for a batch of ids, sorted by what the local store does with each.
    struct Fetched: Sendable {
        var content: Content
        /// Ids PASI deleted (Normal with `IsDeleted`): the only ones that leave the local copy.
        var deleted: [String] = []
        /// Records PASI deleted that carry their own `IsDeleted` (a school enrolment created in
        /// error): stored with the flag, as PASI keeps them and its hash list counts them.
        var deletedKept = 0
        /// Ids PASI answered No Access or Unknown to: access outcomes, not deletions
        /// (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_school_enrolment_2018.html).
        /// The local copy stays, marked (`pasi.record_availability`), and is no longer synchronized.
        var unavailable: [(id: String, availability: AvailabilityStatus)] = []
        /// Ids PASI answered Normal to: a mark on them goes.
        var available: [String] = []
        /// Source records a status Get brought with the statuses (newer than the local copy's), by type.
        var sources: [any PASIRecord] = []

        /// Stores, deletes and marks what was fetched, on `connection`.
        func keep(_ type: NotificationType, in store: PASIStore, jobID: Int64?, on connection: PostgresConnection) async throws -> DownloadBatchOutcome {
            var outcome = DownloadBatchOutcome(stored: 0, refused: 0, missing: deleted.count + deletedKept)
            switch content {
            case .records(let records):
                let result = try await store.store(records, on: connection)
                outcome.stored = result.stored
                outcome.refused = result.refused.count
            case .statuses(let statuses):
                outcome.stored = try await store.storeStatuses(statuses, on: connection)
                outcome.refused = statuses.count - outcome.stored
                // The source records that came with their statuses need no Get of their own.
                _ = try await store.store(sources, on: connection)
            }
            let name = type.name.rawValue
            if let entity = RecordType(rawValue: name) {
                try await store.delete(entity, ids: deleted, on: connection)
            } else {
                try await store.deleteStatuses(of: type, ids: deleted, on: connection)
            }
            try await store.clearUnavailable(recordType: name, ids: available, on: connection)
            var seen = Set<String>()
            let marks = unavailable.filter { seen.insert($0.id).inserted }
                .map { UnavailableRecord(recordType: name, id: $0.id, availability: $0.availability.rawValue) }
            try await store.markUnavailable(marks, jobID: jobID, on: connection)
            outcome.noAccess = unavailable.count { $0.availability == .noAccess }
            outcome.unknown = unavailable.count { $0.availability == .unknown }
            return outcome
        }
    }

    /// Gets the current version of every id, a Get call per `batchSize` ids (more when PASI stops
    /// at a version mismatch: ``PASICore/GetRounds``). A status type's statuses are asked with the
    /// local store's version of each source record as `KnownSourceVersion`, so a newer source
    /// record comes back with its status (known_source_version.html).
    static func fetch(_ type: NotificationType, ids: [String], from pasi: any PASICoreService, store: PASIStore) async throws -> Fetched {
        if let recordType = RecordType(rawValue: type.name.rawValue) {
            return try await fetchRecords(recordType.recordSwiftType, ids: ids, from: pasi)
        }
        guard type.name.rawValue.hasSuffix("Status"),
              let recordType = RecordType(rawValue: String(type.name.rawValue.dropLast("Status".count))) else {
            throw JobError.permanent("\(type) is not a type this client downloads")
        }
        let known = try await store.versions(of: recordType, ids: ids)
        return try await fetchStatuses(recordType.recordSwiftType, type, ids: ids, known: known, from: pasi)
    }

    private static func fetchRecords<R: PASIRecord>(_ type: R.Type, ids: [String], from pasi: any PASICoreService) async throws -> Fetched {
        var fetched = Fetched(content: .records([]))
        var records: [any PASIRecord] = []
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            let keys = ids[start..<min(start + batchSize, ids.count)].map { GetRecordsRequest.Key($0) }
            for item in try await pasi.getAll(R.self, keys) {
                switch item.availabilityStatus {
                case .normal:
                    fetched.available.append(item.id)
                    if item.isDeleted, var carrier = item.record as? any CarriesIsDeleted {
                        // Created in Error: the record stays, flagged (a 2020-endpoint school enrolment).
                        carrier.isDeleted = true
                        records.append(carrier as? R ?? item.record!)
                        fetched.deletedKept += 1
                    } else if item.isDeleted {
                        fetched.deleted.append(item.id)
                    } else if let record = item.record {
                        records.append(record)
                    }
                case .noAccess, .unknown:
                    fetched.unavailable.append((item.id, item.availabilityStatus))
                }
            }
        }
        fetched.content = .records(records)
        return fetched
    }

    private static func fetchStatuses<R: PASIRecord>(_ type: R.Type, _ statusType: NotificationType, ids: [String], known: [String: Int64],
                                                     from pasi: any PASICoreService) async throws -> Fetched {
        var fetched = Fetched(content: .statuses([]))
        var statuses: [ValidationStatusRecord] = []
        for start in stride(from: 0, to: ids.count, by: batchSize) {
            let keys = ids[start..<min(start + batchSize, ids.count)].map {
                GetStatusesRequest.Key($0, knownSourceVersion: known[$0] ?? 0)
            }
            for item in try await pasi.getAllStatuses(R.self, keys) {
                let status = item.status
                switch status.availabilityStatus {
                case .noAccess, .unknown:
                    fetched.unavailable.append((status.id, status.availabilityStatus))
                    continue
                case .normal:
                    fetched.available.append(status.id)
                }
                if let source = item.sourceRecord?.record, item.sourceRecord?.isDeleted == false { fetched.sources.append(source) }
                // No status in PASI (version 0): nothing to hold.
                if status.pasiCoreVersion == 0 { fetched.deleted.append(status.id); continue }
                statuses.append(ValidationStatusRecord(type: statusType, id: status.id, version: status.pasiCoreVersion,
                                                       alertsJSON: try alertsJSON(status.alert)))
            }
        }
        fetched.content = .statuses(statuses)
        return fetched
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
