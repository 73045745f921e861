import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

/// `sync.settings` against `SettingsCatalogue`: the same keys, defaults and flags, and the
/// database's rule gives the same verdict as the catalogue's on every value tried.
@Suite("sync.settings table")
struct SettingsTableTests {
    @Test("after migrate, sync.settings holds every setting of the catalogue at its default, with the catalogue's definition")
    func rowsEqualCatalogue() async throws {
        try await TestDatabase.with { database in
            let stored = try await SettingRow.stored(in: database.client)
            let expected = SettingRow.catalogue
            #expect(stored.map(\.key) == expected.map(\.key),
                    "keys differ; the catalogue's rows, for a new migration:\n\(expected.map(\.description).joined(separator: ",\n"))")
            let storedByKey = Dictionary(uniqueKeysWithValues: stored.map { ($0.key, $0) })
            for row in expected {
                #expect(storedByKey[row.key] == row, "sync.settings differs from the catalogue; expected\n\(row)")
            }
        }
    }

    @Test("for every setting, the database accepts exactly what the catalogue accepts, stored in the catalogue's spelling")
    func databaseRuleMatchesCatalogue() async throws {
        try await TestDatabase.with { database in
            for definition in SettingsCatalogue.all {
                for candidate in Self.candidates(for: definition) {
                    let accepted = try? definition.parse(candidate)
                    let refusal = await Self.update(definition, to: candidate, in: database)
                    if let value = accepted {
                        #expect(refusal == nil, "\(definition.key.rawValue): the database refused \(candidate.debugDescription): \(refusal ?? "")")
                        if refusal == nil {
                            let stored = try await database.scalar(
                                "SELECT value FROM sync.settings WHERE key = \(definition.key.rawValue)", as: String.self)
                            #expect(stored == value.description, "\(definition.key.rawValue): stored \(candidate.debugDescription) as \(stored)")
                        }
                    } else {
                        let expected = "\(definition.key.rawValue) must be \(definition.allowed), got "
                        #expect(refusal?.hasPrefix(expected) == true,
                                "\(definition.key.rawValue): \(candidate.debugDescription) was not refused as \"\(expected)…\": \(refusal ?? "accepted")")
                    }
                }
            }
        }
    }

    @Test("a plain SQL UPDATE outside an integer setting's range names the key and the range")
    func rawUpdateOutOfRangeIsRefused() async throws {
        try await TestDatabase.with { database in
            let refusal = await database.refusal("UPDATE sync.settings SET value = '0' WHERE key = 'maximum_attempts'")
            #expect(refusal == "maximum_attempts must be an integer from 1 to 100, got 0")
            let kept = try await database.scalar("SELECT value FROM sync.settings WHERE key = 'maximum_attempts'", as: String.self)
            #expect(kept == "50")
        }
    }

    @Test("a read-only setting is refused from SQL, and accepted when the software sets it (pasisync.system)")
    func readOnlyKeyIsRefusedFromSQL() async throws {
        try await TestDatabase.with { database in
            for definition in SettingsCatalogue.all where definition.isReadOnly {
                let refusal = await database.refusal(
                    "UPDATE sync.settings SET value = \(definition.defaultValue.description + "x") WHERE key = \(definition.key.rawValue)")
                #expect(refusal == "\(definition.key.rawValue) is read-only: only the software sets it")
            }
            try await database.inTransaction([
                "SET LOCAL pasisync.system = 'on'",
                "UPDATE sync.settings SET value = '2025-2026' WHERE key = 'current_school_year'",
            ])
            let year = try await database.scalar("SELECT value FROM sync.settings WHERE key = 'current_school_year'", as: String.self)
            // The seed's spelling (issue 20 item 7), whichever was written.
            #expect(year == "2025-2026")
        }
    }

    @Test("keys cannot be added, removed or redefined from SQL")
    func keySetIsFixed() async throws {
        try await TestDatabase.with { database in
            let insert = await database.refusal("""
                INSERT INTO sync.settings (key, value, group_name, position, label, default_value, allowed, kind)
                VALUES ('extra', 'on', 'General', 999, 'Extra', 'on', 'on or off', 'bool')
                """)
            #expect(insert?.hasPrefix("settings cannot be added or removed") == true, "\(insert ?? "accepted")")
            let delete = await database.refusal("DELETE FROM sync.settings WHERE key = 'maximum_attempts'")
            #expect(delete?.hasPrefix("settings cannot be added or removed") == true, "\(delete ?? "accepted")")
            let truncate = await database.refusal("TRUNCATE sync.settings")
            #expect(truncate?.hasPrefix("settings cannot be removed") == true, "\(truncate ?? "accepted")")
            let widen = await database.refusal("UPDATE sync.settings SET max_value = 1000 WHERE key = 'maximum_attempts'")
            #expect(widen == "only the value of maximum_attempts can change: its definition comes from the migrations")
            let count = try await database.scalar("SELECT count(*)::int FROM sync.settings", as: Int.self)
            #expect(count == SettingsCatalogue.all.count)
        }
    }

    @Test("an UPDATE stores the canonical spelling and records when and by whom")
    func updateIsStamped() async throws {
        try await TestDatabase.with { database in
            try await database.execute("UPDATE sync.settings SET value = 'ON' WHERE key = 'regular_synchronization'")
            let stamped = try await database.scalar("""
                SELECT value = 'on' AND updated_by = session_user AND updated_at > now() - interval '1 minute'
                FROM sync.settings WHERE key = 'regular_synchronization'
                """, as: Bool.self)
            #expect(stamped)
        }
    }

    /// Tries `candidate` with a plain UPDATE (as the software for read-only keys, whose
    /// refusal is tested apart); returns the database's message, or nil when it was accepted.
    static func update(_ definition: SettingDefinition, to candidate: String, in database: TestDatabase) async -> String? {
        let key = definition.key.rawValue
        do {
            try await database.inTransaction([
                "SELECT set_config('pasisync.system', \(definition.isReadOnly ? "on" : "off"), true)",
                "UPDATE sync.settings SET value = \(candidate) WHERE key = \(key)",
            ])
            return nil
        } catch let error as PSQLError {
            return error.serverInfo?[.message] ?? "\(error)"
        } catch {
            return "\(error)"
        }
    }

    /// Values on and just beyond every edge of a setting's rule.
    static func candidates(for definition: SettingDefinition) -> [String] {
        let general = ["", " ", "nonsense", "0", "1", "-1"]
        switch definition.type {
        case .bool:
            return general + ["on", "off", "ON", "true", "no", "enabled", " yes ", "2", "onn"]
        case .integer(let range):
            let (low, high) = (range.lowerBound, range.upperBound)
            return general + ["\(low - 1)", "\(low)", "\(high)", "\(high + 1)", " \(low) ", "+\(high)", "1.5", "99999999999999999999"]
        case .integerChoice(let values):
            let between = values.first! + 1
            return general + values.map(String.init) + ["\(values.min()! - 1)", "\(values.max()! + 1)", "\(between)"]
        case .choice(let values):
            return general + values + values.map { $0.lowercased() } + values.map { " \($0.uppercased()) " } + [values[0] + "x"]
        case .timeOfDay:
            return general + ["00:00", "23:59", "24:00", "12:60", "3:00", " 07:30 ", "7:5", "12-30", "123:00"]
        case .text(.pasiString(let maxLength)):
            return general + [String(repeating: "x", count: maxLength), String(repeating: "x", count: maxLength + 1),
                              " lead", "trail ", "two  spaces", "one space", "tab\there", "\u{00A0}nbsp", "ctl\u{7}",
                              String(repeating: "😀", count: maxLength / 2 + 1)]
        case .text(.authorityCode):
            return general + ["A.0001", "A.9999", "S.0001", "A.001", "a.0001", " A.0001", "A.00012"]
        case .schoolYear:
            return general + ["0000-0000", "2018/2019", "2018-2019", "2018/2020", "1903/1904", "1904/1905", "2099/2100",
                              "2100/2101", "18/19"]
        }
    }
}

