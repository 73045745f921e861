import Foundation
import JobQueue
import PASIContract
import PASICore
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// Classroom accommodations both ways, on a cluster against the simulator over HTTPS: a SIS row
/// inserted, changed and deleted in psql reaches PASI under the client's RefId and the local
/// store's version follows PASI's; a change made in PASI reaches the local store; with either
/// switch off, a change is Skipped with its reason.
@Suite("Classroom accommodations: SIS → PASI and PASI → local store", .serialized)
struct AccommodationSyncProcessTests {
    typealias Sync = RegularSyncProcessTests

    /// The RefId pasisync submits a SIS accommodation under.
    static func refId(_ database: TestDatabase, _ id: Int) async throws -> String {
        try await database.scalar("""
            SELECT md5('pasisync-accommodation:' || sync.setting('organization_code') || ':' || \(id))::uuid::text
            """, as: String.self)
    }

    static func localVersion(_ database: TestDatabase, _ refId: String) async throws -> Int64 {
        try await database.scalar(
            "SELECT coalesce(max(pasi_core_version), -1) FROM pasi.classroom_accommodations WHERE ref_id = \(refId)::uuid", as: Int64.self)
    }

    static func lastEvent(_ database: TestDatabase, _ id: Int) async throws -> (status: String, detail: String) {
        let rows = try await database.client.query("""
            SELECT status, coalesce(detail, '') FROM sync.data_events
            WHERE table_name = 'sis.classroom_accommodations' AND row_key = \(String(id)) ORDER BY id DESC LIMIT 1
            """, logger: TestEnvironment.logger)
        for try await row in rows.decode((String, String).self) { return row }
        return ("", "")
    }

    /// PASI's copy, read with a Get over HTTPS.
    static func pasiCopy(_ fixture: SimulatorFixture, _ refId: String) async throws -> RetrievedRecord<ClassroomAccommodation>? {
        try await fixture.client.get(ClassroomAccommodation.self, ids: [refId]).first
    }

    @Test("an INSERT, an UPDATE and a DELETE in psql reach PASI; a PASI change and a PASI alert reach the local store; switches off: Skipped with the reason")
    func bothWays() async throws {
        try await SimulatorFixture.with(students: 40) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 4, environment: Sync.environment(fixture)) { _ in
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await Sync.synchronizing(fixture)
                try await Sync.explainingFailure(database) {
                    let student = try #require(try await Sync.matchedStudents(database, count: 1).first)
                    let year = try await database.scalar(
                        "SELECT max(school_year) FROM sis.enrolments WHERE student_id = \(student.id)", as: Int.self)

                    // INSERT: created in PASI under the client's RefId; the local store holds PASI's version.
                    let id = try await database.scalar("""
                        INSERT INTO sis.classroom_accommodations (student_id, school_year, accommodation_code, comment)
                        VALUES (\(student.id), \(year), 'EXT', 'Extra  time ') RETURNING id
                        """, as: Int.self)
                    let refId = try await Self.refId(database, id)
                    try await eventually(within: .seconds(30), "the accommodation in PASI") {
                        try await Self.pasiCopy(fixture, refId)?.record != nil
                    }
                    let created = try #require(try await Self.pasiCopy(fixture, refId)?.record)
                    #expect(created.asn.digits == student.asn)
                    #expect(created.schoolYear.sisStartYear == year)
                    #expect(created.accommodationCode == "EXT" && created.comment == "Extra time")
                    try await eventually(within: .seconds(10), "the local store at PASI's version") {
                        try await Self.localVersion(database, refId) == created.pasiCoreVersion
                    }
                    #expect(try await Self.lastEvent(database, id).status == "Sent")

                    // UPDATE: an update of the same record, on the local version.
                    try await database.execute("UPDATE sis.classroom_accommodations SET comment = 'Reader provided' WHERE id = \(id)")
                    try await eventually(within: .seconds(30), "the new comment in PASI") {
                        try await Self.pasiCopy(fixture, refId)?.record?.comment == "Reader provided"
                    }
                    let updated = try #require(try await Self.pasiCopy(fixture, refId))
                    #expect(updated.pasiCoreVersion > created.pasiCoreVersion)
                    try await eventually(within: .seconds(10), "the local store at the update's version") {
                        try await Self.localVersion(database, refId) == updated.pasiCoreVersion
                    }
                    #expect(await fixture.province.acceptedSubmitCount(.classroomAccommodation, id: refId) == 2)

                    // PASI → local store: a change made in PASI arrives through PASI Data Available.
                    try await PASIDataAvailableProcessTests.post(
                        fixture, "/change?type=ClassroomAccommodation&id=\(refId)&comment=Changed%20in%20PASI")
                    try await eventually(within: .seconds(30), "PASI's comment in the local store") {
                        try await database.scalar(
                            "SELECT coalesce(comment, '') FROM pasi.classroom_accommodations WHERE ref_id = \(refId)::uuid",
                            as: String.self) == "Changed in PASI"
                    }
                    let changed = try #require(try await Self.pasiCopy(fixture, refId))
                    #expect(try await Self.localVersion(database, refId) == changed.pasiCoreVersion)

                    // Its status (Classroom Accommodation Status Synchronization): PASI's core alert comes in
                    // naming the student, and acknowledging it here reaches PASI's status.
                    try await PASIDataAvailableProcessTests.post(fixture, "/alert", #"""
                        {"type": "ClassroomAccommodation", "id": "\#(refId)", "alertCode": "CA-1", "severity": "Warning", "arguments": {"Code": "EXT"}}
                        """#)
                    var alert: Int64?
                    try await eventually(within: .seconds(30), "PASI's accommodation alert in sync.core_alerts") {
                        alert = try await database.scalar("""
                            SELECT max(id) FROM sync.core_alerts WHERE alert_code = 'CA-1' AND status_type = 'Classroom Accommodation'
                              AND ref_id = \(refId) AND asn = \(student.asn) AND resolved_at IS NULL
                            """, as: Int64?.self)
                        return alert != nil
                    }
                    try await database.execute("UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE id = \(alert!)")
                    try await eventually(within: .seconds(30), "the accommodation's status acknowledged in PASI") {
                        let statuses = try await fixture.client.getStatuses(ClassroomAccommodation.self, [GetStatusesRequest.Key(refId)])
                        return statuses.first?.status.alert.first { $0.alertCode == "CA-1" }?.acknowledgementStatus == .acknowledged
                    }

                    // DELETE: deleted in PASI, on the local version.
                    try await database.execute("DELETE FROM sis.classroom_accommodations WHERE id = \(id)")
                    try await eventually(within: .seconds(30), "the accommodation deleted in PASI") {
                        try await Self.pasiCopy(fixture, refId)?.isDeleted == true
                    }
                    try await eventually(within: .seconds(10), "the local copy gone") {
                        try await Self.localVersion(database, refId) == -1
                    }
                    #expect(try await Self.lastEvent(database, id).status == "Sent")

                    // Switches off: the change is Skipped, saying which switch.
                    try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'classroom_accommodation_dcf_events'")
                    let second = try await database.scalar("""
                        INSERT INTO sis.classroom_accommodations (student_id, school_year, accommodation_code)
                        VALUES (\(student.id), \(year), 'SCR') RETURNING id
                        """, as: Int.self)
                    try await eventually(within: .seconds(30), "the event Skipped (DCF Events off)") {
                        try await Self.lastEvent(database, second).status == "Skipped"
                    }
                    #expect(try await Self.lastEvent(database, second).detail.hasPrefix("Classroom Accommodation DCF Events is off"))
                    try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'classroom_accommodation_dcf_events'")
                    try await database.execute("UPDATE sync.settings SET value = 'off' WHERE key = 'classroom_accommodation_synchronization'")
                    try await database.execute("UPDATE sis.classroom_accommodations SET comment = 'Scribe' WHERE id = \(second)")
                    try await eventually(within: .seconds(30), "the event Skipped (Synchronization off)") {
                        let (status, detail) = try await Self.lastEvent(database, second)
                        return status == "Skipped" && detail.hasPrefix("Classroom Accommodation Synchronization is off")
                    }
                    let secondRef = try await Self.refId(database, second)
                    #expect(try await Self.pasiCopy(fixture, secondRef)?.record == nil)
                    #expect(await fixture.province.acceptedSubmitCount(.classroomAccommodation, id: secondRef) == 0)
                }
            }
        }
    }
}
