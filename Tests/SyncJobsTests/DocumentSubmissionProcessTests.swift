import Foundation
import JobQueue
import PASIContract
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// Daily Document Submission over HTTPS with real workers: student record documents inserted and
/// changed in psql reach the simulator, once each, from `pasisync run document-submission` and
/// from a psql INSERT of the job.
@Suite("Daily Document Submission: the SIS's student record documents reach PASI", .serialized)
struct DocumentSubmissionProcessTests {
    /// SIS students with an ASN, by id, and the school of one of their enrolments.
    static func students(_ database: TestDatabase, count: Int) async throws -> [(id: Int, school: Int)] {
        do {
            let rows = try await database.client.query("""
                SELECT s.id, min(e.school_id) FROM sis.students s JOIN sis.enrolments e ON e.student_id = s.id
                WHERE s.asn IS NOT NULL GROUP BY s.id ORDER BY s.id LIMIT \(count)
                """, logger: TestEnvironment.logger)
            var out: [(Int, Int)] = []
            for try await (id, school) in rows.decode((Int, Int).self) { out.append((id, school)) }
            return out
        } catch { throw TestFailure(String(reflecting: error)) }
    }

    /// Inserts one document per student in psql: its id.
    static func insertDocuments(_ database: TestDatabase, _ students: [(id: Int, school: Int)]) async throws -> [Int] {
        var ids: [Int] = []
        for (index, student) in students.enumerated() {
            ids.append(try await database.scalar("""
                INSERT INTO sis.student_record_documents (student_id, school_id, document_type, title, document_date)
                VALUES (\(student.id), \(student.school), 'IPP', \("Plan \(index)"), DATE '2025-10-01') RETURNING id
                """, as: Int.self))
        }
        return ids
    }

    static func refId(_ database: TestDatabase, _ document: Int) async throws -> String {
        try await database.scalar("SELECT ref_id::text FROM sync.document_submissions WHERE document_id = \(document)", as: String.self)
    }

    static func run(_ database: TestDatabase) async throws -> String {
        let (status, output) = try await SyncJobProcessTests.command(["run", "document-submission", "--wait"], database, within: .seconds(120))
        guard status == 0 else { throw TestFailure("pasisync run document-submission failed: \(output)") }
        return try await database.scalar(
            "SELECT progress_message FROM queue.job_list WHERE kind = 'document_submission' ORDER BY id DESC LIMIT 1", as: String.self)
    }

    @Test("changed documents are sent once: a second run sends nothing, a document changed again is sent again (psql INSERT of the job)")
    func sentOnce() async throws {
        try await SimulatorFixture.with(students: 40) { fixture in
            let database = fixture.database
            try await GettingReadyProcessTests.firstDay(fixture)
            // The seed's schedule: daily at the Schedule Time while Daily Document Submission Runtime is on.
            #expect(try await database.scalar(
                "SELECT kind || ' ' || enabled::text || ' ' || calendar FROM queue.schedules WHERE name = 'document_submission'", as: String.self)
                == "document_submission true daily at 20:00")
            try await withWorkers(1, database, slots: 4, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                let students = try await Self.students(database, count: 3)
                #expect(students.count == 3)
                let documents = try await Self.insertDocuments(database, students)
                // A student without an ASN is not matched to PASI: their document waits.
                let unmatched = try await database.scalar("""
                    INSERT INTO sis.students (student_number, last_name, first_name) VALUES (990001, 'Unmatched', 'Pat') RETURNING id
                    """, as: Int.self)
                try await database.execute("""
                    INSERT INTO sis.student_record_documents (student_id, document_type, title) VALUES (\(unmatched), 'IPP', 'Waiting')
                    """)

                #expect(try await Self.run(database) == "3 document(s) sent, 0 rejected")
                for (index, document) in documents.enumerated() {
                    let refId = try await Self.refId(database, document)
                    let held = try #require(await fixture.province.record(StudentRecordDocument.self, id: refId))
                    #expect(held.title == "Plan \(index)" && held.documentType == "IPP" && held.documentDate?.description == "2025-10-01")
                    #expect(await fixture.province.acceptedSubmitCount(.studentRecordDocument, id: refId) == 1)
                    #expect(try await database.scalar(
                        "SELECT pasi_core_version FROM pasi.student_record_documents WHERE ref_id = \(refId)::uuid", as: Int64.self)
                        == held.pasiCoreVersion)
                }
                #expect(await fixture.province.acceptedSubmitTotal == 3)

                #expect(try await Self.run(database) == "0 document(s) sent, 0 rejected")
                #expect(await fixture.province.acceptedSubmitTotal == 3)

                // Student Record Document DCF Events off: nothing is sent, and the change waits for it.
                try await database.execute("UPDATE sis.student_record_documents SET title = 'Plan 1, revised' WHERE id = \(documents[1])")
                try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'student_record_document_dcf_events'")
                #expect(try await Self.run(database) == "Student Record Document DCF Events is off: no documents sent")
                #expect(await fixture.province.acceptedSubmitTotal == 3)
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'student_record_document_dcf_events'")

                try await database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('document_submission', '{}')")
                try await eventually(within: .seconds(60), "the job from psql completed") {
                    try await database.scalar(
                        "SELECT count(*)::int FROM queue.jobs WHERE kind = 'document_submission' AND state = 'completed'", as: Int.self) == 4
                }
                #expect(try await database.scalar(
                    "SELECT title || ' ' || progress_message FROM queue.job_list WHERE kind = 'document_submission' ORDER BY id DESC LIMIT 1",
                    as: String.self) == "Document Submission 1 document(s) sent, 0 rejected")
                let refId = try await Self.refId(database, documents[1])
                let held = try #require(await fixture.province.record(StudentRecordDocument.self, id: refId))
                #expect(held.title == "Plan 1, revised")
                #expect(await fixture.province.acceptedSubmitCount(.studentRecordDocument, id: refId) == 2)
                #expect(await fixture.province.acceptedSubmitTotal == 4)
                #expect(try await database.scalar(
                    "SELECT pasi_core_version FROM pasi.student_record_documents WHERE ref_id = \(refId)::uuid", as: Int64.self) == held.pasiCoreVersion)
            }
            try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'daily_document_submission'")
            #expect(try await database.scalar("SELECT enabled FROM queue.schedules WHERE name = 'document_submission'", as: Bool.self) == false)
        }
    }

    @Test("a document PASI rejects raises its Rejection alert and the others go through; corrected, it is sent and the alert resolved")
    func rejection() async throws {
        try await SimulatorFixture.with(students: 40) { fixture in
            let database = fixture.database
            try await GettingReadyProcessTests.firstDay(fixture)
            try await withWorkers(1, database, slots: 4, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                let documents = try await Self.insertDocuments(database, try await Self.students(database, count: 3))
                // The RefId is the client's: set ahead here, so the fault injection can refuse it.
                let refused = UUID().uuidString.lowercased()
                try await database.execute("INSERT INTO sync.document_submissions (document_id, ref_id) VALUES (\(documents[0]), \(refused)::uuid)")
                var plan = FaultPlan()
                plan.rejectIDs = [refused]
                fixture.server.faults.plan = plan

                #expect(try await Self.run(database) == "2 document(s) sent, 1 rejected")
                #expect(await fixture.province.record(StudentRecordDocument.self, id: refused) == nil)
                for document in documents.dropFirst() {
                    #expect(await fixture.province.record(StudentRecordDocument.self, id: try await Self.refId(database, document)) != nil)
                }
                let subject = "sis.student_record_documents:\(documents[0])"
                let alert = try await database.scalar("""
                    SELECT alert_type || '|' || status_type || '|' || ref_id || '|' || message FROM sync.core_alerts
                    WHERE subject = \(subject) AND resolved_at IS NULL
                    """, as: String.self)
                // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_9020.html (the fault injection's rule)
                #expect(alert.hasPrefix("Rejection|Student|\(refused)|PASI rejected student record document \(documents[0]): Rule 9020 Unauthorized Organization Code"), "\(alert)")
                // Unchanged, it is not sent again: the alert stays open.
                #expect(try await Self.run(database) == "0 document(s) sent, 0 rejected")

                fixture.server.faults.plan = FaultPlan()
                try await database.execute("UPDATE sis.student_record_documents SET title = 'Plan 0, corrected' WHERE id = \(documents[0])")
                #expect(try await Self.run(database) == "1 document(s) sent, 0 rejected")
                #expect(await fixture.province.record(StudentRecordDocument.self, id: refused)?.title == "Plan 0, corrected")
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.core_alerts WHERE subject = \(subject) AND resolved_at IS NULL", as: Int.self) == 0)
            }
        }
    }

    @Test("PASI down when the job starts: the queue retries it, and every document reaches PASI once")
    func outage() async throws {
        try await SimulatorFixture.with(students: 40) { fixture in
            let database = fixture.database
            try await GettingReadyProcessTests.firstDay(fixture)
            try await withWorkers(1, database, slots: 4, environment: SyncJobProcessTests.pasiEnvironment(port: fixture.port)) { _ in
                let documents = try await Self.insertDocuments(database, try await Self.students(database, count: 5))
                var plan = FaultPlan()
                plan.outageUntil = Date().addingTimeInterval(6)
                fixture.server.faults.plan = plan
                #expect(try await Self.run(database) == "5 document(s) sent, 0 rejected")
                #expect(try await database.scalar(
                    "SELECT attempt FROM queue.jobs WHERE kind = 'document_submission' ORDER BY id DESC LIMIT 1", as: Int.self) >= 2)
                for document in documents {
                    #expect(await fixture.province.acceptedSubmitCount(.studentRecordDocument, id: try await Self.refId(database, document)) == 1)
                }
            }
        }
    }
}
