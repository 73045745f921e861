import DistrictSynthesis
import Foundation
import JobQueue
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
@testable import SyncJobs
import SyncStore
import Testing

/// PASI → SIS on a cluster against the simulator over HTTPS: Regular Synchronization turned on
/// from psql starts the PASI Data Available job, and what is changed in the simulator
/// (`/admin/change`, `/admin/alert`) reaches the local store and then the SIS, a Conflict, or a
/// PASI core alert, while the job waits in its long poll.
@Suite("PASI → SIS: PASI Data Available", .serialized)
struct PASIDataAvailableProcessTests {
    typealias Ready = GettingReadyProcessTests

    /// The workers' environment: PASI, and a cluster started an hour ago (the Start Delay is over).
    static func environment(port: Int) -> [String: String] {
        SyncJobProcessTests.pasiEnvironment(port: port)
            .merging(["PASISYNC_CLUSTER_STARTED_AT": "\(Date().timeIntervalSince1970 - 3600)"]) { $1 }
    }

    static func post(_ fixture: SimulatorFixture, _ path: String, _ body: String = "") async throws {
        let answer = try await RawRequest.post(to: "https://127.0.0.1:\(fixture.port)/admin" + path, body: Array(body.utf8))
        guard answer.status == 200 else { throw TestFailure("POST /admin\(path): \(answer.status) \(answer.body)") }
    }

    static func job(_ database: TestDatabase) async throws -> Int64 {
        try await Ready.lastJob(database, kind: PASIDataAvailable.kind)
    }

    static func waiting(_ database: TestDatabase) async throws {
        try await eventually(within: .seconds(60), "PASI Data Available waiting in its long poll") {
            let rows = try await database.client.query("""
                SELECT state::text, coalesce(progress_message, '') FROM queue.jobs WHERE kind = 'pasi_data_available'
                ORDER BY id DESC LIMIT 1
                """, logger: TestEnvironment.logger)
            for try await (state, message) in rows.decode((String, String).self) {
                return state == "running" && message.hasPrefix("waiting for PASI (1 min long poll)")
            }
            return false
        }
    }

    @Test("school renamed, phone changed and changed back, PASI core alerts, then the switch off: SIS, Conflicts and alerts follow, no data event echoes")
    func pasiToSIS() async throws {
        try await SimulatorFixture.with(students: 300) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 4, environment: Self.environment(port: fixture.port)) { _ in
                try await InitialSyncProcessTests.downloaded(fixture)
                _ = try await InitialSyncProcessTests.initialSync(database)
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'course_synchronization'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'event_monitoring'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await Self.waiting(database)
                let job = try await Self.job(database)
                #expect(try await database.scalar("SELECT title FROM queue.job_list WHERE id = \(job)", as: String.self) == "PASI Data Available")

                // School (one way): the new name reaches sis.schools, and no data event is written for it.
                let code = try await database.scalar("SELECT min(school_code)::text FROM sis.schools", as: String.self)
                try await Self.post(fixture, "/change?type=School&id=\(code)&name=Renamed%20By%20PASI%20School")
                try await eventually(within: .seconds(30), "the new school name in sis.schools") {
                    try await database.scalar("SELECT name FROM sis.schools WHERE school_code = \(code)", as: String.self) == "Renamed By PASI School"
                }
                #expect(try await database.scalar("SELECT name FROM pasi.schools WHERE ref_id = \(code)", as: String.self) == "Renamed By PASI School")
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events", as: Int.self) == 0)
                // Course (one way, its switch turned on): sis.courses has the event triggers, and
                // PASI's change writes no event, where a person's change of the same row does.
                try await Self.post(fixture, "/change?type=Course&id=MA0900&name=Mathematics%209%20Renamed")
                try await eventually(within: .seconds(30), "the new course name in sis.courses") {
                    try await database.scalar("SELECT course_name FROM sis.courses WHERE course_number = 'MA0900'", as: String.self) == "Mathematics 9 Renamed"
                }
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events", as: Int.self) == 0)
                try await database.execute("UPDATE sis.courses SET credit_hours = 3 WHERE course_number = 'MA0900'")
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events WHERE table_name = 'sis.courses'", as: Int.self) == 1)

                // A student's phone changed in PASI: the local store has it, and a Conflict names both values.
                let (studentID, asn, sisPhone) = try await Self.studentWithoutPhoneConflict(database)
                try await Self.post(fixture, "/change?type=Student&id=\(asn)&phone=403-555-0142")
                let conflict = try await Self.openConflict(database, studentID: studentID, type: "Phone Number", within: .seconds(30))
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM pasi.student_phones WHERE asn = \(asn) AND phone_number = '403-555-0142'", as: Int.self) == 1)
                let arguments = try await database.scalar("SELECT arguments::text FROM sync.core_alerts WHERE id = \(conflict)", as: String.self)
                #expect(arguments.contains("\"Home Phone (PASI)\": \"403-555-0142\""), "\(arguments)")
                #expect(arguments.contains("\"Home Phone (SIS)\": \"\(sisPhone)\""), "\(arguments)")
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.core_alerts WHERE student_id = \(studentID) AND conflict_type = 'Phone Number' AND resolved_at IS NULL",
                    as: Int.self) == 1)
                // Changed back in PASI: the two agree again, and the Conflict clears by itself.
                try await Self.post(fixture, "/change?type=Student&id=\(asn)&phone=\(sisPhone.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                try await eventually(within: .seconds(30), "the phone Conflict resolved") {
                    try await database.scalar("SELECT resolved_at IS NOT NULL FROM sync.core_alerts WHERE id = \(conflict)", as: Bool.self)
                }

                // A discrepancy Initial Synchronization found (its planted phone), fixed in PASI:
                // the same alert, resolved by this process.
                let planted = try #require(try await InitialSyncProcessTests.planted(fixture)["Phone Number"]?.min())
                let found = try await Self.openConflict(database, studentID: planted, type: "Phone Number", within: .seconds(1))
                let (plantedASN, plantedPhone) = try await Self.asnAndPhone(database, studentID: planted)
                try await Self.post(fixture, "/change?type=Student&id=\(plantedASN)&phone=\(plantedPhone.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)")
                try await eventually(within: .seconds(30), "Initial Synchronization's phone Conflict resolved by PASI Data Available") {
                    try await database.scalar("SELECT resolved_at IS NOT NULL FROM sync.core_alerts WHERE id = \(found)", as: Bool.self)
                }

                // PASI's core alerts of the status types, with PASI's acknowledgement.
                try await Self.post(fixture, "/alert", #"""
                    {"type": "Student", "id": "\#(asn)", "alertCode": "DEM-PHONE", "severity": "Warning", "message": "Phone number to review",
                     "acknowledgementStatus": "In Progress", "arguments": {"Field": "Phone"}}
                    """#)
                try await Self.post(fixture, "/alert", #"""
                    {"type": "Student", "id": "\#(asn)", "alertCode": "DEM-RULE", "severity": "Error", "arguments": {"Rule": "7"}}
                    """#)
                let warning = try await Self.pasiAlert(database, asn: asn, code: "DEM-PHONE")
                #expect(try await database.scalar("""
                    SELECT alert_type || '/' || severity || '/' || status_type || '/' || acknowledgement || '/' || student_id || '/' || arguments::text
                    FROM sync.core_alerts WHERE id = \(warning)
                    """, as: String.self) == "Warning/Warning/Student/In Progress/\(studentID)/{\"Field\": \"Phone\"}")
                let error = try await Self.pasiAlert(database, asn: asn, code: "DEM-RULE")
                #expect(try await database.scalar("SELECT alert_type || '/' || severity FROM sync.core_alerts WHERE id = \(error)", as: String.self)
                        == "Rejection/Error")
                // Acknowledged in PASI: the same alert takes PASI's acknowledgement.
                try await Self.post(fixture, "/alert", #"""
                    {"type": "Student", "id": "\#(asn)", "alertCode": "DEM-PHONE", "severity": "Warning", "message": "Phone number to review",
                     "acknowledgementStatus": "Acknowledged", "arguments": {"Field": "Phone"}}
                    """#)
                try await eventually(within: .seconds(30), "PASI's acknowledgement") {
                    try await database.scalar("SELECT acknowledgement FROM sync.core_alerts WHERE id = \(warning)", as: String.self) == "Acknowledged"
                }
                // PASI no longer reports one: it is resolved, the other stays open.
                try await Self.post(fixture, "/alert", #"{"type": "Student", "id": "\#(asn)", "alertCode": "DEM-RULE", "clear": true}"#)
                try await eventually(within: .seconds(30), "the cleared PASI alert resolved") {
                    try await database.scalar("SELECT resolved_at IS NOT NULL FROM sync.core_alerts WHERE id = \(error)", as: Bool.self)
                }
                #expect(try await database.scalar("SELECT resolved_at IS NULL FROM sync.core_alerts WHERE id = \(warning)", as: Bool.self))
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.pasi_changes_to_compare", as: Int.self) == 0)
                // Nothing PASI sent became a data event (the one above is the person's).
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events", as: Int.self) == 1)

                // Regular Synchronization off: the job ends in its long poll, well before the minute is up.
                try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'regular_synchronization'")
                try await eventually(within: .seconds(30), "the job completed") { try await Ready.state(database, job) == "completed" }
                let message = try await database.scalar("SELECT progress_message FROM queue.jobs WHERE id = \(job)", as: String.self)
                #expect(message.hasPrefix("Regular Synchronization is off: stopped;"), "\(message)")
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(job)", as: Int.self) == 1)
            }
        }
    }

    @Test("an outage during the long poll is retried by the queue: the change made meanwhile still arrives")
    func outage() async throws {
        try await SimulatorFixture.with(students: 40) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 4, environment: Self.environment(port: fixture.port)) { _ in
                try await InitialSyncProcessTests.downloaded(fixture)
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await Self.waiting(database)
                let job = try await Self.job(database)
                try await Self.post(fixture, "/faults", #"{"outageSeconds": 3}"#)
                let code = try await database.scalar("SELECT min(school_code)::text FROM sis.schools", as: String.self)
                _ = try await fixture.province.edit(.school, id: code, .init(name: "Renamed During Outage"))
                try await eventually(within: .seconds(60), "the new name after the outage") {
                    try await database.scalar("SELECT name FROM sis.schools WHERE school_code = \(code)", as: String.self) == "Renamed During Outage"
                }
                // The Get after the answer met the outage: the attempt failed and the next one fetched it.
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(job)", as: Int.self) >= 2)
                #expect(try await Ready.state(database, job) == "running")
                try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'regular_synchronization'")
                try await eventually(within: .seconds(30), "the job completed") { try await Ready.state(database, job) == "completed" }
            }
        }
    }

    @Test("a feed of several full pages, with no flag on them, reaches the local store whole")
    func severalFullPages() async throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4e51f707-4e1c-3dd0-eec9-aa2c7fb43393.htm
        // (at most 150,000 per type and about 600,000 in all; the client asks again from the highest
        // version it received), with the simulator's limits lowered to 25 per type and 60 in all.
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 4, environment: Self.environment(port: fixture.port)) { _ in
                try await InitialSyncProcessTests.downloaded(fixture)
                await fixture.province.setFeedLimits(FeedLimits(perType: 25, overall: 60))
                let before = await fixture.province.latestVersion
                // Every student saved again by someone else: 120 changes, at least five full pages.
                #expect(await fixture.province.touch(.student, count: 120) == 120)
                let latest = await fixture.province.latestVersion
                let changed = try await fixture.client.isDataAvailable([.init(NotificationType(.student), after: before)], wait: .zero)
                #expect(changed.first?.item.count == 25)
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await eventually(within: .seconds(90), "all 120 students at their new versions in the local store") {
                    try await database.scalar("SELECT count(*)::int FROM pasi.students WHERE pasi_core_version > \(before)", as: Int.self) == 120
                }
                #expect(try await database.scalar("SELECT max(pasi_core_version) FROM pasi.students", as: Int64.self) == latest)
                try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'regular_synchronization'")
                let job = try await Self.job(database)
                try await eventually(within: .seconds(30), "the job completed") { try await Ready.state(database, job) == "completed" }
            }
        }
    }

    // MARK: - Helpers

    /// A SIS student matched with a PASI student, with a home phone and no open phone Conflict.
    static func studentWithoutPhoneConflict(_ database: TestDatabase) async throws -> (Int, String, String) {
        let rows = try await database.client.query("""
            SELECT s.id, s.asn::text, s.home_phone FROM sis.students s
            JOIN sync.student_matches m ON m.student_id = s.id
            WHERE s.home_phone IS NOT NULL AND s.home_phone <> ''
              AND NOT EXISTS (SELECT 1 FROM sync.core_alerts a WHERE a.student_id = s.id AND a.resolved_at IS NULL)
            ORDER BY s.id LIMIT 1
            """, logger: TestEnvironment.logger)
        for try await row in rows.decode((Int, String, String).self) { return row }
        throw TestFailure("no SIS student without alerts and with a home phone")
    }

    static func asnAndPhone(_ database: TestDatabase, studentID: Int) async throws -> (String, String) {
        let rows = try await database.client.query(
            "SELECT asn::text, home_phone FROM sis.students WHERE id = \(studentID)", logger: TestEnvironment.logger)
        for try await row in rows.decode((String, String).self) { return row }
        throw TestFailure("no SIS student \(studentID) with an ASN and a home phone")
    }

    /// The id of the open Conflict of `type` about a SIS student, once there is one.
    static func openConflict(_ database: TestDatabase, studentID: Int, type: String, within timeout: Duration) async throws -> Int64 {
        var id: Int64?
        try await eventually(within: timeout, "an open \(type) Conflict of student \(studentID)") {
            let rows = try await database.client.query("""
                SELECT id FROM sync.core_alerts
                WHERE student_id = \(studentID) AND conflict_type = \(type) AND alert_type = 'Conflict' AND resolved_at IS NULL
                """, logger: TestEnvironment.logger)
            for try await found in rows.decode(Int64.self) { id = found }
            return id != nil
        }
        return id!
    }

    /// The id of the open PASI core alert with `code` on a student's status, once there is one.
    static func pasiAlert(_ database: TestDatabase, asn: String, code: String) async throws -> Int64 {
        var id: Int64?
        try await eventually(within: .seconds(30), "PASI's alert \(code) in sync.core_alerts") {
            let rows = try await database.client.query("""
                SELECT id FROM sync.core_alerts
                WHERE raised_by = 'pasi_data_available' AND ref_id = \(asn) AND alert_code = \(code) AND resolved_at IS NULL
                """, logger: TestEnvironment.logger)
            for try await found in rows.decode(Int64.self) { id = found }
            return id != nil
        }
        return id!
    }
}

@Suite("PASI Data Available: decisions")
struct PASIDataAvailableUnitTests {
    @Test("PASI's severities as the alert types of the Core Alerts page; the status types")
    func severities() {
        #expect(CoreAlertSeverity.allCases.map(PASIDataAvailablePlan.alertType(of:)) == [.rejection, .warning, .advice, .advice])
        #expect(PASIDataAvailablePlan.statusType(of: .studentStatus) == .student)
        #expect(PASIDataAvailablePlan.statusType(of: .studentSchoolEnrolmentStatus) == .enrolment)
        #expect(PASIDataAvailablePlan.statusType(of: .student) == nil)
    }

    @Test("what follows each object: one-way items to the SIS, students compared, statuses filed")
    func followUps() {
        #expect(SynchronizedObject.allCases.map(PASIDataAvailablePlan.followUp(of:)) == [
            .localStoreOnly, .applySchools, .applyCourses, .compareStudents, .fileCoreAlerts, .compareEnrolmentStudents, .fileCoreAlerts,
            .localStoreOnly, .localStoreOnly, .localStoreOnly, .localStoreOnly])
        #expect(SynchronizedObject.studentEnrolmentStatus.statusOf == .schoolEnrolment)
        #expect(SynchronizedObject.school.statusOf == nil)
    }

    @Test("the Diploma Exam Items are polled under their own switches and are none of the seven hash-synchronized objects")
    func diplomaExamItems() {
        #expect(SynchronizedObject.hashSynchronized == [
            .schoolAuthority, .school, .course, .student, .studentStatus, .studentEnrolment, .studentEnrolmentStatus,
            // Student Transcript Detail: a Diploma Exam Item of the seed, year-less, read with them (issue 20, item 8).
            .studentTranscriptDetail])
        #expect(SynchronizedObject.diplomaExamItems.map(\.setting) == [
            .diplomaExamSynchronization, .diplomaExamMarkSynchronization, .diplomaExamSittingSynchronization])
        #expect(SynchronizedObject.diplomaExamItems.map(\.entity) == [.diplomaExam, .diplomaExamMark, .diplomaExamSitting])
        let diploma = SynchronizedObject.diplomaExamItems.filter { $0.isDiplomaExamItem }
        let hashed = SynchronizedObject.hashSynchronized.filter { $0.isDiplomaExamItem }
        #expect(diploma == SynchronizedObject.diplomaExamItems)
        #expect(hashed.isEmpty)
    }

    @Test("queries from each type's cursor; an id changed twice is fetched once; a full answer asks again at once")
    func feed() throws {
        // https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/4e51f707-4e1c-3dd0-eec9-aa2c7fb43393.htm:
        // no "more" flag; a type's answer at the per-type limit, or an answer at the overall limit, is asked again.
        let student = try NotificationType(.student)
        let enrolments = try NotificationType(.studentSchoolEnrolment, year: SchoolYear(endYear: 2027))
        let queries = PASIDataAvailablePlan.queries([student, enrolments], cursors: [student: 40])
        #expect(queries.map(\.maxPASICoreVersion) == [40, 0])
        #expect(queries.map(\.written) == ["Student", "StudentSchoolEnrolment.2027"])
        let answer = IsDataAvailableResponse.Answer(notificationType: student, item: [
            FeedItem(id: "a", version: 41), FeedItem(id: "b", version: 42), FeedItem(id: "a", version: 43)])
        #expect(PASIDataAvailablePlan.changedIDs(answer) == ["b", "a"])
        let empty = IsDataAvailableResponse.Answer(notificationType: enrolments, item: [])
        #expect(PASIDataAvailablePlan.withChanges([answer, empty]) == [answer])
        #expect(PASIDataAvailablePlan.mayHaveMore([answer, empty], limits: FeedLimits(perType: 3, overall: 100)))
        #expect(!PASIDataAvailablePlan.mayHaveMore([answer, empty], limits: FeedLimits(perType: 4, overall: 100)))
        // Cut by the overall limit: neither type is full on its own, the answer is.
        let other = IsDataAvailableResponse.Answer(notificationType: enrolments, item: [FeedItem(id: "c", version: 44)])
        #expect(PASIDataAvailablePlan.mayHaveMore([answer, other], limits: FeedLimits(perType: 10, overall: 4)))
        #expect(!PASIDataAvailablePlan.mayHaveMore([empty], limits: FeedLimits(perType: 1, overall: 1)))
    }

    @Test("PASI's alerts of a status, with their acknowledgement and a message on one line")
    func incomingAlerts() throws {
        let status = RecordStatus(id: "123456782", pasiCoreVersion: 9, alert: [
            StatusAlert(alertCode: "DEM-1", severity: .reminder, message: "due\n soon", acknowledgementStatus: .overridden,
                        arguments: AlertArguments(["K": "V"]))])
        let alerts = PASIDataAvailablePlan.incomingAlerts([status], statusType: .student, year: nil)
        #expect(alerts == [IncomingStatusAlert(refId: "123456782", statusType: .student, alertType: .advice, severity: .reminder,
                                               alertCode: "DEM-1", message: "due soon", acknowledgement: .overridden,
                                               arguments: AlertArguments(["K": "V"]), schoolYear: nil)])
    }

    @Test("the progress says what the job waits for and what it did")
    func progress() {
        var tally = PASIDataAvailable.Tally()
        tally.add(.init(records: 12, sisChanged: 1, alertsRaised: 2, alertsResolved: 1))
        tally.compared = 3
        #expect(tally.waitingMessage(waitMinutes: 5, catchingUp: false)
                == "waiting for PASI (5 min long poll); 12 changes applied since start (1 to the SIS, 3 students compared with the SIS, 2 PASI alerts new, 1 resolved)")
    }
}
