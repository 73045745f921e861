import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("PASI's core alerts filed in the local store")
struct IncomingStoreTests {
    static func alert(_ acknowledgement: AcknowledgementStatus) -> IncomingStatusAlert {
        IncomingStatusAlert(refId: "123456789", statusType: .student, alertType: .warning, severity: .warning, alertCode: "W-101",
                            message: "Check the mailing address", acknowledgement: acknowledgement,
                            arguments: AlertArguments(["Field": "Mailing Address"]), schoolYear: nil)
    }

    static func file(_ acknowledgement: AcknowledgementStatus, in database: TestDatabase) async throws {
        let store = IncomingStore(client: database.client, logger: TestEnvironment.logger)
        _ = try await database.client.withTransaction(logger: TestEnvironment.logger) { connection in
            try await store.fileStatusAlerts([alert(acknowledgement)], of: [(.student, "123456789")], raisedBy: "pasi_data_available",
                                             jobID: nil, on: connection)
        }
    }

    static func acknowledgement(in database: TestDatabase) async throws -> String? {
        let rows = try await database.client.query(
            "SELECT acknowledgement FROM sync.core_alerts WHERE ref_id = '123456789' AND resolved_at IS NULL",
            logger: TestEnvironment.logger)
        for try await value in rows.decode(String.self) { return value }
        return nil
    }

    @Test("a person's acknowledgement is kept against PASI's word while its event is Pending, and PASI's word counts once it is sent")
    func keepsPendingAcknowledgement() async throws {
        try await TestDatabase.with { database in
            try await Self.file(.unacknowledged, in: database)
            #expect(try await Self.acknowledgement(in: database) == "Unacknowledged")

            // A person acknowledges it with psql: the trigger leaves a Pending event for Regular Sync.
            try await database.execute("UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged' WHERE ref_id = '123456789'")
            try await Self.file(.unacknowledged, in: database)
            #expect(try await Self.acknowledgement(in: database) == "Acknowledged")

            // Once sent, PASI's next word is the truth again (here PASI did not take it).
            try await database.execute("UPDATE sync.data_events SET status = 'Sent', handled_at = now() WHERE table_name = 'sync.core_alerts'")
            try await Self.file(.unacknowledged, in: database)
            #expect(try await Self.acknowledgement(in: database) == "Unacknowledged")
        }
    }
}
