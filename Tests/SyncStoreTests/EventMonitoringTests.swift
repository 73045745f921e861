import Foundation
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

/// Event monitoring: the triggers on the synchronized SIS tables, and `DataEventsStore`.
@Suite("event monitoring")
struct EventMonitoringTests {
    @Test("monitoring on: a student's insert, update and delete each write one event, in order, with the changed columns")
    func studentEventsInOrder() async throws {
        try await TestDatabase.with { database in
            try await database.setEventMonitoring(true)
            let id = try await database.addStudent(number: 1001, asn: "123456789")
            try await database.execute("UPDATE sis.students SET first_name = 'Janet', dob = '2010-05-01' WHERE id = \(id)")
            // An update that changes nothing writes nothing.
            try await database.execute("UPDATE sis.students SET first_name = first_name WHERE id = \(id)")
            try await database.execute("DELETE FROM sis.students WHERE id = \(id)")

            let store = DataEventsStore(client: database.client, logger: TestEnvironment.logger)
            let events = try await store.events(after: 0, limit: 10)
            #expect(events.map(\.operation) == [.insert, .update, .delete])
            #expect(events.allSatisfy { $0.tableName == "sis.students" && $0.rowKey == String(id) })
            #expect(events.map(\.id) == events.map(\.id).sorted())
            #expect(events.first?.changedColumns ==
                    ["asn", "deceased_status", "first_name", "id", "last_name", "student_number"])
            #expect(events.dropFirst().first?.changedColumns == ["dob", "first_name"])
            #expect(events.last?.changedColumns == [])

            let rest = try await store.events(after: events[0].id, limit: 1)
            #expect(rest.map(\.id) == [events[1].id])
        }
    }

    @Test("monitoring on: a statement touching several rows writes one event per row, in key order")
    func multiRowStatement() async throws {
        try await TestDatabase.with { database in
            try await database.setEventMonitoring(true)
            try await database.execute("""
                INSERT INTO sis.students (id, student_number, last_name, first_name)
                VALUES (12, 12, 'C', 'c'), (3, 3, 'A', 'a'), (7, 7, 'B', 'b')
                """)
            try await database.execute("UPDATE sis.students SET middle_name = 'M'")
            let events = try await database.dataEvents()
            #expect(events.map(\.key) == ["3", "7", "12", "3", "7", "12"])
            #expect(events.suffix(3).allSatisfy { $0.operation == "U" && $0.columns == ["middle_name"] })
        }
    }

    @Test("a one-row UPDATE (the trigger's direct path) writes the same event as the same change in a several-row one; a changed key, a delete and an insert")
    func oneRowPathAgreesWithGeneralPath() async throws {
        try await TestDatabase.with { database in
            try await database.setEventMonitoring(true)
            try await database.execute("""
                INSERT INTO sis.students (id, student_number, last_name, first_name)
                VALUES (1, 1, 'A', 'a'), (2, 2, 'B', 'b'), (3, 3, 'C', 'c')
                """)
            try await database.execute("UPDATE sis.students SET home_phone = '780-555-0101', middle_name = 'M' WHERE id = 1")
            try await database.execute("UPDATE sis.students SET home_phone = '780-555-0101', middle_name = 'M' WHERE id IN (2, 3)")
            try await database.execute("UPDATE sis.students SET middle_name = 'M' WHERE id = 1")   // changes nothing
            try await database.execute("UPDATE sis.students SET id = 4, student_number = 4 WHERE id = 3")
            let events = Array(try await database.dataEvents().dropFirst(3))
            #expect(events.map(\.key) == ["1", "2", "3", "3", "4"])
            #expect(events.prefix(3).allSatisfy { $0.operation == "U" && $0.columns == ["home_phone", "middle_name"] })
            #expect(events.suffix(2).map(\.operation) == ["D", "I"])
        }
    }

    @Test("monitoring off: inserts, updates and deletes write no events")
    func monitoringOffWritesNothing() async throws {
        try await TestDatabase.with { database in
            let id = try await database.addStudent(number: 1002)
            try await database.execute("UPDATE sis.students SET last_name = 'Roe' WHERE id = \(id)")
            try await database.execute("DELETE FROM sis.students WHERE id = \(id)")
            try await database.setEventMonitoring(true)
            try await database.setEventMonitoring(false)
            _ = try await database.addStudent(number: 1003)
            #expect(try await database.dataEvents() == [])
        }
    }

    @Test("a section of an Inactive or blank school writes no event; of an Active school, one")
    func sectionEventsFollowIntegrationStatus() async throws {
        try await TestDatabase.with { database in
            try await database.setEventMonitoring(true)
            let inactiveTerm = try await database.addSchool(id: 1, status: "Inactive")
            let blankTerm = try await database.addSchool(id: 2, status: nil)
            let activeTerm = try await database.addSchool(id: 3, status: "Active")
            let before = try await database.dataEvents().count  // the course insert is an event of its own
            for (school, term) in [(1, inactiveTerm), (2, blankTerm)] {
                try await database.execute("""
                    INSERT INTO sis.sections (school_id, course_number, term_id, section_number)
                    VALUES (\(school), 'MAT1791', \(term), '1')
                    """)
            }
            #expect(try await database.dataEvents().count == before)

            let section = try await database.scalar("""
                INSERT INTO sis.sections (school_id, course_number, term_id, section_number, exam_writing_centre)
                VALUES (3, 'MAT1791', \(activeTerm), '1', 'Centre 7') RETURNING id
                """, as: Int.self)
            let events = try await database.dataEvents().dropFirst(before)
            #expect(Array(events) == [EventRow(
                table: "sis.sections", key: String(section), operation: "I",
                columns: ["course_number", "exam_writing_centre", "id", "school_id", "section_number", "term_id"])])
        }
    }

    @Test("course enrolments and stored grades write events only at an Active school")
    func courseMarkTablesFollowIntegrationStatus() async throws {
        try await TestDatabase.with { database in
            let inactiveTerm = try await database.addSchool(id: 1, status: "Inactive")
            let activeTerm = try await database.addSchool(id: 2, status: "Active")
            let student = try await database.addStudent(number: 2001)
            var sections: [Int: Int] = [:]
            for (school, term) in [(1, inactiveTerm), (2, activeTerm)] {
                sections[school] = try await database.scalar("""
                    INSERT INTO sis.sections (school_id, course_number, term_id, section_number)
                    VALUES (\(school), 'MAT1791', \(term), '1') RETURNING id
                    """, as: Int.self)
            }
            try await database.setEventMonitoring(true)
            for school in [1, 2] {
                try await database.execute("""
                    INSERT INTO sis.course_enrolments (section_id, school_id, student_id, date_enrolled, credits_attempted)
                    VALUES (\(sections[school]!), \(school), \(student), '2025-09-02', 5)
                    """)
                try await database.execute("""
                    INSERT INTO sis.stored_grades (student_id, school_id, course_number, section_id, store_code, school_year, mark, earned_credits)
                    VALUES (\(student), \(school), 'MAT1791', \(sections[school]!), 'F1', 2025, 71, 5)
                    """)
            }
            try await database.execute("UPDATE sis.stored_grades SET mark = mark + 1")
            let events = try await database.dataEvents()
            #expect(events.map { "\($0.operation) \($0.table)" } ==
                    ["I sis.course_enrolments", "I sis.stored_grades", "U sis.stored_grades"])
            #expect(events.last?.columns == ["mark"])
        }
    }

    @Test("an insert notifies pasisync_events")
    func insertNotifies() async throws {
        try await TestDatabase.with { database in
            try await database.setEventMonitoring(true)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    try await Task.sleep(for: .seconds(15))
                    throw TestFailure("no notification on pasisync_events within 15 s")
                }
                group.addTask {
                    try await database.client.withConnection { connection in
                        try await connection.listen(on: "pasisync_events") { notifications in
                            _ = try await database.addStudent(number: 3001)
                            for try await notification in notifications {
                                #expect(notification.payload == "")
                                return
                            }
                        }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }

    @Test("while Regular Sync says it is draining, an edit sends no NOTIFY (it serializes the SIS's commits); once it waits, edits notify again")
    func noNotifyWhileDraining() async throws {
        try await TestDatabase.with { database in
            try await database.setEventMonitoring(true)
            let store = DataEventsStore(client: database.client, logger: TestEnvironment.logger)
            let first = try await database.addStudent(number: 3101)
            let second = try await database.addStudent(number: 3102)
            let holder = try await Self.runningJob(database)
            try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    try await Task.sleep(for: .seconds(15))
                    throw TestFailure("the marker notification did not arrive within 15 s")
                }
                group.addTask {
                    try await database.client.withConnection { connection in
                        try await connection.listen(on: "pasisync_events") { notifications in
                            #expect(try await store.draining(for: .seconds(60), heldBy: holder))
                            try await database.execute("UPDATE sis.students SET first_name = 'Draining' WHERE id = \(first)")
                            try await store.waiting()
                            try await database.execute("UPDATE sis.students SET first_name = 'Waiting' WHERE id = \(second)")
                            // Notifications arrive in commit order: the marker comes after any the two edits sent.
                            try await database.execute("NOTIFY pasisync_events, 'marker'")
                            var payloads: [String] = []
                            for try await notification in notifications {
                                payloads.append(notification.payload)
                                if notification.payload == "marker" { break }
                            }
                            return payloads
                        }
                    }
                }
                let payloads = try #require(try await group.next())
                group.cancelAll()
                #expect(payloads == ["", "marker"], "one NOTIFY, from the edit made while Regular Sync was waiting")
            }
            // Both edits wrote their events all the same.
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events WHERE operation = 'U'", as: Int.self) == 2)
        }
    }

    @Test("Regular Sync's draining is said only by the attempt that holds the job's lease: a stale attempt, another worker or an expired lease writes nothing")
    func drainingIsFenced() async throws {
        try await TestDatabase.with { database in
            let store = DataEventsStore(client: database.client, logger: TestEnvironment.logger)
            let holder = try await Self.runningJob(database)
            let stale = [
                LeaseHolder(jobID: holder.jobID, attempt: holder.attempt - 1, worker: holder.worker),
                LeaseHolder(jobID: holder.jobID, attempt: holder.attempt, worker: "another-worker"),
            ]
            for other in stale {
                #expect(try await store.draining(for: .seconds(60), heldBy: other) == false, "\(other)")
            }
            let said = "SELECT count(*)::int FROM sync.regular_sync_draining WHERE draining_until IS NOT NULL"
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: said), as: Int.self) == 0)
            #expect(try await store.draining(for: .seconds(60), heldBy: holder))
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: said), as: Int.self) == 1)
            try await store.waiting()
            try await database.execute("UPDATE queue.jobs SET lease_expires_at = now() - interval '1 second' WHERE id = \(holder.jobID)")
            #expect(try await store.draining(for: .seconds(60), heldBy: holder) == false, "an expired lease")
            #expect(try await database.scalar(PostgresQuery(unsafeSQL: said), as: Int.self) == 0)
        }
    }

    /// A job's second attempt, running under a worker with an unexpired lease, as the holder of its lease.
    static func runningJob(_ database: TestDatabase) async throws -> LeaseHolder {
        let id = try await database.scalar("""
            INSERT INTO queue.jobs (kind, args, state, attempt, lease_owner, lease_expires_at, started_at)
            VALUES ('noop', '{}', 'running', 2, 'test-worker', now() + interval '1 hour', now()) RETURNING id
            """, as: Int64.self)
        return LeaseHolder(jobID: id, attempt: 2, worker: "test-worker")
    }

    @Test("archiving moves the handled events older than N days, with their outcome, in batches; Pending and newer ones stay")
    func archiveMovesOldEvents() async throws {
        try await TestDatabase.with { database in
            try await database.execute("""
                INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns, occurred_at, status, handled_at, pasi_version, detail)
                VALUES ('sis.students', '1', 'I', '{id}', now() - interval '40 days', 'Sent', now() - interval '40 days', 7, NULL),
                       ('sis.students', '1', 'U', '{dob}', now() - interval '31 days', 'Rejected', now() - interval '31 days', NULL, 'refused'),
                       ('sis.students', '3', 'U', '{dob}', now() - interval '35 days', 'Pending', NULL, NULL, NULL),
                       ('sis.students', '1', 'U', '{asn}', now() - interval '29 days', 'Sent', now(), 8, NULL),
                       ('sis.students', '2', 'I', '{id}', now(), 'Pending', NULL, NULL, NULL)
                """)
            let store = DataEventsStore(client: database.client, logger: TestEnvironment.logger)
            let ids = try await store.events(after: 0, limit: 10).map(\.id)
            let cutoff = Date().addingTimeInterval(-30 * 86_400)
            let before = try await store.archivable(before: cutoff)
            #expect(before.handled == 2 && before.pending == 1)
            let moved = try await store.archive(olderThanDays: 30, batchSize: 1)
            #expect(moved == 2)
            #expect(try await store.events(after: 0, limit: 10).map(\.id) == Array(ids.suffix(3)))
            let archived = try await database.client.query(
                "SELECT id, changed_columns, status, pasi_version, detail FROM sync.data_events_archive ORDER BY id",
                logger: TestEnvironment.logger)
            var rows: [(Int64, [String], String, Int64?, String?)] = []
            for try await row in archived.decode((Int64, [String], String, Int64?, String?).self) { rows.append(row) }
            #expect(rows.map(\.0) == Array(ids.prefix(2)))
            #expect(rows.map(\.1) == [["id"], ["dob"]])
            #expect(rows.map(\.2) == ["Sent", "Rejected"])
            #expect(rows.map(\.3) == [7, nil])
            #expect(rows.map(\.4) == [nil, "refused"])
            #expect(try await store.archive(olderThanDays: 30) == 0)
            let after = try await store.archivable(before: cutoff)
            #expect(after.handled == 0 && after.pending == 1)
        }
    }
}
