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

/// A person's acknowledgement of one of PASI's core alerts reaches PASI (`Submit<Type>StatusAcknowledgement`)
/// through Regular Sync, on a cluster against the simulator over HTTPS: from `pasisync alerts
/// acknowledge` and from psql, through an outage, and not for the alerts this software raises.
@Suite("Acknowledgements reach PASI", .serialized)
struct AcknowledgementProcessTests {
    typealias Available = PASIDataAvailableProcessTests

    /// PASI's word on one alert of a student's status, read with a status Get over HTTPS.
    static func pasiAcknowledgement(_ fixture: SimulatorFixture, asn: String, code: String) async throws -> AcknowledgementStatus? {
        let statuses = try await fixture.client.getStatuses(Student.self, [GetStatusesRequest.Key(asn)])
        return statuses.first?.status.alert.first { $0.alertCode == code }?.acknowledgementStatus
    }

    static func eventStatuses(_ database: TestDatabase, alert: Int64) async throws -> String {
        try await database.scalar("""
            SELECT coalesce(string_agg(status, ',' ORDER BY id), '') FROM sync.data_events
            WHERE table_name = 'sync.core_alerts' AND row_key = \(String(alert))
            """, as: String.self)
    }

    static func acknowledgement(_ database: TestDatabase, _ alert: Int64) async throws -> String {
        try await database.scalar("SELECT acknowledgement FROM sync.core_alerts WHERE id = \(alert)", as: String.self)
    }

    static func raise(_ fixture: SimulatorFixture, asn: String, code: String) async throws {
        try await Available.post(fixture, "/alert", #"""
            {"type": "Student", "id": "\#(asn)", "alertCode": "\#(code)", "severity": "Warning", "message": "To review", "arguments": {"Field": "Phone"}}
            """#)
    }

    @Test("the command and a psql UPDATE reach PASI's status; PASI's next word keeps them; an outage in between: sent once after it; a local Conflict: nothing sent")
    func acknowledgementsReachPASI() async throws {
        try await SimulatorFixture.with(students: 40) { fixture in
            let database = fixture.database
            try await withWorkers(1, database, slots: 4, environment: Available.environment(port: fixture.port)) { _ in
                try await InitialSyncProcessTests.downloaded(fixture)
                // A SIS phone PASI does not have: Initial Synchronization's (local) Phone Number Conflict.
                try await database.execute("""
                    UPDATE sis.students SET home_phone = '403-555-0199' WHERE id = (
                        SELECT min(s.id) FROM sis.students s JOIN pasi.students p ON p.ref_id = s.asn WHERE s.home_phone IS NOT NULL)
                    """)
                _ = try await InitialSyncProcessTests.initialSync(database)
                try await database.execute("UPDATE sync.settings SET value = '1' WHERE key = 'data_available_wait_time_minutes'")
                try await database.execute("UPDATE sync.settings SET value = '30' WHERE key = 'data_events_polling_interval_seconds'")
                try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'regular_synchronization'")
                try await Available.waiting(database)
                let (_, asn, _) = try await Available.studentWithoutPhoneConflict(database)
                try await Self.raise(fixture, asn: asn, code: "ACK-1")
                let first = try await Available.pasiAlert(database, asn: asn, code: "ACK-1")
                #expect(try await Self.acknowledgement(database, first) == "Unacknowledged")

                // The command: PASI's status holds the acknowledgement, once.
                let (status, output) = try await SyncJobProcessTests.command(["alerts", "acknowledge", "\(first)"], database)
                #expect(status == 0, "\(output)")
                #expect(output.contains("alert \(first): Unacknowledged → Acknowledged (Regular Sync sends it to PASI)"), "\(output)")
                try await eventually(within: .seconds(30), "PASI's status acknowledged") {
                    try await Self.pasiAcknowledgement(fixture, asn: asn, code: "ACK-1") == .acknowledged
                }
                try await eventually(within: .seconds(10), "the acknowledgement's event Sent") {
                    try await Self.eventStatuses(database, alert: first) == "Sent"
                }
                #expect(await fixture.province.acknowledgementCount(.student, id: asn) == 1)

                // PASI's next word on the status (a new alert on it) keeps the acknowledgement.
                try await Self.raise(fixture, asn: asn, code: "ACK-2")
                let second = try await Available.pasiAlert(database, asn: asn, code: "ACK-2")
                #expect(try await Self.acknowledgement(database, first) == "Acknowledged")

                // psql: the same.
                try await database.execute("UPDATE sync.core_alerts SET acknowledgement = 'In Progress', updated_at = now() WHERE id = \(second)")
                try await eventually(within: .seconds(30), "PASI's status In Progress") {
                    try await Self.pasiAcknowledgement(fixture, asn: asn, code: "ACK-2") == .inProgress
                }
                #expect(await fixture.province.acknowledgementCount(.student, id: asn) == 2)

                // An outage in between: the acknowledgement waits, Pending, and is sent once after it.
                try await Available.post(fixture, "/faults", #"{"outageSeconds": 8}"#)
                let (undo, undone) = try await SyncJobProcessTests.command(["alerts", "acknowledge", "\(first)", "--as", "Unacknowledged"], database)
                #expect(undo == 0, "\(undone)")
                try await eventually(within: .seconds(20), "a failed attempt waiting to retry") {
                    try await database.scalar("""
                        SELECT count(*)::int FROM sync.outbound_retries WHERE table_name = 'sync.core_alerts' AND row_key = \(String(first))
                        """, as: Int.self) == 1
                }
                #expect(try await Self.eventStatuses(database, alert: first) == "Sent,Pending")
                // (PASI is unreachable: read the simulator's province itself.)
                let during = await fixture.province.statuses(Student.self, [GetStatusesRequest.Key(asn)])
                #expect(during.first?.status.alert.first { $0.alertCode == "ACK-1" }?.acknowledgementStatus == .acknowledged)
                try await eventually(within: .seconds(60), "PASI's status Unacknowledged after the outage") {
                    try await Self.pasiAcknowledgement(fixture, asn: asn, code: "ACK-1") == .unacknowledged
                }
                try await eventually(within: .seconds(10), "the event Sent") {
                    try await Self.eventStatuses(database, alert: first) == "Sent,Sent"
                }
                #expect(await fixture.province.acknowledgementCount(.student, id: asn) == 3)
                #expect(try await database.scalar("SELECT count(*)::int FROM sync.open_alerts WHERE alert_code = 'SYNC_FAILED'", as: Int.self) == 0)

                // A local Conflict of Initial Synchronization: acknowledged here only.
                let conflict = try await database.scalar(
                    "SELECT min(id) FROM sync.core_alerts WHERE alert_type = 'Conflict' AND conflict_type = 'Phone Number' AND resolved_at IS NULL",
                    as: Int64?.self)
                let local = try #require(conflict, "Initial Synchronization raised the Phone Number Conflict")
                let (localStatus, localOutput) = try await SyncJobProcessTests.command(["alerts", "acknowledge", "\(local)"], database)
                #expect(localStatus == 0, "\(localOutput)")
                #expect(!localOutput.contains("Regular Sync sends it"), "\(localOutput)")
                #expect(try await Self.acknowledgement(database, local) == "Acknowledged")
                #expect(try await Self.eventStatuses(database, alert: local) == "")
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.data_events WHERE table_name = 'sync.core_alerts'", as: Int.self) == 3)
                // PASI's own acknowledgement coming in (set in PASI) is filed, and writes no event.
                try await Available.post(fixture, "/alert", #"""
                    {"type": "Student", "id": "\#(asn)", "alertCode": "ACK-2", "severity": "Warning", "message": "To review",
                     "acknowledgementStatus": "Overridden", "arguments": {"Field": "Phone"}}
                    """#)
                try await eventually(within: .seconds(90), "PASI's Overridden filed (PASI Data Available back from the outage)") {
                    try await Self.acknowledgement(database, second) == "Overridden"
                }
                #expect(try await database.scalar(
                    "SELECT count(*)::int FROM sync.data_events WHERE table_name = 'sync.core_alerts'", as: Int.self) == 3)

                // Overridden set in psql: only Alberta Education may set it
                // (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_status_acknowledgement.html;
                // rule_12003.html): never sent, a Rejection alert says why.
                let sent = await fixture.province.acknowledgementCount(.student, id: asn)
                try await database.execute("UPDATE sync.core_alerts SET acknowledgement = 'Overridden', updated_at = now() WHERE id = \(first)")
                try await eventually(within: .seconds(60), "the Overridden refused with a Rejection alert") {
                    try await database.scalar("""
                        SELECT count(*)::int FROM sync.open_alerts WHERE alert_type = 'Rejection' AND alert_code = 'SYNC_REJECTED'
                          AND message LIKE '%only Alberta Education may set a core alert to Overridden%'
                        """, as: Int.self) == 1
                }
                #expect(await fixture.province.acknowledgementCount(.student, id: asn) == sent)
                #expect(try await Self.pasiAcknowledgement(fixture, asn: asn, code: "ACK-1") == .unacknowledged)
            }
        }
    }
}
