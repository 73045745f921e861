import DistrictSynthesis
import Foundation
import JobQueue
import PASIModel
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// The maintenance processes on real workers: Archive Events, Core Alerts Reconciliation, End of
/// Year, and the Logs settings, driven by `pasisync run` and psql as a person would.
@Suite("Maintenance: archiving, reconciliation, end of year, logs", .serialized)
struct MaintenanceProcessTests {
    typealias Ready = GettingReadyProcessTests
    typealias Initial = InitialSyncProcessTests

    static func run(_ arguments: [String], _ database: TestDatabase, within timeout: Duration = .seconds(120)) async throws -> String {
        let (status, output) = try await SyncJobProcessTests.command(["run"] + arguments + ["--wait"], database, within: timeout)
        guard status == 0 else { throw TestFailure("pasisync run \(arguments) failed: \(output)") }
        return output
    }

    static func isOpen(_ database: TestDatabase, _ id: Int64) async throws -> Bool {
        try await database.scalar("SELECT resolved_at IS NULL FROM sync.core_alerts WHERE id = \(id)", as: Bool.self)
    }

    @Test("archiving keeps pending events: the handled events older than the setting move with their outcome, in batches; Pending and newer ones stay")
    func archivingKeepsPendingEvents() async throws {
        try await TestDatabase.with { database in
            try await SyncJobProcessTests.registerKinds(database)
            try await database.execute("UPDATE sync.settings SET value = '60' WHERE key = 'archive_events_older_than_days'")
            // 25,000 old handled events (three batches), old Pending ones, and recent ones of each kind.
            try await database.execute("""
                INSERT INTO sync.data_events (table_name, row_key, operation, occurred_at, status, handled_at, pasi_version, detail)
                SELECT 'sis.students', (i % 500)::text, 'U', now() - interval '90 days' + i * interval '1 second',
                       (ARRAY['Sent', 'Rejected', 'Conflict', 'Failed', 'Skipped'])[1 + i % 5], now() - interval '89 days',
                       CASE WHEN i % 5 = 0 THEN i END, CASE WHEN i % 5 = 1 THEN 'refused ' || i END
                FROM generate_series(1, 25000) AS i
                """)
            try await database.execute("""
                INSERT INTO sync.data_events (table_name, row_key, operation, occurred_at, status, handled_at)
                VALUES ('sis.enrolments', '7', 'I', now() - interval '200 days', 'Pending', NULL),
                       ('sis.enrolments', '8', 'U', now() - interval '61 days', 'Pending', NULL),
                       ('sis.students', '9', 'U', now() - interval '59 days', 'Sent', now()),
                       ('sis.students', '10', 'U', now(), 'Pending', NULL)
                """)
            let pending = try await database.scalar(
                "SELECT string_agg(id::text, ',' ORDER BY id) FROM sync.data_events WHERE status = 'Pending'", as: String.self)
            try await withWorkers(1, database, slots: 2) { _ in
                _ = try await Self.run(["archive-events"], database)
                let job = try await Ready.lastJob(database, kind: "archive_events")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "Archive Events – Manual")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message == "25,000 of 25,000 data event(s) older than 60 days archived; 2 Pending event(s) that old kept for regular synchronization")
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events_archive", as: Int.self) == 25_000)
                #expect(try await database.scalar(
                    "SELECT string_agg(id::text, ',' ORDER BY id) FROM sync.data_events WHERE status = 'Pending'", as: String.self) == pending)
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events", as: Int.self) == 4)
                // Outcomes kept: five statuses, versions and details as they were.
                #expect(try await database.scalar(
                    "SELECT count(DISTINCT status)::int FROM sync.data_events_archive", as: Int.self) == 5)
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.data_events_archive WHERE status = 'Sent' AND pasi_version IS NOT NULL", as: Int.self) == 5_000)
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.data_events_archive WHERE detail LIKE 'refused %'", as: Int.self) == 5_000)

                // The same from psql; nothing is left to move, the Pending events still stay.
                try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('archive_events')")
                let second = try await Ready.lastJob(database, kind: "archive_events")
                try await eventually(within: .seconds(60), "the psql archive job to complete") {
                    try await Ready.state(database, second) == "completed"
                }
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events", as: Int.self) == 4)
                // Archive Data Events on: the daily maintenance schedule is on.
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'archive_data_events'")
                #expect(try await database.scalar("SELECT enabled FROM queue.schedules WHERE name = 'archive_events'", as: Bool.self))
            }
        }
    }

    @Test("reconciliation resolves an alert whose cause was fixed: conflicts fixed in the SIS, records resubmitted and accepted, a job that completed later; the others keep their id and acknowledgement")
    func reconciliationResolvesFixedAlerts() async throws {
        try await SimulatorFixture.with(students: 500) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                try await Initial.downloaded(fixture)
                _ = try await Initial.initialSync(database)
                let first = try await Initial.openConflicts(database)
                let acknowledged = try await database.scalar(
                    "SELECT min(id) FROM sync.core_alerts WHERE conflict_type = 'Mailing Address' AND resolved_at IS NULL", as: Int64.self)
                try await database.execute("UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE id = \(acknowledged)")
                let unfixedStudent = try await database.scalar("SELECT student_id FROM sync.core_alerts WHERE id = \(acknowledged)", as: Int.self)
                let agreeingStudent = try await database.scalar("""
                    SELECT min(m.student_id) FROM sync.student_matches m
                    WHERE NOT EXISTS (SELECT 1 FROM sync.core_alerts a WHERE a.student_id = m.student_id AND a.resolved_at IS NULL)
                    """, as: Int.self)

                // Alerts of regular synchronization and of failed jobs, as they would have been raised.
                func raise(_ values: String) async throws -> Int64 {
                    try await database.scalar(PostgresQuery(unsafeSQL: """
                        INSERT INTO sync.core_alerts (subject, raised_by, alert_type, status_type, alert_code, message, student_id,
                                                      school_year, arguments, created_at)
                        VALUES \(values) RETURNING id
                        """), as: Int64.self)
                }
                let resubmitted = try await raise("('sis.sections:9', 'regular_sync', 'Rejection', 'Section', 'R1', 'refused', NULL, NULL, '{}', now() - interval '1 hour')")
                let sentBefore = try await raise("('sis.sections:10', 'regular_sync', 'Rejection', 'Section', 'R1', 'refused', NULL, NULL, '{}', now() - interval '1 hour')")
                let oldYear = try await raise("('sis.sections:11', 'regular_sync', 'Rejection', 'Section', 'R1', 'refused', NULL, 1990, '{}', now() - interval '1 hour')")
                let agrees = try await raise("('sis.students:\(agreeingStudent)', 'regular_sync', 'Conflict', 'Student', '3004', 'stale', \(agreeingStudent), NULL, '{}', now() - interval '1 hour')")
                let differs = try await raise("('sis.students:\(unfixedStudent)', 'regular_sync', 'Conflict', 'Student', '3004', 'stale', \(unfixedStudent), NULL, '{}', now() - interval '1 hour')")
                let jobDone = try await raise("(NULL, NULL, 'Failure', 'Synchronization', 'JOB_FAILED', 'failed', NULL, NULL, '{\"kind\": \"load_local_copy\", \"job_id\": \"1\"}', now() - interval '1 day')")
                let jobNotDone = try await raise("(NULL, NULL, 'Failure', 'Synchronization', 'JOB_FAILED', 'failed', NULL, NULL, '{\"kind\": \"hash_sync\", \"job_id\": \"2\"}', now() - interval '1 day')")
                try await database.execute("""
                    INSERT INTO sync.data_events (table_name, row_key, operation, occurred_at, status, handled_at, pasi_version)
                    VALUES ('sis.sections', '9', 'U', now(), 'Sent', now(), 12),
                           ('sis.sections', '10', 'U', now() - interval '2 hours', 'Sent', now() - interval '2 hours', 11),
                           ('sis.sections', '11', 'U', now(), 'Sent', now(), 13)
                    """)

                // Fix the gender and the birth date of the planted students in the SIS.
                try await database.execute("""
                    UPDATE sis.students s SET gender = CASE p.gender WHEN 'Male' THEN 'M' WHEN 'Female' THEN 'F'
                                                       WHEN 'Unspecified' THEN 'X' ELSE 'U' END,
                                              legal_gender = NULL
                    FROM pasi.students p WHERE p.ref_id = s.asn AND s.id = ANY(\(Array(first["Gender"] ?? [])))
                    """)
                try await database.execute("""
                    UPDATE sis.students s SET dob = p.birth_date FROM pasi.students p
                    WHERE p.ref_id = s.asn AND s.id = ANY(\(Array(first["Birth Date"] ?? [])))
                    """)

                // Automatic Reconciliation's scope first (psql, {"full": false}): the alert of 1990 waits for Full.
                try await database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('alerts_reconciliation', '{\"full\": false}')")
                let automatic = try await Ready.lastJob(database, kind: "alerts_reconciliation")
                try await eventually(within: .seconds(120), "the automatic reconciliation to complete") {
                    try await Ready.state(database, automatic) == "completed"
                }
                #expect(try await Self.isOpen(database, oldYear))
                #expect(!(try await Self.isOpen(database, resubmitted)))

                _ = try await Self.run(["full-reconciliation"], database)
                let job = try await Ready.lastJob(database, kind: "alerts_reconciliation")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "Full Reconciliation – Manual")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message.hasPrefix("Full Reconciliation (all years) done:"), "\(message)")

                var expected = first
                expected["Gender"] = nil
                expected["Birth Date"] = nil
                #expect(try await Initial.openConflicts(database) == expected)
                #expect(try await Self.isOpen(database, acknowledged))
                #expect(try await database.scalar("SELECT acknowledgement FROM sync.core_alerts WHERE id = \(acknowledged)", as: String.self) == "Acknowledged")
                #expect(!(try await Self.isOpen(database, resubmitted)))
                #expect(try await Self.isOpen(database, sentBefore))
                #expect(!(try await Self.isOpen(database, oldYear)))
                #expect(!(try await Self.isOpen(database, agrees)))
                #expect(try await Self.isOpen(database, differs))
                #expect(!(try await Self.isOpen(database, jobDone)))
                #expect(try await Self.isOpen(database, jobNotDone))
            }
        }
    }

    @Test("End of Year: refused until PASI names a newer current year; then the new year is current and Historical Years goes up, once")
    func endOfYear() async throws {
        try await SimulatorFixture.with(students: 20) { fixture in
            let database = fixture.database
            try await SyncJobProcessTests.registerKinds(database)
            try await withWorkers(1, database, slots: 2, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                _ = try await Self.run(["code-values"], database)
                let current = fixture.generator.currentSchoolYear
                let previous = try #require(current.previous)
                // Nothing has ended yet: PASI's current year is the one set.
                let (status, output) = try await SyncJobProcessTests.command(["run", "end-of-year", "--wait"], database)
                #expect(status != 0, "\(output)")
                let refused = try await Ready.lastJob(database, kind: "end_of_year")
                #expect(try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(refused)", as: String.self)
                        .contains("PASI does not yet name a school year after \(current) as current"))
                #expect(try await Ready.state(database, refused) == "failed")

                // As if the synchronization were still in last year, with one historical year.
                try await database.execute("""
                    UPDATE sync.settings SET value = CASE key WHEN 'current_school_year' THEN \(previous.description) ELSE '1' END
                    WHERE key IN ('current_school_year', 'historical_years_school_enrolment')
                      AND set_config('pasisync.system', 'on', true) IS NOT NULL
                    """)
                // The daily code values download leaves the year to End of Year.
                _ = try await Self.run(["code-values"], database)
                let codeValues = try await Ready.lastJob(database, kind: "code_values")
                #expect(try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(codeValues)", as: String.self)
                        .contains("stays \(previous.hyphenated) until End of Year"))
                #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'current_school_year'", as: String.self) == previous.hyphenated)

                _ = try await Self.run(["end-of-year"], database)
                let job = try await Ready.lastJob(database, kind: "end_of_year")
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "End of Year")
                #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'current_school_year'", as: String.self) == current.hyphenated)
                #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'historical_years_school_enrolment'", as: String.self) == "2")
                #expect(try await database.scalar("SELECT updated_by FROM sync.settings WHERE key = 'historical_years_school_enrolment'", as: String.self) == "end_of_year")
                #expect(try await database.scalar("""
                    SELECT format('%s %s %s %s', school_year, previous_year, historical_before, historical_after) FROM sync.end_of_year_runs
                    """, as: String.self) == "\(current.endYear) \(previous.endYear) 1 2")
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message.hasPrefix("End of Year done: Current School Year for Synchronization \(previous.hyphenated) → \(current.hyphenated)"), "\(message)")

                // Once: a second run is refused and changes nothing.
                let (again, _) = try await SyncJobProcessTests.command(["run", "end-of-year", "--wait"], database)
                #expect(again != 0)
                #expect(try await database.scalar("SELECT value FROM sync.settings WHERE key = 'historical_years_school_enrolment'", as: String.self) == "2")
            }
        }
    }

    @Test("Logs: at the default level no ASN, name or birth date in a worker's output during Load Local Copy and Initial Synchronization; Synchronization and Messages Log on add the job lines and the SOAP bodies; Runtime Log Maximum is trace, without a restart")
    func logsHoldNoPersonalData() async throws {
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            try await withWorkers(2, database, slots: 3, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { workers in
                try await Initial.downloaded(fixture)
                _ = try await Initial.initialSync(database)
                let output = workers.map(\.log).joined(separator: "\n")
                #expect(output.contains("worker started"), "\(output.prefix(2000))")
                let rows = try await database.client.query("""
                    SELECT coalesce(asn::text, ''), last_name, first_name, coalesce(dob::text, '') FROM sis.students
                    UNION ALL SELECT n.asn::text, n.last_name::text, n.first_name::text, coalesce(p.birth_date::text, '')
                    FROM pasi.student_names n JOIN pasi.students p ON p.ref_id = n.asn
                    """, logger: TestEnvironment.logger)
                var leaked: [String] = []
                for try await (asn, last, first, birth) in rows.decode((String, String?, String?, String).self) {
                    var personal = [birth]
                    if asn.count == 9 { personal += [asn, "\(asn.prefix(4))-\(asn.dropFirst(4).prefix(4))-\(asn.suffix(1))"] }
                    // Short names could be ordinary words of a log line.
                    personal += [last, first].compactMap { $0 }.filter { $0.count >= 6 }
                    leaked += personal.filter { !$0.isEmpty && output.contains($0) }
                }
                #expect(leaked.isEmpty, "personal data in the workers' output: \(leaked.prefix(10))")
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.message_log WHERE request_body IS NOT NULL", as: Int.self) == 0)

                // Synchronization Log and Messages Log on: read live, no restart.
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key IN ('synchronization_log', 'messages_log')")
                try await eventually(within: .seconds(60), "a code values download to log its lines and keep its bodies") {
                    let before = try await database.scalar("SELECT coalesce(max(id), 0) FROM queue.jobs", as: Int64.self)
                    _ = try await Self.run(["code-values"], database)
                    let kept = try await database.scalar("""
                        SELECT count(*)::int FROM sync.message_log
                        WHERE job_id > \(before) AND request_body LIKE '%GetCodeValues%' AND response_body IS NOT NULL
                        """, as: Int.self)
                    return kept > 0 && workers.contains { $0.log.contains("Code Values Download started") }
                }
                #expect(workers.contains { $0.log.contains("progress 2/2") })

                // Runtime Log, live too: Maximum is trace (the database driver's lines among them).
                #expect(!workers.contains { $0.log.contains(" trace ") })
                try await database.execute("UPDATE sync.settings SET value = 'Maximum' WHERE key = 'runtime_log_level'")
                try await eventually(within: .seconds(30), "the workers to log at trace") {
                    workers.allSatisfy { $0.log.contains(" trace ") }
                }
            }
        }
    }
}
