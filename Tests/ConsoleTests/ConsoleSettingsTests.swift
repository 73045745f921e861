import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import JobQueue
import Migrations
import PASIModel
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// The seed's Synchronization Settings, Caller Information and Logs pages: grouped as the seed's,
/// each field with its range and default; an admin's change refused exactly as `pasisync settings
/// set` refuses it, the restart flag shown, every change in the audit log (old → new).
@Suite("console: Synchronization Settings, Caller Information, Logs")
struct ConsoleSettingsTests {
    @Test("each page holds its seed headings and fields with range, default and flags; a viewer reads them without a form")
    func pagesRender() async throws {
        try await ConsoleFixture.with { console in
            let viewer = try await console.login("viewer")
            let sync = try await console.get("/settings/synchronization", as: viewer)
            #expect(sync.status == .ok)
            for text in ["<h1>Synchronization Settings</h1>", "<h2>General</h2>", "<h2>Regular Synchronization</h2>",
                         "<h2>Hash Synchronization</h2>", "<h2>Threading</h2>", "<h2>Archiving</h2>",
                         "Maximum Attempts", "an integer from 1 to 100", "Process as District *", "restart needed",
                         "School Synchronization **", "one of 30, 60, 90, 120, 180, 365",
                         "Current School Year for Synchronization", "read-only", "aria-current=\"page\""] {
                #expect(sync.text.contains(text), "\(text)")
            }
            // A viewer gets no form to change a setting.
            #expect(!sync.text.contains("action=\"/settings/set\""))
            #expect(!sync.text.contains("<h2>Logs</h2>") && !sync.text.contains("<h2>Caller Information</h2>"))
            let caller = try await console.get("/settings/caller", as: viewer)
            for text in ["<h1>Caller Information</h1>", "Product", "Manufacturer", "Local ID", "Organization Code", "an authority code A.NNNN"] {
                #expect(caller.text.contains(text), "\(text)")
            }
            #expect(!caller.text.contains("Maximum Attempts"))
            let logs = try await console.get("/settings/logs", as: viewer)
            for text in ["<h1>Logs</h1>", "Synchronization Extract files", "Runtime Log", "one of Minimum, Normal, Maximum", "Messages Log"] {
                #expect(logs.text.contains(text), "\(text)")
            }
            #expect(try await console.get("/settings", as: viewer).headers[.location] == "/settings/synchronization")
            // An admin gets a form per field a person may set, none for a read-only one.
            let admin = try await console.login("admin")
            let edit = try await console.get("/settings/synchronization", as: admin)
            #expect(edit.text.contains("name=\"key\" value=\"maximum_attempts\""))
            #expect(edit.text.contains("type=\"number\" min=\"1\" max=\"100\" value=\"50\""))
            #expect(!edit.text.contains("name=\"key\" value=\"current_school_year\""))
            let editCaller = try await console.get("/settings/caller", as: admin)
            #expect(editCaller.text.contains("name=\"key\" value=\"organization_code\"") && !editCaller.text.contains("name=\"key\" value=\"product\""))
        }
    }

    @Test("an admin's change is made, answered as pasisync settings set answers, and audited old → new")
    func adminChanges() async throws {
        try await ConsoleFixture.with { console in
            let admin = try await console.login("admin")
            let changed = try await console.post("/settings/set", [("key", "maximum_attempts"), ("value", "60")], as: admin)
            #expect(changed.status == .ok)
            #expect(changed.text.contains("maximum_attempts = 60 (was 50)"))
            #expect(try await console.setting("maximum_attempts") == "60")
            #expect(try await console.database.scalar(
                "SELECT updated_by FROM sync.settings WHERE key = 'maximum_attempts'") as String == "console:admin")
            // The restart flag of a setting with the seed's asterisk.
            let restart = try await console.post("/settings/set", [("key", "process_as_district"), ("value", "off")], as: admin)
            #expect(restart.text.contains("process_as_district = off (was on); restart needed"))
            // Unchanged is said so.
            let same = try await console.post("/settings/set", [("key", "maximum_attempts"), ("value", "60")], as: admin)
            #expect(same.text.contains("maximum_attempts = 60 (unchanged)"))
            // A text setting of the Caller Information page answers on that page.
            let name = try await console.post("/settings/set", [("key", "name"), ("value", "Synthetic School Division")], as: admin)
            #expect(name.text.contains("<h1>Caller Information</h1>") && name.text.contains("name = Synthetic School Division (was &quot;&quot;)"))
            // Hash Synchronization on: its schedule follows (the settings' trigger).
            _ = try await console.post("/settings/set", [("key", "hash_synchronization"), ("value", "on")], as: admin)
            #expect(try await console.database.scalar("SELECT enabled FROM queue.schedules WHERE name = 'hash_sync'") as Bool)
            let audit = try await console.auditRows(action: "set setting")
            #expect(audit.map(\.target) == ["setting maximum_attempts", "setting process_as_district", "setting maximum_attempts",
                                            "setting name", "setting hash_synchronization"])
            #expect(audit.map(\.detail) == ["50 → 60", "on → off (restart needed)", "maximum_attempts = 60 (unchanged)",
                                            "\"\" → Synthetic School Division", "off → on"])
            #expect(audit.allSatisfy { $0.user == "admin" && $0.outcome == "done" })
        }
    }

    @Test("a value out of range, an unknown key and a read-only setting are refused with the words of pasisync settings set; nothing changes")
    func refusals() async throws {
        try await ConsoleFixture.with { console in
            let admin = try await console.login("admin")
            let cases: [(key: String, value: String, status: HTTPResponse.Status)] = [
                ("maximum_attempts", "0", .badRequest), ("maximum_attempts", "many", .badRequest),
                ("archive_events_older_than_days", "45", .badRequest), ("organization_code", "1234", .badRequest),
                ("no_such_setting", "1", .notFound), ("current_school_year", "2024-2025", .conflict),
            ]
            for item in cases {
                let expected: String
                do {
                    _ = try SettingsCatalogue.parseAssignment(key: item.key, text: item.value)
                    Issue.record("\(item.key) = \(item.value) was expected to be refused")
                    continue
                } catch let error as PASIModelError { expected = error.description }
                let refused = try await console.post("/settings/set", [("key", item.key), ("value", item.value)], as: admin)
                #expect(refused.status == item.status, "\(item.key)")
                #expect(refused.text.contains(Self.escaped(expected)), "\(item.key): \(expected)")
            }
            #expect(try await console.post("/settings/set", [("key", "maximum_attempts"), ("value", "0")], as: admin)
                .text.contains("maximum_attempts must be an integer from 1 to 100, got 0"))
            #expect(try await console.setting("maximum_attempts") == "50")
            #expect(try await console.setting("current_school_year") == "0000-0000")
            let audit = try await console.auditRows(action: "set setting")
            #expect(audit.count == cases.count + 1 && audit.allSatisfy { $0.outcome == "refused" })
            #expect(audit.first?.detail == "maximum_attempts must be an integer from 1 to 100, got 0")
        }
    }

    @Test("a viewer and an operator cannot change a setting; a form without the session's token is refused too")
    func onlyAdmins() async throws {
        try await ConsoleFixture.with { console in
            for name in ["viewer", "operator"] {
                let browser = try await console.login(name)
                let refused = try await console.post("/settings/set", [("key", "maximum_attempts"), ("value", "7")], as: browser)
                #expect(refused.status == .forbidden, "\(name)")
                #expect(refused.text.contains("may read but not set setting: that needs admin"))
            }
            let admin = try await console.login("admin")
            let forged = try await console.post("/settings/set", [("key", "maximum_attempts"), ("value", "7")], as: admin, csrf: "forged")
            #expect(forged.status == .forbidden)
            // An admin limited to some schools reads the district's settings but does not change them.
            try await ConsoleStore(client: console.database.client, logger: TestEnvironment.logger)
                .upsertUser(name: "limited-admin", role: .admin, passwordHash: ConsolePasswords.hash(ConsoleFixture.password, cost: 4), schools: ["1042"])
            let limitedAdmin = try await console.login("limited-admin")
            let readOnly = try await console.get("/settings/synchronization", as: limitedAdmin)
            #expect(readOnly.status == .ok && !readOnly.text.contains("action=\"/settings/set\""))
            let limited = try await console.post("/settings/set", [("key", "maximum_attempts"), ("value", "7")], as: limitedAdmin)
            #expect(limited.status == .forbidden)
            #expect(limited.text.contains("the settings are the whole district&#39;s"))
            #expect(try await console.setting("maximum_attempts") == "50")
            #expect(try await console.auditRows(action: "set setting").map(\.outcome) == ["refused", "refused", "refused", "refused"])
        }
    }

    @Test("the console's database role may change settings (their triggers included) and read schedules and workers, nothing more")
    func consoleRole() async throws {
        try await ConsoleFixture.with(consoleRole: true) { console in
            try await console.database.execute("""
                INSERT INTO queue.workers (id, host, pid, slots, kinds) VALUES ('db1:4242:a', 'db1', 4242, 10, '{noop}')
                """)
            let admin = try await console.login("admin")
            for (key, value) in [("maximum_attempts", "60"), ("hash_synchronization", "on"), ("hash_schedule", "Hourly"),
                                 ("start_delay_minutes", "7"), ("regular_synchronization", "on"), ("organization_code", "A.1445")] {
                let changed = try await console.post("/settings/set", [("key", key), ("value", value)], as: admin)
                #expect(changed.status == .ok, "\(key): \(changed.status)")
                #expect(try await console.setting(key) == value, "\(key)")
            }
            // The triggers ran as the console: the sync kinds follow Maximum Attempts, Regular Sync started.
            #expect(try await console.database.scalar("SELECT max_attempts FROM queue.job_kinds WHERE name = 'initial_sync'") as Int == 60)
            #expect(try await console.database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'regular_sync'") as Int == 1)
            #expect(try await console.database.scalar(
                "SELECT switched_by FROM sync.regular_synchronization_switched_on ORDER BY id DESC LIMIT 1") as String == "console:admin")
            for uri in ["/settings/synchronization", "/settings/caller", "/settings/logs", "/schedules", "/workers"] {
                let page = try await console.get(uri, as: admin)
                #expect(page.status == .ok, "\(uri): \(page.status)")
            }
            #expect(try await console.get("/workers", as: admin).text.contains("db1:4242:a"))
            #expect(try await console.get("/schedules", as: admin).text.contains("hourly at :30 from 04 to 21"))
        }
    }

    @Test("the role itself: a setting's value yes, its definition, a schedule or a worker no")
    func roleLimits() async throws {
        try await TestDatabase.with { database in
            try await ConsoleRoleProbe.with(database) { probe in
                try await probe.allowed("UPDATE sync.settings SET value = '42' WHERE key = 'maximum_attempts'")
                try await probe.allowed("SELECT count(*) FROM queue.schedule_list")
                try await probe.allowed("SELECT count(*) FROM queue.live_workers")
                try await probe.refused("UPDATE sync.settings SET default_value = '1' WHERE key = 'maximum_attempts'")
                try await probe.refused("UPDATE sync.settings SET read_only = false WHERE key = 'current_school_year'")
                try await probe.refused("INSERT INTO queue.schedules (name, kind, calendar) VALUES ('x', 'noop', 'daily at 02:00')")
                try await probe.refused("UPDATE queue.schedules SET enabled = true")
                try await probe.refused("DELETE FROM queue.workers")
                try await probe.refused("UPDATE queue.job_kinds SET max_attempts = 1")
                try await probe.refused("SELECT count(*) FROM queue.workers")
            }
        }
    }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&#39;")
    }
}

/// Schedules and Workers: what `pasisync schedules` prints and the workers alive.
@Suite("console: Schedules and Workers")
struct ConsoleClusterTests {
    @Test("the schedules page lists each schedule with its rule, status, next runs in the cluster's time zone and the settings it follows")
    func schedules() async throws {
        try await ConsoleFixture.with { console in
            let viewer = try await console.login("viewer")
            let page = try await console.get("/schedules", as: viewer)
            #expect(page.status == .ok)
            let store = QueueStore(client: console.database.client, logger: TestEnvironment.logger)
            let schedules = try await store.schedules()
            #expect(!schedules.isEmpty)
            for schedule in schedules {
                #expect(page.text.contains("<code>\(schedule.name)</code>"), "\(schedule.name)")
                #expect(page.text.contains(ConsoleSettingsTests.escaped(schedule.rule)), "\(schedule.rule)")
                if let next = schedule.nextRunLocal { #expect(page.text.contains(next), "\(schedule.name) next") }
            }
            let codeValues = try await store.upcomingRuns(of: "code_values", count: 3)
            #expect(page.text.contains(codeValues.joined(separator: ", ")))
            #expect(page.text.contains("hash_synchronization, hash_schedule") && page.text.contains("America/Edmonton"))
            #expect(page.text.contains("disabled"))
            #expect(page.text.contains("aria-current=\"page\">Schedules"))
        }
    }

    @Test("the workers page shows the live workers with host, pid, jobs running and last heartbeat; silent ones are left out")
    func workers() async throws {
        try await ConsoleFixture.with { console in
            try await console.database.execute("""
                INSERT INTO queue.workers (id, host, pid, slots, kinds, heartbeat_at) VALUES
                    ('app1:101:x', 'app1', 101, 10, '{noop}', now() - interval '2 seconds'),
                    ('app2:202:y', 'app2', 202, 4, '{noop}', now()),
                    ('gone:303:z', 'gone', 303, 10, '{noop}', now() - interval '5 minutes')
                """)
            try await console.database.execute("""
                INSERT INTO queue.jobs (kind, args, state, lease_owner, lease_expires_at, started_at, attempt)
                VALUES ('code_values', '{}', 'running', 'app1:101:x', now() + interval '1 minute', now(), 1),
                       ('end_of_year', '{}', 'running', 'app1:101:x', now() + interval '1 minute', now(), 1),
                       ('der_download', '{}', 'running', 'gone:303:z', now() + interval '1 minute', now(), 1)
                """)
            let viewer = try await console.login("viewer")
            let page = try await console.get("/workers", as: viewer)
            #expect(page.status == .ok)
            #expect(page.text.contains("<strong>2</strong> workers alive on 2 hosts: 2 jobs running in 14 slots."))
            #expect(page.text.contains("<tr><td>app1</td><td>101</td><td><code>app1:101:x</code></td><td>2</td><td>10</td>"))
            #expect(page.text.contains("<tr><td>app2</td><td>202</td><td><code>app2:202:y</code></td><td>0</td><td>4</td>"))
            #expect(!page.text.contains("gone:303:z"))
            #expect(page.text.contains("1 running jobs belong to no live worker"))
            #expect(page.text.contains(" s ago"))
        }
    }

    @Test("with no worker alive the page says how to start them")
    func noWorkers() async throws {
        try await ConsoleFixture.with { console in
            let page = try await console.get("/workers", as: try await console.login("operator"))
            #expect(page.text.contains("No worker has sent a heartbeat in the last 60 seconds"))
        }
    }
}

extension ConsoleFixture {
    /// A setting's stored value.
    func setting(_ key: String) async throws -> String {
        try await database.scalar("SELECT value FROM sync.settings WHERE key = \(key)")
    }

    /// The audit trail's rows of one action, oldest first.
    func auditRows(action: String) async throws -> [(user: String, target: String?, outcome: String, detail: String?)] {
        var rows: [(String, String?, String, String?)] = []
        for try await row in try await database.client.query(
            "SELECT user_name, target, outcome, detail FROM console.audit_trail WHERE action = \(action) ORDER BY id",
            logger: TestEnvironment.logger
        ).decode((String, String?, String, String?).self) { rows.append(row) }
        return rows
    }
}

/// A login of `pasisync_console` made for one test, to try statements as the console's role.
struct ConsoleRoleProbe {
    let database: TestDatabase
    let login: String

    static func with(_ database: TestDatabase, _ body: (ConsoleRoleProbe) async throws -> Void) async throws {
        let login = "t_probe_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await RoleAdministration(client: database.client, logger: TestEnvironment.logger).grant(.console, to: login)
        let probe = ConsoleRoleProbe(database: database, login: login)
        do {
            try await body(probe)
        } catch {
            try? await database.execute("DROP OWNED BY \(unescaped: login)")
            try? await database.execute("DROP ROLE \(unescaped: login)")
            throw error
        }
        try await database.execute("DROP OWNED BY \(unescaped: login)")
        try await database.execute("DROP ROLE \(unescaped: login)")
    }

    /// Runs `sql` as the login, in a transaction rolled back.
    private func attempt(_ sql: String) async throws -> PSQLError? {
        try await database.client.withConnection { connection in
            try await connection.query("BEGIN", logger: TestEnvironment.logger)
            try await connection.query("SET LOCAL ROLE \(unescaped: login)", logger: TestEnvironment.logger)
            var failure: PSQLError?
            do {
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestEnvironment.logger)
            } catch let error as PSQLError {
                failure = error
            }
            try await connection.query("ROLLBACK", logger: TestEnvironment.logger)
            return failure
        }
    }

    func allowed(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let failure = try await attempt(sql)
        #expect(failure == nil, "\(sql): \(failure?.serverInfo?[.message] ?? "")", sourceLocation: sourceLocation)
    }

    /// Refused for want of a privilege (not some other error).
    func refused(_ sql: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let failure = try await attempt(sql)
        #expect(failure?.serverInfo?[.sqlState] == "42501", "\(sql): \(failure?.serverInfo?[.message] ?? "allowed")",
                sourceLocation: sourceLocation)
    }
}
