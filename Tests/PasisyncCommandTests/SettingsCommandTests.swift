import PASIModel
import PostgresNIO
import Testing
import PasisyncTesting

/// The real `pasisync settings` binary.
@Suite("pasisync settings")
struct SettingsCommandTests {
    @Test("settings set maximum_attempts 0 exits non-zero with the allowed range on stderr, and changes nothing")
    func setOutOfRangeFails() async throws {
        try await TestDatabase.with { database in
            let run = try await CommandRun.pasisync(["settings", "set", "maximum_attempts", "0"], database: database)
            #expect(run.status != 0)
            #expect(run.stderr.contains("maximum_attempts must be an integer from 1 to 100, got 0"), "stderr: \(run.stderr)")
            let kept = try await database.scalar("SELECT value FROM sync.settings WHERE key = 'maximum_attempts'", as: String.self)
            #expect(kept == "50")
        }
    }

    @Test("settings set of a read-only key exits non-zero and says so")
    func setReadOnlyFails() async throws {
        try await TestDatabase.with { database in
            let run = try await CommandRun.pasisync(["settings", "set", "current_school_year", "2025/2026"], database: database)
            #expect(run.status != 0)
            #expect(run.stderr.contains("current_school_year is read-only"), "stderr: \(run.stderr)")
        }
    }

    @Test("settings set process_as_district off says a restart is needed")
    func setRestartSetting() async throws {
        try await TestDatabase.with { database in
            let run = try await CommandRun.pasisync(["settings", "set", "process_as_district", "off", "--by", "tester"], database: database)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("process_as_district = off (was on)"), "stdout: \(run.stdout)")
            #expect(run.stdout.contains("restart needed"), "stdout: \(run.stdout)")
            let plain = try await CommandRun.pasisync(["settings", "set", "maximum_attempts", "20"], database: database)
            #expect(plain.status == 0, "stderr: \(plain.stderr)")
            #expect(!plain.stdout.contains("restart needed"), "stdout: \(plain.stdout)")
        }
    }

    @Test("settings show prints every heading of the seed's pages and every setting")
    func showPrintsGroups() async throws {
        try await TestDatabase.with { database in
            _ = try await CommandRun.pasisync(["settings", "set", "maximum_attempts", "20"], database: database)
            let run = try await CommandRun.pasisync(["settings", "show"], database: database)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map(String.init)
            for group in SettingGroup.allCases {
                #expect(lines.contains(group.rawValue), "no heading \(group.rawValue) in:\n\(run.stdout)")
            }
            for definition in SettingsCatalogue.all {
                #expect(lines.contains { $0.contains(" \(definition.key.rawValue) ") }, "no line for \(definition.key.rawValue)")
            }
            let attempts = lines.first { $0.contains(" maximum_attempts ") } ?? ""
            #expect(attempts.contains(" 20 ") && attempts.contains("(default: 50)"), "\(attempts)")
            let year = lines.first { $0.contains(" current_school_year ") } ?? ""
            #expect(year.contains("(read-only)"), "\(year)")
            let district = lines.first { $0.contains(" process_as_district ") } ?? ""
            #expect(district.contains("(restart needed)"), "\(district)")
        }
    }
}
