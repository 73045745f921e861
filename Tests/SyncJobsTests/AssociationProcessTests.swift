import Foundation
import PASIContract
import PASIModel
import PASISimulator
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// A student the authority stops being associated with, as the client sees it: PASI stops
/// announcing it, and Hash Synchronization asks for it, finds No Access and keeps the local copy.
@Suite("Association: a student leaving the association through Hash Synchronization", .serialized)
struct AssociationProcessTests {
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/is_data_available.html (the feed
    // carries only the students associated to the organization),
    // https://extranet.education.alberta.ca/pasidevnet/Docs/Business/by_recent_school_enrolment.html (12
    // months after the student leaves), and the Availability Status No Access
    // (https://extranet.education.alberta.ca/pasidevnet/Docs/Technical%20API/html/b17437c6-163c-eb81-e988-5ccc3f34197f.htm).
    @Test("Hash Synchronization reports a student no longer associated (its enrolments ended 13 months ago) as No Access and keeps its local record")
    func leavesTheAssociation() async throws {
        try await SimulatorFixture.with(students: 120) { fixture in
            let database = fixture.database
            try await GettingReadyProcessTests.firstDay(fixture)
            let environment = SyncJobProcessTests.pasiEnvironment(port: fixture.port)
            try await withWorkers(1, database, slots: 3, environment: environment) { _ in
                let (loaded, loadOutput) = try await SyncJobProcessTests.command(["run", "load-local-copy", "--wait"], database, within: .seconds(120))
                #expect(loaded == 0, "\(loadOutput)")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'hash_synchronization'")

                let province = fixture.province
                let store = PASIStore(client: database.client, logger: TestEnvironment.logger)
                var asn: String?
                for held in try await store.versions(of: .student).map(\.id).sorted()
                where await province.association(of: held).kinds.contains(.byCurrentSchoolEnrolment) {
                    asn = held
                    break
                }
                let student = try #require(asn)
                let enrolments = await province.all(SchoolEnrolment.self).filter { $0.asn.digits == student }
                // PASI's date is 2026-02-01: 13½ months later, no association is left.
                #expect(try await province.endEnrolments(ofStudent: student, on: PASIDate("2024-12-15")).kinds.isEmpty)
                #expect(await province.unassociatedStudents == [student])

                let (status, output) = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
                #expect(status == 0, "\(output)")
                let job = try await GettingReadyProcessTests.lastJob(database, kind: "hash_sync")
                #expect(try await store.student(asn: ASN(student)) != nil, "No Access keeps the local record")
                #expect(try await database.scalar(
                    "SELECT availability FROM pasi.record_availability WHERE record_type = 'Student' AND ref_id = \(student)",
                    as: String.self) == "NoAccess")
                #expect(try await database.scalar(
                    "SELECT no_access::int FROM sync.hash_sync_status WHERE job_id = \(job) AND notification_type = 'Student'", as: Int.self) == 1)
                for enrolment in enrolments {
                    #expect(try await store.schoolEnrolment(refId: enrolment.refId) != nil, "its enrolments stay too")
                    #expect(try await database.scalar(
                        "SELECT availability FROM pasi.record_availability WHERE record_type = 'StudentSchoolEnrolment' AND ref_id = \(enrolment.refId.value)",
                        as: String.self) == "NoAccess")
                }

                // Marked, the student is left out of the local hash: the next run matches PASI's list.
                _ = try await SyncJobProcessTests.command(["run", "hash-sync", "--wait"], database)
                let next = try await GettingReadyProcessTests.lastJob(database, kind: "hash_sync")
                #expect(try await database.scalar(
                    "SELECT status FROM sync.hash_results WHERE job_id = \(next) AND notification_type = 'Student'", as: String.self) == "Matched")
            }
        }
    }
}
