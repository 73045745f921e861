public import Foundation
public import Logging
public import PASIModel
public import PostgresNIO

/// A setting with its stored value.
public struct StoredSetting: Sendable, Hashable {
    /// What the catalogue says of it.
    public let definition: SettingDefinition
    /// The value in `sync.settings`.
    public let value: SettingValue
    /// When the value last changed.
    public let updatedAt: Date
    /// Who changed it last: the `--by` of `settings set`, or the database user of a psql UPDATE.
    public let updatedBy: String

    /// Whether the value is the setting's default.
    public var isDefault: Bool { value == definition.defaultValue }
}

/// The outcome of ``SettingsStore/set(_:to:by:)``.
public struct SettingChange: Sendable, Hashable {
    /// The setting changed.
    public let definition: SettingDefinition
    /// The value before.
    public let previous: SettingValue
    /// The value now, in its canonical spelling.
    public let value: SettingValue

    /// Whether the value changed and the setting takes effect only after a restart (the seed's asterisk).
    public var needsRestart: Bool { definition.needsRestart && previous != value }
}

/// A problem with the stored settings themselves, as opposed to a refused value.
public struct SettingsStoreError: Error, Sendable, CustomStringConvertible {
    /// What is wrong and what to do about it.
    public let description: String

    init(_ description: String) { self.description = description }
}

/// Reads and writes `sync.settings`. Values are checked with ``PASIModel/SettingsCatalogue``
/// first, for a clear message; the database checks them again, so psql is held to the
/// same rules.
public struct SettingsStore: Sendable {
    /// The client every statement runs on.
    public let client: PostgresClient
    /// The logger statements log to.
    public let logger: Logger

    /// Creates a store.
    /// - Parameters:
    ///   - client: A running client.
    ///   - logger: The logger statements log to.
    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every setting, in the order of the seed's pages.
    /// - Throws: ``SettingsStoreError`` when a setting of the catalogue is missing or its stored
    ///   value no longer parses (the migrations are behind this binary); database errors.
    public func all() async throws -> [StoredSetting] {
        let rows = try await client.query(
            "SELECT key, value, updated_at, updated_by FROM sync.settings", logger: logger)
        var stored: [String: (String, Date, String)] = [:]
        for try await (key, value, updatedAt, updatedBy) in rows.decode((String, String, Date, String).self) {
            stored[key] = (value, updatedAt, updatedBy)
        }
        return try SettingsCatalogue.all.map { definition in
            guard let (text, updatedAt, updatedBy) = stored[definition.key.rawValue] else { throw missing(definition.key) }
            return StoredSetting(definition: definition, value: try storedValue(text, of: definition),
                                 updatedAt: updatedAt, updatedBy: updatedBy)
        }
    }

    /// The stored value of one setting.
    /// - Parameter key: The setting.
    /// - Throws: ``SettingsStoreError`` as ``all()``; database errors.
    public func value(of key: SettingKey) async throws -> SettingValue {
        let rows = try await client.query(
            "SELECT value FROM sync.settings WHERE key = \(key.rawValue)", logger: logger)
        for try await text in rows.decode(String.self) {
            return try storedValue(text, of: SettingsCatalogue.definition(for: key))
        }
        throw missing(key)
    }

    /// Starts the jobs that run for as long as their switch is on (Regular Synchronization's
    /// `regular_sync` and `pasi_data_available`) when the switch is on and no such job is live:
    /// workers call it at start, so a restart brings back one that failed for good.
    /// - Returns: How many jobs were started.
    @discardableResult
    public func startSwitchedJobs() async throws -> Int {
        let rows = try await client.query("SELECT sync.start_switched_jobs()", logger: logger)
        for try await started in rows.decode(Int.self) { return started }
        return 0
    }

    /// Changes a setting as a person asked (`pasisync settings set KEY VALUE`).
    /// - Parameters:
    ///   - key: The snake_case key, e.g. `maximum_attempts`.
    ///   - text: The value as typed; on/off, yes/no and a choice in any case are accepted.
    ///   - user: Who asked, recorded in `updated_by`.
    /// - Returns: The change, which says whether a restart is needed.
    /// - Throws: ``PASIModel/PASIModelError`` for an unknown key, a read-only setting or a value
    ///   outside what the setting allows, e.g. `maximum_attempts must be an integer from 1 to 100, got 0`;
    ///   ``SettingsStoreError``; database errors.
    public func set(_ key: String, to text: String, by user: String) async throws -> SettingChange {
        let value = try SettingsCatalogue.parseAssignment(key: key, text: text)
        return try await write(SettingsCatalogue.definition(for: key), value, by: user, asSoftware: false)
    }

    /// Changes a setting as the software itself, read-only ones included (the current school
    /// year, from PASI's accepted registration).
    /// - Parameters:
    ///   - key: The setting.
    ///   - value: The new value.
    ///   - process: What sets it, recorded in `updated_by`.
    /// - Returns: The change.
    /// - Throws: ``PASIModel/PASIModelError`` for a value the setting does not allow; database errors.
    @discardableResult
    public func setBySoftware(_ key: SettingKey, to value: SettingValue, by process: String) async throws -> SettingChange {
        let definition = SettingsCatalogue.definition(for: key)
        try definition.validate(value)
        return try await write(definition, value, by: process, asSoftware: true)
    }

    private func write(_ definition: SettingDefinition, _ value: SettingValue, by user: String, asSoftware: Bool) async throws -> SettingChange {
        let key = definition.key.rawValue
        let text = value.description
        let logger = logger
        let pair = try await client.inTransaction(logger: logger) { connection -> (String, String)? in
            if asSoftware {
                // Local to the transaction: lets sync.settings' trigger accept a read-only key.
                try await connection.query("SELECT set_config('pasisync.system', 'on', true)", logger: logger)
            }
            // Who changed it, kept by the trigger even when the same name changed it last time.
            try await connection.query("SELECT set_config('pasisync.updated_by', \(user), true)", logger: logger)
            let rows = try await connection.query("""
                UPDATE sync.settings AS s SET value = \(text), updated_by = \(user)
                FROM (SELECT key, value FROM sync.settings WHERE key = \(key) FOR UPDATE) AS old
                WHERE s.key = old.key
                RETURNING old.value, s.value
                """, logger: logger)
            for try await pair in rows.decode((String, String).self) { return pair }
            return nil
        }
        guard let (previous, stored) = pair else { throw missing(definition.key) }
        logger.debug("setting changed", metadata: ["key": "\(key)", "value": "\(stored)", "by": "\(user)"])
        return SettingChange(definition: definition, previous: try storedValue(previous, of: definition),
                             value: try storedValue(stored, of: definition))
    }

    private func storedValue(_ text: String, of definition: SettingDefinition) throws -> SettingValue {
        do {
            return try definition.parse(text)
        } catch {
            throw SettingsStoreError("sync.settings holds a value this binary refuses: \(error) (are the migrations current? run pasisync migrate)")
        }
    }

    private func missing(_ key: SettingKey) -> SettingsStoreError {
        SettingsStoreError("sync.settings has no row for \(key.rawValue): run pasisync migrate")
    }
}
