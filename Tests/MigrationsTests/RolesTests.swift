import Foundation
import JobQueue
import Migrations
import PostgresNIO
import Testing
import PasisyncTesting

/// The database roles of docs/roles.md: what each may read and do, and the guards that hold for
/// the roles that must not pass them (issue 22, items 1 and 2).
@Suite("Database roles")
struct RolesTests {
    /// Runs `body` with a client logged in as a new login that holds `role` (trust authentication
    /// in the test cluster); the login is dropped afterwards. Roles belong to the whole cluster, so
    /// each test makes logins of its own.
    private static func asLogin<T>(_ role: PasisyncRole, in database: TestDatabase,
                                   _ body: (Login) async throws -> T) async throws -> T {
        let login = "t_\(role.rawValue)_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        try await RoleAdministration(client: database.client, logger: TestEnvironment.logger).grant(role, to: login)
        var components = URLComponents(string: database.url)!
        components.user = login
        let client = PostgresClient(configuration: try DatabaseURL.parse(components.string!), backgroundLogger: TestEnvironment.logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let result = try await body(Login(client: client))
        runner.cancel()
        _ = await runner.value
        // DROP OWNED first: the grants a login holds in this database would keep DROP ROLE from working.
        try await database.execute("DROP OWNED BY \(unescaped: login)")
        try await database.execute("DROP ROLE \(unescaped: login)")
        return result
    }

    /// A client logged in as one role's login.
    struct Login {
        let client: PostgresClient

        /// PostgreSQL's message when the statements (one transaction) fail, or nil when they pass.
        func refusal(_ queries: PostgresQuery...) async -> String? {
            do {
                try await client.withTransaction(logger: TestEnvironment.logger) { connection in
                    for query in queries { try await connection.query(query, logger: TestEnvironment.logger) }
                }
                return nil
            } catch let error as PostgresTransactionError {
                if let error = error.closureError as? PSQLError { return error.serverInfo?[.message] ?? "\(error)" }
                return "\(error)"
            } catch {
                return "\(error)"
            }
        }

        func expectAllowed(_ query: PostgresQuery, sourceLocation: SourceLocation = #_sourceLocation) async {
            let refusal = await refusal(query)
            #expect(refusal == nil, "\(query.sql): \(refusal ?? "")", sourceLocation: sourceLocation)
        }

        func expectDenied(_ query: PostgresQuery, sourceLocation: SourceLocation = #_sourceLocation) async {
            let refusal = await refusal(query)
            #expect(refusal?.contains("permission denied") == true || refusal?.contains("must be owner") == true,
                    "\(query.sql): expected permission denied, got \(refusal ?? "acceptance")", sourceLocation: sourceLocation)
        }
    }

    /// An open alert PASI raised on a student's validation status: its acknowledgement goes to PASI.
    private static func insertCoreAlert(_ database: TestDatabase) async throws -> Int64 {
        try await database.scalar("""
            INSERT INTO sync.core_alerts (alert_type, status_type, severity, alert_code, ref_id, message)
            VALUES ('Warning', 'Student', 'Warning', 'DEM-1', '123456782', 'Check the phone')
            RETURNING id
            """, as: Int64.self)
    }

    @Test("the monitor role reads the queue's counts and progress, and nothing that holds personal data")
    func monitor() async throws {
        try await TestDatabase.with { database in
            try await Self.asLogin(.monitor, in: database) { monitor in
                for view in ["queue.kind_counts", "queue.job_progress", "queue.live_workers", "queue.schedule_list",
                             "sync.download_progress", "sync.data_event_backlog", "sync.data_event_outcomes",
                             "sync.hash_sync_status", "sync.message_outcomes", "sync.open_alert_counts"] {
                    await monitor.expectAllowed("SELECT * FROM \(unescaped: view)")
                }
                for table in ["sis.students", "pasi.students", "pasi.student_names", "sync.message_log", "sync.job_files",
                              "sync.core_alerts", "sync.open_alerts", "queue.jobs", "queue.job_list", "sync.data_events",
                              "sync.settings"] {
                    await monitor.expectDenied("SELECT * FROM \(unescaped: table)")
                }
                await monitor.expectDenied("INSERT INTO queue.jobs (kind) VALUES ('noop')")
            }
        }
    }

    @Test("the worker role reads and writes the tables and may not change the schema or empty a table")
    func worker() async throws {
        try await TestDatabase.with { database in
            try await Self.asLogin(.worker, in: database) { worker in
                await worker.expectAllowed("INSERT INTO queue.jobs (kind) VALUES ('noop')")
                await worker.expectAllowed("SELECT * FROM sis.students")
                await worker.expectAllowed("DELETE FROM pasi.students")
                await worker.expectAllowed("INSERT INTO sync.message_log (client_message_id, operation, sent_at, outcome) VALUES (gen_random_uuid(), 'GetCodeValues', now(), 'Success')")
                await worker.expectDenied("CREATE TABLE sync.extra (id int)")
                await worker.expectDenied("CREATE TABLE public.extra (id int)")
                await worker.expectDenied("ALTER TABLE sis.students ADD COLUMN extra int")
                await worker.expectDenied("DROP VIEW queue.kind_counts")
                await worker.expectDenied("TRUNCATE sis.students")
                await worker.expectDenied("CREATE OR REPLACE FUNCTION sync.trusted_caller() RETURNS boolean LANGUAGE sql AS 'SELECT true'")
            }
        }
    }

    @Test("the operator role runs processes, acknowledges and deletes alerts and changes settings, and nothing more")
    func `operator`() async throws {
        try await TestDatabase.with { database in
            let alert = try await Self.insertCoreAlert(database)
            try await Self.asLogin(.operator, in: database) { person in
                await person.expectAllowed("INSERT INTO queue.jobs (kind) VALUES ('noop')")
                await person.expectAllowed("UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE id = \(alert)")
                await person.expectAllowed("UPDATE sync.settings SET value = 'Hourly' WHERE key = 'hash_schedule'")
                await person.expectAllowed("SELECT * FROM sis.students JOIN pasi.students ON pasi.students.ref_id = sis.students.asn")
                await person.expectAllowed("DELETE FROM sync.core_alerts WHERE id = \(alert)")
                await person.expectDenied("DELETE FROM sis.students")
                await person.expectDenied("UPDATE pasi.students SET pasi_core_version = 1")
                await person.expectDenied("UPDATE sync.settings SET read_only = false WHERE key = 'current_school_year'")
                await person.expectDenied("DELETE FROM sync.message_log")
                await person.expectDenied("CREATE TABLE sync.extra (id int)")
            }
            // The settings change ran sync.apply_schedules as the owner: the schedule follows it.
            let calendar = try await database.scalar("SELECT calendar FROM queue.schedules WHERE name = 'hash_sync'", as: String.self)
            #expect(calendar.hasPrefix("hourly"))
        }
    }

    @Test("the console role reads what the console's pages show and does what they offer, and nothing more")
    func console() async throws {
        try await TestDatabase.with { database in
            let alert = try await Self.insertCoreAlert(database)
            let student = try await database.addStudent(number: 100_001, asn: "123456782")
            // One message that names the student's ASN in its body, one that does not.
            try await database.execute("""
                INSERT INTO sync.message_log (client_message_id, operation, sent_at, outcome, request_body)
                VALUES (gen_random_uuid(), 'SubmitStudent', now(), 'Success', '<ASN>123456782</ASN><LastName>Doe</LastName>'),
                       (gen_random_uuid(), 'GetCodeValues', now(), 'Success', '<Request/>')
                """)
            try await Self.asLogin(.console, in: database) { console in
                // The pages: the queue, the alerts, a student's page, the metrics, its own schema.
                for read in ["queue.job_list", "queue.jobs", "queue.kind_counts", "queue.cluster", "sync.core_alerts",
                             "sync.settings", "sis.schools", "pasi.schools", "sis.students", "sis.enrolments", "pasi.students",
                             "pasi.student_names", "pasi.student_addresses", "pasi.student_phones", "pasi.school_enrolments",
                             "sync.student_matches", "sync.enrolment_matches", "sync.data_events", "sync.data_events_archive",
                             "sync.data_event_backlog", "sync.open_alert_counts", "console.users", "console.audit_trail",
                             // The settings, schedules, workers, process, validation and reconciliation pages.
                             "queue.schedule_list", "queue.schedules", "queue.live_workers", "sync.file_list", "sync.job_files",
                             "console.reconciliations", "sync.diploma_section_facts"] {
                    await console.expectAllowed("SELECT * FROM \(unescaped: read) LIMIT 1")
                }
                await console.expectAllowed("INSERT INTO queue.jobs (kind) VALUES ('noop')")
                await console.expectAllowed("UPDATE queue.jobs SET cancel_requested = true WHERE kind = 'noop'")
                await console.expectAllowed("UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE id = \(alert)")
                await console.expectAllowed("DELETE FROM sync.core_alerts WHERE id = \(alert)")
                await console.expectAllowed("INSERT INTO console.audit_log (user_name, action, outcome) VALUES ('ann', 'run', 'done')")
                await console.expectAllowed("INSERT INTO console.sessions (token_sha256, user_id, csrf_token, expires_at) SELECT '\\x00', id, 'x', now() FROM console.users")
                await console.expectAllowed("DELETE FROM console.sessions")
                // An admin's change of a setting's value, a school's Update Integration Status.
                await console.expectAllowed("UPDATE sync.settings SET value = 'Hourly' WHERE key = 'hash_schedule'")
                await console.expectAllowed("UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE false")
                // The messages about a student, without their bodies.
                let found = try await console.client.query(
                    "SELECT operation FROM sync.messages_about('123456782', 100)", logger: TestEnvironment.logger
                ).collect().map { try $0.decode(String.self) }
                #expect(found == ["SubmitStudent"])

                // Nothing a page does not show: the message bodies, marks, courses, documents, the workers' table.
                for table in ["sync.message_log", "sis.courses", "sis.stored_grades", "sis.course_enrolments",
                              "sis.student_record_documents", "pasi.evaluated_marks", "pasi.course_enrolments",
                              "pasi.student_record_documents", "sync.outbound_in_flight", "sync.initial_sync_lines",
                              "queue.workers"] {
                    await console.expectDenied("SELECT * FROM \(unescaped: table)")
                }
                // No change but its actions: not the SIS, the PASI store, settings, schedules, users or the audit log.
                await console.expectDenied("UPDATE sis.students SET last_name = 'X' WHERE id = \(student)")
                await console.expectDenied("DELETE FROM sis.students")
                await console.expectDenied("UPDATE pasi.students SET pasi_core_version = 1")
                await console.expectDenied("UPDATE sync.settings SET default_value = 'Hourly' WHERE key = 'hash_schedule'")
                await console.expectDenied("UPDATE queue.schedules SET enabled = true")
                await console.expectDenied("UPDATE sis.schools SET name = 'X'")
                await console.expectDenied("INSERT INTO queue.schedules (name, kind, calendar) VALUES ('x', 'noop', 'daily at 01:00')")
                await console.expectDenied("DELETE FROM queue.jobs")
                await console.expectDenied("INSERT INTO console.users (name, role, password_hash) VALUES ('eve', 'admin', '$2b$04$x')")
                await console.expectDenied("UPDATE console.users SET role = 'admin'")
                await console.expectDenied("UPDATE console.audit_log SET outcome = 'done'")
                await console.expectDenied("DELETE FROM console.audit_log")
                await console.expectDenied("SELECT * FROM console.audit_log")
                // No DDL, no TRUNCATE.
                await console.expectDenied("TRUNCATE queue.jobs")
                await console.expectDenied("TRUNCATE console.audit_log")
                await console.expectDenied("CREATE TABLE console.extra (id int)")
                await console.expectDenied("CREATE TABLE sync.extra (id int)")
                await console.expectDenied("DROP VIEW console.audit_trail")
            }
        }
    }

    /// A sync job waiting on a no-op job; returns (the no-op's id, the waiting job's id).
    private static func insertWaitingSyncJob(_ database: TestDatabase) async throws -> (Int64, Int64) {
        try await database.execute("""
            INSERT INTO queue.job_kinds (name, title, family) VALUES ('t_sync', 'Test Sync', 'sync') ON CONFLICT (name) DO NOTHING
            """)
        let first: Int64 = try await database.scalar("INSERT INTO queue.jobs (kind) VALUES ('noop') RETURNING id")
        let waiting: Int64 = try await database.scalar(
            "INSERT INTO queue.jobs (kind, depends_on) VALUES ('t_sync', ARRAY[\(first)]::bigint[]) RETURNING id")
        // The insert trigger holds it back until the no-op finishes.
        #expect(try await database.scalar("SELECT state::text FROM queue.jobs WHERE id = \(waiting)", as: String.self) == "waiting")
        return (first, waiting)
    }

    /// Cancelling a job fails the sync jobs waiting on it, and a trigger that runs as the person who
    /// cancelled writes their Failure alert. The trigger turns an error into a WARNING (the job's
    /// state must be written whatever happens to its alert), so a role without INSERT on
    /// sync.core_alerts would lose the alert without a word: the alert itself is what is checked.
    @Test("a cancel by the operator or the console fails the sync jobs waiting on it and their Failure alert is written",
          arguments: [PasisyncRole.operator, .console])
    func cancelWritesFailureAlert(role: PasisyncRole) async throws {
        try await TestDatabase.with { database in
            let (first, waiting) = try await Self.insertWaitingSyncJob(database)
            try await Self.asLogin(role, in: database) { person in
                await person.expectAllowed("""
                    UPDATE queue.jobs SET state = 'cancelled', finished_at = now() WHERE id = \(first) AND state = 'pending'
                    """)
            }
            #expect(try await database.scalar("SELECT state::text FROM queue.jobs WHERE id = \(waiting)", as: String.self) == "failed")
            let alerts = try await database.scalar("""
                SELECT count(*)::int FROM sync.core_alerts WHERE alert_type = 'Failure' AND alert_code = 'JOB_FAILED' AND job_id = \(waiting)
                """, as: Int.self)
            #expect(alerts == 1, "the Failure alert of job \(waiting), failed by a cancel of \(role.roleName)")
            // Written by the trigger as the owner: the role itself still may not raise an alert.
            try await Self.asLogin(role, in: database) { person in
                await person.expectDenied("""
                    INSERT INTO sync.core_alerts (alert_type, status_type, alert_code, message) VALUES ('Failure', 'Synchronization', 'X', 'forged')
                    """)
            }
        }
    }

    @Test("a read-only setting stays read-only for an operator who sets pasisync.system, and the worker may set it")
    func readOnlySettingsGuard() async throws {
        try await TestDatabase.with { database in
            try await Self.asLogin(.operator, in: database) { person in
                let refusal = await person.refusal(
                    "SELECT set_config('pasisync.system', 'on', true)",
                    "UPDATE sync.settings SET value = '2030/2031' WHERE key = 'current_school_year'")
                #expect(refusal?.contains("read-only") == true, "\(refusal ?? "accepted")")
                let schedule = await person.refusal(
                    "SELECT set_config('pasisync.system', 'on', true)",
                    "UPDATE queue.schedules SET enabled = NOT enabled WHERE name = 'hash_sync'")
                #expect(schedule?.contains("follows the settings") == true, "\(schedule ?? "accepted")")
            }
            try await Self.asLogin(.worker, in: database) { worker in
                await worker.expectAllowed("SELECT set_config('pasisync.system', 'on', true)")
                let refusal = await worker.refusal(
                    "SELECT set_config('pasisync.system', 'on', true)",
                    "UPDATE sync.settings SET value = '2030/2031' WHERE key = 'current_school_year'")
                #expect(refusal == nil, "\(refusal ?? "")")
            }
            #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'current_school_year'", as: String.self) == "2030-2031")
        }
    }

    @Test("pasisync.origin = 'pasi' silences data events only for the worker: an operator's acknowledgement still reaches PASI")
    func originGuard() async throws {
        try await TestDatabase.with { database in
            let alert = try await Self.insertCoreAlert(database)
            let events: PostgresQuery = "SELECT count(*)::int FROM sync.data_events WHERE table_name = 'sync.core_alerts' AND row_key = \(String(alert))"
            try await Self.asLogin(.operator, in: database) { person in
                await person.expectAllowed("SELECT set_config('pasisync.origin', 'pasi', true)")
                let refusal = await person.refusal(
                    "SELECT set_config('pasisync.origin', 'pasi', true)",
                    "UPDATE sync.core_alerts SET acknowledgement = 'In Progress' WHERE id = \(alert)")
                #expect(refusal == nil, "\(refusal ?? "")")
            }
            #expect(try await database.scalar(events, as: Int.self) == 1)
            try await Self.asLogin(.worker, in: database) { worker in
                let refusal = await worker.refusal(
                    "SELECT set_config('pasisync.origin', 'pasi', true)",
                    "UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE id = \(alert)")
                #expect(refusal == nil, "\(refusal ?? "")")
            }
            #expect(try await database.scalar(events, as: Int.self) == 1)
        }
    }

    @Test("pasisync roles grant makes a login of a role and pasisync roles lists it; a name that is not plain is refused")
    func rolesCommand() async throws {
        try await TestDatabase.with { database in
            let login = "t_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let grant = try await CommandRun.pasisync(["roles", "grant", "monitor", login], database: database)
            #expect(grant.status == 0, "\(grant.stderr)")
            #expect(grant.stdout.contains("created login \(login) with pasisync_monitor"))
            let list = try await CommandRun.pasisync(["roles"], database: database)
            #expect(list.stdout.contains(login) && list.stdout.contains("pasisync_monitor"), "\(list.stdout)")
            let refused = try await CommandRun.pasisync(["roles", "grant", "worker", "x; DROP TABLE sis.students"], database: database)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("the login name must be"), "\(refused.stderr)")
            try await database.execute("DROP OWNED BY \(unescaped: login)")
            try await database.execute("DROP ROLE \(unescaped: login)")
        }
    }
}
