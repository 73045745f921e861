import PASIModel

/// The seed's Threading settings (and Keep Synchronization History), as the cluster starts with
/// them: how many worker processes, how many jobs each runs at once, how much history to keep.
public struct ThreadingSettings: Sendable, Equatable {
    public var singleThreading: Bool
    public var threadCountFactor: Int
    public var processes: Int
    public var keepHistory: Int

    /// Jobs one worker process runs at once: the thread count factor, or 1 in single-threading mode.
    public var slotsPerProcess: Int { singleThreading ? 1 : threadCountFactor }

    /// The seed's defaults, from the catalogue: single threading off, factor 10, 10 processes, 100 kept.
    public static var seedDefaults: ThreadingSettings {
        ThreadingSettings(
            singleThreading: bool(SettingsCatalogue.definition(for: .singleThreading).defaultValue),
            threadCountFactor: integer(SettingsCatalogue.definition(for: .threadCountFactor).defaultValue),
            processes: integer(SettingsCatalogue.definition(for: .processes).defaultValue),
            keepHistory: integer(SettingsCatalogue.definition(for: .keepSynchronizationHistory).defaultValue))
    }

    public init(singleThreading: Bool, threadCountFactor: Int, processes: Int, keepHistory: Int) {
        self.singleThreading = singleThreading
        self.threadCountFactor = threadCountFactor
        self.processes = processes
        self.keepHistory = keepHistory
    }

    static func bool(_ value: SettingValue) -> Bool {
        if case .bool(let on) = value { return on }
        preconditionFailure("a boolean setting holds \(value)")
    }

    static func integer(_ value: SettingValue) -> Int {
        if case .integer(let number) = value { return number }
        preconditionFailure("an integer setting holds \(value)")
    }
}

extension SettingsStore {
    /// The Threading settings as stored in `sync.settings`.
    public func threading() async throws -> ThreadingSettings {
        ThreadingSettings(
            singleThreading: ThreadingSettings.bool(try await value(of: .singleThreading)),
            threadCountFactor: ThreadingSettings.integer(try await value(of: .threadCountFactor)),
            processes: ThreadingSettings.integer(try await value(of: .processes)),
            keepHistory: ThreadingSettings.integer(try await value(of: .keepSynchronizationHistory)))
    }
}
