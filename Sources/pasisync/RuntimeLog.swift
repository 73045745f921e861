import Logging
import Synchronization

/// The process's log level when no `--log-level` is given: the Runtime Log setting, which a
/// worker follows live (``SyncJobs/LogSettingsFollower``); info until it is read, the level of
/// Minimum, the seed's default.
enum RuntimeLog {
    private static let code = Atomic<UInt8>(level(.info))

    static var current: Logger.Level { Logger.Level.allCases[Int(code.load(ordering: .relaxed))] }

    static func set(_ level: Logger.Level) { code.store(Self.level(level), ordering: .relaxed) }

    private static func level(_ level: Logger.Level) -> UInt8 {
        UInt8(Logger.Level.allCases.firstIndex(of: level) ?? 2)
    }
}

/// Writes to stderr at the level `--log-level` fixed (a logger whose level was set) or, without
/// one, at ``RuntimeLog/current``, read at every line.
struct RuntimeLogHandler: LogHandler {
    private var stream: StreamLogHandler
    private var fixed: Logger.Level?

    init(label: String) {
        stream = StreamLogHandler.standardError(label: label)
        stream.logLevel = .trace  // the filtering is done here
    }

    var logLevel: Logger.Level {
        get { fixed ?? RuntimeLog.current }
        set { fixed = newValue }
    }

    var metadata: Logger.Metadata {
        get { stream.metadata }
        set { stream.metadata = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { stream.metadataProvider }
        set { stream.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { stream[metadataKey: key] }
        set { stream[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        stream.log(event: event)
    }
}
