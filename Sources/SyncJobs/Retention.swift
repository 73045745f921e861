import Foundation
import JobQueue
import Logging
import PASIModel
import SyncStore

/// Retention: deletes the personal data the software keeps for itself once it is older than its
/// Keep … setting (the Retention group of the settings, docs/maintenance.md): the bodies of the
/// messages log, the messages log's rows, job files, archived data events and finished jobs. Daily
/// (the `retention` schedule, always on) and on demand (`pasisync run retention`).
///
/// Each kind goes in batches of ``batchSize``, each its own short statement, oldest first; the
/// progress counts them. A killed or cancelled run has kept what it deleted, and the next run
/// deletes the rest. One cut-off per kind for the whole attempt, so the batches converge.
public struct Retention: SyncJob {
    public typealias Arguments = NoArguments
    public static let kind = "retention"
    public static let title = "Retention – Manual"
    public static let scheduledTitle: String? = "Retention"
    /// Rows per statement.
    static let batchSize = 5_000

    /// What is deleted, with the setting that says after how many days, in the order it runs.
    enum Step: CaseIterable {
        case messageBodies, messages, jobFiles, archivedEvents, finishedJobs

        var setting: SettingKey {
            switch self {
            case .messageBodies: .keepMessageBodiesDays
            case .messages: .keepMessagesLogDays
            case .jobFiles: .keepJobFilesDays
            case .archivedEvents: .keepArchivedEventsDays
            case .finishedJobs: .keepFinishedJobsDays
            }
        }

        var label: String {
            switch self {
            case .messageBodies: "message bodies"
            case .messages: "messages"
            case .jobFiles: "job files"
            case .archivedEvents: "archived events"
            case .finishedJobs: "finished jobs"
            }
        }
    }

    let environment: SyncEnvironment

    public init(environment: SyncEnvironment) {
        self.environment = environment
    }

    public func run(_ arguments: NoArguments, context: SyncJobContext) async throws {
        let retention = RetentionStore(client: environment.client, logger: context.logger)
        let queue = QueueStore(client: environment.client, logger: context.logger)
        var done: [(Step, days: Int, deleted: Int)] = []
        for step in Step.allCases {
            guard case .integer(let days) = try await environment.settings.value(of: step.setting) else {
                throw JobError.permanent("\(step.setting.rawValue) holds no number of days")
            }
            let cutoff = Date().addingTimeInterval(-Double(days) * 86_400)
            var deleted = 0
            while true {
                try Task.checkCancellation()
                let batch = switch step {
                case .messageBodies: try await retention.deleteBatch(.messageBodies, before: cutoff, limit: Self.batchSize)
                case .messages: try await retention.deleteBatch(.messages, before: cutoff, limit: Self.batchSize)
                case .jobFiles: try await retention.deleteBatch(.jobFiles, before: cutoff, limit: Self.batchSize)
                case .archivedEvents: try await retention.deleteBatch(.archivedEvents, before: cutoff, limit: Self.batchSize)
                case .finishedJobs: try await queue.deleteFinished(before: cutoff, limit: Self.batchSize)
                }
                if batch == 0 { break }
                deleted += batch
                try await context.progress(done: Int64(done.count), total: Int64(Step.allCases.count),
                                           message: Self.message(done + [(step, days, deleted)]))
            }
            done.append((step, days, deleted))
            try await context.progress(done: Int64(done.count), total: Int64(Step.allCases.count), message: Self.message(done))
        }
        context.logger.info("retention done", metadata: Dictionary(uniqueKeysWithValues: done.map {
            ($0.0.setting.rawValue, "\($0.deleted) older than \($0.days) days")
        }).mapValues { .string($0) })
    }

    /// "message bodies: 1,200 older than 30 days · messages: 0 older than 400 days · …".
    static func message(_ done: [(Step, days: Int, deleted: Int)]) -> String {
        done.map { "\($0.0.label): \($0.deleted.grouped) older than \($0.days) days" }.joined(separator: " · ")
            + (done.count == Step.allCases.count ? " deleted" : "")
    }
}
