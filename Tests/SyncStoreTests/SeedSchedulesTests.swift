import Foundation
import JobQueue
import PASIModel
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// The seed's schedules, Maximum Attempts and Keep Synchronization History follow the settings,
/// whether a value changes through `SettingsStore` (`pasisync settings set`) or a psql UPDATE.
@Suite("The seed's schedules follow the settings")
struct SeedSchedulesTests {
    private struct Row: Equatable {
        var enabled: Bool
        var rule: String
        var nextLocal: String?
    }

    private func schedule(_ name: String, _ database: TestDatabase) async throws -> Row {
        let rows = try await database.client.query("""
            SELECT enabled, rule, to_char(next_run_at AT TIME ZONE 'America/Edmonton', 'HH24:MI') FROM queue.schedule_list WHERE name = \(name)
            """, logger: TestEnvironment.logger)
        for try await (enabled, rule, next) in rows.decode((Bool, String, String?).self) {
            return Row(enabled: enabled, rule: rule, nextLocal: next)
        }
        throw TestFailure("no schedule \(name)")
    }

    private func settings(_ database: TestDatabase) -> SettingsStore {
        SettingsStore(client: database.client, logger: TestEnvironment.logger)
    }

    @Test("a fresh installation: every seed schedule listed, the ones whose settings are off disabled")
    func defaults() async throws {
        try await TestDatabase.with { database in
            let expected = [
                "hash_sync": Row(enabled: false, rule: "daily at 01:00", nextLocal: nil),
                "automatic_reconciliation": Row(enabled: false, rule: "daily at 03:00", nextLocal: nil),
                "exam_marks_update": Row(enabled: false, rule: "monthly on 1 at 00:00", nextLocal: nil),
                "document_submission": Row(enabled: true, rule: "daily at 20:00", nextLocal: "20:00"),
                "archive_events": Row(enabled: false, rule: "daily at 02:00", nextLocal: nil),
                "code_values": Row(enabled: true, rule: "daily at 00:30", nextLocal: "00:30"),
            ]
            for (name, row) in expected {
                let found = try await schedule(name, database)
                #expect(found == row, "\(name)")
            }
        }
    }

    @Test("Hash Synchronization on, then Hourly, then off, by the command's store")
    func hashByCommand() async throws {
        try await TestDatabase.with { database in
            _ = try await settings(database).set("hash_synchronization", to: "on", by: "test")
            #expect(try await schedule("hash_sync", database) == Row(enabled: true, rule: "daily at 01:00", nextLocal: "01:00"))
            _ = try await settings(database).set("hash_schedule", to: "hourly", by: "test")
            let hourly = try await schedule("hash_sync", database)
            #expect(hourly.rule == "hourly at :30 from 04 to 21")
            #expect(hourly.nextLocal?.hasSuffix(":30") == true)
            let next = try await database.scalar("SELECT next_run_at FROM queue.schedules WHERE name = 'hash_sync'", as: Date.self)
            #expect(next > Date() && next <= Date().addingTimeInterval(24 * 3600))
            _ = try await settings(database).set("hash_synchronization", to: "off", by: "test")
            #expect(try await schedule("hash_sync", database).enabled == false)
        }
    }

    @Test("reconciliation, exam marks, document submission and archiving by psql UPDATEs")
    func othersByPsql() async throws {
        try await TestDatabase.with { database in
            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'automatic_reconciliation'")
            try await database.execute("UPDATE sync.settings SET value = 'Weekly' WHERE key = 'reconciliation_schedule_mode'")
            try await database.execute("UPDATE sync.settings SET value = '4:15' WHERE key = 'reconciliation_schedule_time'")
            #expect(try await schedule("automatic_reconciliation", database) == Row(enabled: true, rule: "weekly on sunday at 04:15", nextLocal: "04:15"))
            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'automatic_exam_marks_updates'")
            try await database.execute("UPDATE sync.settings SET value = 'Daily' WHERE key = 'exam_marks_schedule_mode'")
            #expect(try await schedule("exam_marks_update", database) == Row(enabled: true, rule: "daily at 00:00", nextLocal: "00:00"))
            try await database.execute("UPDATE sync.settings SET value = '21:45' WHERE key = 'document_submission_time'")
            #expect(try await schedule("document_submission", database) == Row(enabled: true, rule: "daily at 21:45", nextLocal: "21:45"))
            try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'daily_document_submission'")
            #expect(try await schedule("document_submission", database).enabled == false)
            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'archive_data_events'")
            #expect(try await schedule("archive_events", database).enabled == true)
        }
    }

    @Test("a seed schedule is changed through its settings, not by hand")
    func managedSchedulesRefuseEdits() async throws {
        try await TestDatabase.with { database in
            let refusal = await database.refusal("UPDATE queue.schedules SET enabled = true WHERE name = 'hash_sync'")
            #expect(refusal == #"schedule "hash_sync" follows the settings hash_synchronization, hash_schedule: change them instead"#)
            // Running one now is allowed: only next_run_at changes.
            try await database.execute("UPDATE queue.schedules SET next_run_at = now() WHERE name = 'code_values'")
        }
    }

    @Test("sync kinds take Maximum Attempts and Keep Synchronization History, now and when they change")
    func attemptsAndHistory() async throws {
        try await TestDatabase.with { database in
            let queue = QueueStore(client: database.client, logger: TestEnvironment.logger)
            try await queue.register(kinds: [
                KindRegistration(name: "code_values", title: "Code Values Download", maxAttempts: 25, timeoutSeconds: nil, family: "sync"),
                KindRegistration(name: "other", title: "Other", maxAttempts: 25, timeoutSeconds: nil),
            ])
            let attempts = "SELECT max_attempts || '/' || coalesce(keep_history::text, '-') FROM queue.job_kinds WHERE name = "
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: attempts + "'code_values'"), as: String.self) == "50/100")
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: attempts + "'other'"), as: String.self) == "25/-")
            _ = try await settings(database).set("maximum_attempts", to: "7", by: "test")
            try await database.execute("UPDATE sync.settings SET value = '30' WHERE key = 'keep_synchronization_history'")
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: attempts + "'code_values'"), as: String.self) == "7/30")
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: attempts + "'other'"), as: String.self) == "25/-")
            let id = try await queue.enqueue(NewJob(kind: "code_values")).id
            #expect(try await database.scalar("SELECT max_attempts FROM queue.jobs WHERE id = \(id)", as: Int.self) == 7)
            // A worker registering again cannot put back a stale value.
            try await queue.register(kinds: [
                KindRegistration(name: "code_values", title: "Code Values Download", maxAttempts: 25, timeoutSeconds: nil, family: "sync")])
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: attempts + "'code_values'"), as: String.self) == "7/30")
        }
    }

    @Test("a sync job that fails for good raises one Failure alert naming the job and its last error; others raise none")
    func failureAlert() async throws {
        try await TestDatabase.with { database in
            let queue = QueueStore(client: database.client, logger: TestEnvironment.logger)
            try await queue.register(kinds: [
                KindRegistration(name: "code_values", title: "Code Values Download", maxAttempts: 25, timeoutSeconds: nil, family: "sync")])
            let sync = try await queue.enqueue(NewJob(kind: "code_values", maxAttempts: 1)).id
            let plain = try await queue.enqueue(NewJob(kind: "noop", maxAttempts: 1)).id
            // What a worker's failure statement does at the last attempt.
            for id in [sync, plain] {
                try await database.execute("""
                    UPDATE queue.jobs SET state = 'failed', attempt = 1, finished_at = now(),
                        last_error = 'transient: PASI is unreachable:\n  connection refused' WHERE id = \(id)
                    """)
            }
            let alerts = try await AlertsStore(client: database.client, logger: TestEnvironment.logger).openAlerts()
            #expect(alerts.count == 1)
            let alert = try #require(alerts.first)
            #expect(alert.record.type == .failure)
            #expect(alert.record.statusType == .synchronization)
            #expect(alert.record.message == "Code Values Download (job \(sync)) failed after 1 of 1 attempts: transient: PASI is unreachable: connection refused")
            #expect(alert.record.arguments.values["job_id"] == "\(sync)")
        }
    }
}
