import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("SettingsStore")
struct SettingsStoreTests {
    @Test("all() returns every setting of the catalogue, in order, at its default after migrate")
    func allAreDefaults() async throws {
        try await TestDatabase.with { database in
            let settings = try await SettingsStore(client: database.client, logger: TestEnvironment.logger).all()
            #expect(settings.map(\.definition) == SettingsCatalogue.all)
            for setting in settings {
                #expect(setting.value == setting.definition.defaultValue, "\(setting.definition.key.rawValue)")
                #expect(setting.isDefault)
            }
        }
    }

    @Test("set() stores a valid value in its canonical spelling, and value(of:) reads it back")
    func setStoresValue() async throws {
        try await TestDatabase.with { database in
            let store = SettingsStore(client: database.client, logger: TestEnvironment.logger)
            let change = try await store.set("hash_schedule", to: "hourly", by: "tester")
            #expect(change.previous == .text("Daily"))
            #expect(change.value == .text("Hourly"))
            #expect(!change.needsRestart)
            #expect(try await store.value(of: .hashSchedule) == .text("Hourly"))
            let by = try await database.scalar("SELECT updated_by FROM sync.settings WHERE key = 'hash_schedule'", as: String.self)
            #expect(by == "tester")
        }
    }

    @Test("set() refuses a value just outside every ranged or listed setting, naming the key and what it allows")
    func setRefusesOutOfRange() async throws {
        try await TestDatabase.with { database in
            let store = SettingsStore(client: database.client, logger: TestEnvironment.logger)
            for definition in SettingsCatalogue.all where !definition.isReadOnly {
                for candidate in Self.outside(definition) {
                    let error = await #expect(throws: PASIModelError.self) {
                        try await store.set(definition.key.rawValue, to: candidate, by: "tester")
                    }
                    #expect(error?.description == "\(definition.key.rawValue) must be \(definition.allowed), got \(candidate)")
                }
                let kept = try await store.value(of: definition.key)
                #expect(kept == definition.defaultValue)
            }
            let error = await #expect(throws: PASIModelError.self) { try await store.set("maximum_attempts", to: "0", by: "tester") }
            #expect(error?.description == "maximum_attempts must be an integer from 1 to 100, got 0")
        }
    }

    @Test("set() refuses read-only and unknown keys; setBySoftware() sets a read-only one")
    func readOnlyAndUnknown() async throws {
        try await TestDatabase.with { database in
            let store = SettingsStore(client: database.client, logger: TestEnvironment.logger)
            await #expect(throws: PASIModelError.self) { try await store.set("current_school_year", to: "2025/2026", by: "tester") }
            await #expect(throws: PASIModelError.self) { try await store.set("no_such_setting", to: "1", by: "tester") }
            let year = try SchoolYear("2025/2026")
            try await store.setBySoftware(.currentSchoolYear, to: .schoolYear(year), by: "accepted-registration")
            #expect(try await store.value(of: .currentSchoolYear) == .schoolYear(year))
        }
    }

    @Test("changing an asterisk setting reports that a restart is needed")
    func restartNeeded() async throws {
        try await TestDatabase.with { database in
            let store = SettingsStore(client: database.client, logger: TestEnvironment.logger)
            let change = try await store.set("process_as_district", to: "off", by: "tester")
            #expect(change.needsRestart)
            let again = try await store.set("process_as_district", to: "off", by: "tester")
            #expect(!again.needsRestart, "an unchanged value needs no restart")
        }
    }

    /// Integer values just beyond the range, or next to the listed ones; a word not listed.
    static func outside(_ definition: SettingDefinition) -> [String] {
        switch definition.type {
        case .integer(let range): ["\(range.lowerBound - 1)", "\(range.upperBound + 1)"]
        case .integerChoice(let values): ["\(values.min()! - 1)", "\(values.max()! + 1)"]
        default: []
        }
    }
}
