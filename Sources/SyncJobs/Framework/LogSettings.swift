import Foundation
public import Logging
public import ServiceLifecycle
public import SyncStore
import PASIModel
import Synchronization

/// The seed's Logs settings as a worker process applies them, read live (every few seconds by
/// ``LogSettingsFollower``; no restart needed):
/// - Runtime Log → the process's log level (``runtimeLevel(forSetting:)``);
/// - Synchronization Log on → every sync job logs its start, each progress step and its end;
/// - Messages Log on → the SOAP request and answer of each PASI call are kept in
///   `sync.message_log` beside its ClientMessageID row (which is written for every call, always);
/// - Events Log → what regular synchronization logs per data event (``EventsLog``).
public struct LogSettings: Sendable, Hashable {
    public var runtimeLevel: Logger.Level
    public var synchronizationLog: Bool
    public var messagesLog: Bool
    public var eventsLevel: EventsLog.Level

    /// The seed's defaults: Minimum, off, off, Minimum.
    public static let seedDefaults = LogSettings(runtimeLevel: .info, synchronizationLog: false, messagesLog: false, eventsLevel: .minimum)

    public init(runtimeLevel: Logger.Level, synchronizationLog: Bool, messagesLog: Bool, eventsLevel: EventsLog.Level) {
        self.runtimeLevel = runtimeLevel
        self.synchronizationLog = synchronizationLog
        self.messagesLog = messagesLog
        self.eventsLevel = eventsLevel
    }

    /// The process log level of a Runtime Log value: Minimum → info (the process's life, each
    /// job's failures and retries, schedules firing: no personal data), Normal → debug (adds the
    /// queue's and stores' detail), Maximum → trace (adds every library's trace, the database
    /// driver's included, which may show the values of statements). The seed elides its list.
    public static func runtimeLevel(forSetting text: String) -> Logger.Level {
        switch text.lowercased() {
        case "normal": .debug
        case "maximum": .trace
        default: .info
        }
    }

    /// Reads the four settings.
    public static func read(from settings: SettingsStore) async throws -> LogSettings {
        func text(_ key: SettingKey) async throws -> String { try await settings.value(of: key).description }
        return LogSettings(
            runtimeLevel: runtimeLevel(forSetting: try await text(.runtimeLogLevel)),
            synchronizationLog: try await settings.value(of: .synchronizationLog) == .bool(true),
            messagesLog: try await settings.value(of: .messagesLog) == .bool(true),
            eventsLevel: EventsLog.Level(rawValue: try await text(.eventsLogLevel)) ?? .minimum)
    }
}

/// The Logs settings last read, shared by a process's jobs and its PASI client.
public final class LogSettingsCache: Sendable {
    private let value = Mutex(LogSettings.seedDefaults)

    public init() {}

    public var current: LogSettings { value.withLock { $0 } }

    func update(_ settings: LogSettings) -> Bool {
        value.withLock { held in
            defer { held = settings }
            return held != settings
        }
    }
}

/// Reads the Logs settings every ``interval`` into the environment's ``SyncEnvironment/logs``
/// and hands a changed Runtime Log level to `onRuntimeLevel` (the process's log handler).
public struct LogSettingsFollower: Service {
    let environment: SyncEnvironment
    let interval: Duration
    let onRuntimeLevel: @Sendable (Logger.Level) -> Void

    public init(environment: SyncEnvironment, interval: Duration = .seconds(2), onRuntimeLevel: @escaping @Sendable (Logger.Level) -> Void) {
        self.environment = environment
        self.interval = interval
        self.onRuntimeLevel = onRuntimeLevel
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            var first = true
            while !Task.isCancelled {
                do {
                    let read = try await LogSettings.read(from: environment.settings)
                    if environment.logs.update(read) || first { onRuntimeLevel(read.runtimeLevel) }
                    first = false
                } catch {
                    // Before `pasisync migrate`, or the database away: keep what was read last.
                    environment.logger.debug("cannot read the Logs settings: \(error)")
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}

/// What regular synchronization logs per data event, by the Events Log setting:
/// Minimum → nothing per event (the job's counts only); Normal → one line per event: its id,
/// table, row key (a SIS id, no personal data), operation and what became of it; Maximum → also
/// the changed columns and the detail (PASI's messages, which may quote the record's values).
/// The lines are notices, so they show at every Runtime Log level once asked for.
public struct EventsLog: Sendable, Hashable {
    public enum Level: String, Sendable, Hashable, CaseIterable {
        case minimum = "Minimum", normal = "Normal", maximum = "Maximum"
    }

    public let level: Level

    public init(level: Level) { self.level = level }

    /// The line for an event handled with `status` (Sent, Rejected, …), or `nil` at Minimum.
    public func line(for event: DataEvent, status: String, detail: String? = nil) -> String? {
        switch level {
        case .minimum:
            return nil
        case .normal:
            return "data event \(event.id) \(event.tableName):\(event.rowKey) \(event.operation.rawValue) → \(status)"
        case .maximum:
            let columns = event.changedColumns.isEmpty ? "" : " [\(event.changedColumns.joined(separator: ","))]"
            return "data event \(event.id) \(event.tableName):\(event.rowKey) \(event.operation.rawValue)\(columns) → \(status)"
                + (detail.map { ": \($0)" } ?? "")
        }
    }

    /// The line for what became of one record's folded events (regular synchronization sends a
    /// record's latest state once for all its pending events), or `nil` at Minimum.
    public func line(for outcome: OutboundOutcome) -> String? {
        guard level != .minimum else { return nil }
        let change = outcome.change
        let status: String
        let detail: String?
        switch outcome {
        case .sent(_, let accepted): (status, detail) = ("Sent", "PASI version \(accepted.version)")
        case .skipped(_, let reason): (status, detail) = ("Skipped", reason)
        case .rejected(_, let alert): (status, detail) = ("Rejected", alert.message)
        case .conflict(_, let alert, _): (status, detail) = ("Conflict", alert.message)
        case .retry(_, let attempts, _, let error): (status, detail) = ("Pending, attempt \(attempts) to retry", error)
        case .failed(_, let alert): (status, detail) = ("Failed", alert.message)
        }
        let events = change.eventIDs.map(String.init).joined(separator: ",")
        let head = "data event(s) \(events) \(change.subject)\(change.isDeleted ? " D" : change.wasInserted ? " I" : " U")"
        guard level == .maximum else { return "\(head) → \(status)" }
        let columns = change.changedColumns.isEmpty ? "" : " [\(change.changedColumns.sorted().joined(separator: ","))]"
        return "\(head)\(columns) → \(status)" + (detail.map { ": \($0)" } ?? "")
    }

    /// Logs ``line(for:)-(OutboundOutcome)`` when there is one.
    public func record(_ outcome: OutboundOutcome, logger: Logger) {
        if let line = line(for: outcome) { logger.notice("\(line)") }
    }

    /// Logs ``line(for:status:detail:)`` when there is one.
    public func record(_ event: DataEvent, status: String, detail: String? = nil, logger: Logger) {
        if let line = line(for: event, status: status, detail: detail) { logger.notice("\(line)") }
    }
}
