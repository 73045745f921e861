import Foundation
import PasisyncTesting
import PostgresNIO
import Testing

/// Retention on real workers (issue 22, item 5): what is older than its Keep … setting goes, and
/// exactly that; `pasisync run retention` as a person runs it, and the daily schedule is on.
@Suite("Retention", .serialized)
struct RetentionProcessTests {
    @Test("retention deletes exactly what is past each Keep … setting: message bodies, messages, job files, archived events, finished jobs")
    func retentionDeletesWhatIsPastItsAge() async throws {
        try await TestDatabase.with { database in
            try await SyncJobProcessTests.registerKinds(database)
            for (key, days) in [("keep_message_bodies_days", 10), ("keep_messages_log_days", 40), ("keep_job_files_days", 20),
                                ("keep_archived_events_days", 60), ("keep_finished_jobs_days", 30)] {
                try await database.execute("UPDATE sync.settings SET value = \(String(days)) WHERE key = \(key)")
            }
            // Every row lies half a step away from any cut-off, so the seconds between this set-up and the
            // job's cut-offs cannot move one across.
            // The messages log: 7,000 calls, 100 a day, back 70 days (two batches of bodies), each with its bodies.
            try await database.execute("""
                INSERT INTO sync.message_log (client_message_id, operation, sent_at, outcome, request_body, response_body)
                SELECT gen_random_uuid(), 'GetStudent', now() - (i - 0.5) * interval '1 day' / 100, 'Success', '<request/>', '<answer/>'
                FROM generate_series(1, 7000) AS i
                """)
            try await database.execute("""
                INSERT INTO sync.job_files (job_id, name, content, created_at)
                SELECT i, 'file.tab', 'x', now() - (i - 0.5) * interval '1 day' FROM generate_series(1, 30) AS i
                """)
            try await database.execute("""
                INSERT INTO sync.data_events_archive (id, table_name, row_key, operation, occurred_at, archived_at)
                SELECT i, 'sis.students', i::text, 'U', now() - interval '400 days', now() - (i - 0.5) * interval '1 day'
                FROM generate_series(1, 90) AS i
                """)
            // Finished jobs 1 to 45 days ago; a running parent's old finished child stays.
            try await database.execute("""
                INSERT INTO queue.jobs (kind, state, finished_at, attempt)
                SELECT 'noop', (ARRAY['completed', 'failed', 'cancelled']::queue.job_state[])[1 + i % 3], now() - (i - 0.5) * interval '1 day', 1
                FROM generate_series(1, 45) AS i
                """)
            let parent = try await database.scalar(
                "INSERT INTO queue.jobs (kind, state, started_at, attempt, lease_owner, lease_expires_at) VALUES ('noop', 'running', now(), 1, 'elsewhere', now() + interval '1 hour') RETURNING id",
                as: Int64.self)
            try await database.execute("""
                INSERT INTO queue.jobs (kind, state, finished_at, attempt, parent_id) VALUES ('noop', 'completed', now() - interval '50 days', 1, \(parent))
                """)
            let expected = (
                bodies: try await database.scalar("SELECT count(*)::int FROM sync.message_log WHERE sent_at >= now() - interval '10 days'", as: Int.self),
                messages: try await database.scalar("SELECT count(*)::int FROM sync.message_log WHERE sent_at >= now() - interval '40 days'", as: Int.self))

            try await withWorkers(1, database, slots: 2) { _ in
                let output = try await MaintenanceProcessTests.run(["retention"], database)
                #expect(output.contains("completed"), "\(output)")
            }

            #expect(try await database.scalar("SELECT count(*)::int FROM sync.message_log WHERE request_body IS NOT NULL OR response_body IS NOT NULL", as: Int.self)
                    == expected.bodies)
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.message_log", as: Int.self) == expected.messages)
            #expect(try await database.scalar("SELECT min(sent_at) >= now() - interval '40 days 1 minute' FROM sync.message_log", as: Bool.self))
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.job_files", as: Int.self) == 20)
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events_archive", as: Int.self) == 60)
            // The finished noop jobs younger than 30 days, the running parent and its old child.
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'noop' AND state <> 'running' AND parent_id IS NULL", as: Int.self) == 30)
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE parent_id = \(parent)", as: Int.self) == 1)
            let message = try await database.scalar(
                "SELECT progress_message FROM queue.job_list WHERE kind = 'retention' ORDER BY id DESC LIMIT 1", as: String.self)
            #expect(message.hasPrefix("message bodies: \((7000 - expected.bodies).formatted(.number.grouping(.automatic).locale(Locale(identifier: "en_US")))) older than 10 days"), "\(message)")
            #expect(message.contains("job files: 10 older than 20 days") && message.contains("archived events: 30 older than 60 days")
                    && message.contains("finished jobs: 15 older than 30 days") && message.hasSuffix(" deleted"), "\(message)")
            #expect(try await database.scalar("SELECT enabled FROM queue.schedules WHERE name = 'retention'", as: Bool.self))
        }
    }
}
