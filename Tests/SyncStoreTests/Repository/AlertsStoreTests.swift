import PASIModel
import PostgresNIO
import SyncStore
import Testing
import PasisyncTesting

@Suite("The alerts repository")
struct AlertsStoreTests {
    static func store(_ database: TestDatabase) -> AlertsStore { AlertsStore(client: database.client, logger: TestEnvironment.logger) }

    static func coreAlert(_ n: Int, code: String = "E1234", arguments: [(key: String, value: String)]) throws -> CoreAlert {
        try CoreAlert(
            refId: PASIFixtures.refId(n, 3), statusType: .enrolment, alertCode: code, type: .warning, severity: .warning,
            arguments: AlertArguments(arguments), message: "Grade does not match age")
    }

    @Test("a raised alert reads back with its arguments and context, and the open list filters by type and status type")
    func raiseAndList() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let warning = AlertRecord(
                try Self.coreAlert(1, arguments: [("Grade", "10"), ("Age", "12")]), asn: PASIFixtures.asn(1), studentID: 7,
                enrolmentID: 70, schoolCode: PASIFixtures.school, schoolYear: PASIFixtures.year)
            let conflict = try AlertRecord(
                type: .conflict, statusType: .student, alertCode: "UNMATCHED_ASN", conflictType: .unmatchedASN,
                message: "No PASI student has this ASN", arguments: AlertArguments(["ASN": "900000009"]), studentID: 8)
            let warningID = try await store.raise(warning)
            let conflictID = try await store.raise(conflict)

            let stored = try #require(try await store.alert(id: warningID))
            #expect(stored.record == warning)
            #expect(stored.acknowledgement == .unacknowledged)
            #expect(stored.resolvedAt == nil)
            #expect(try await store.openAlerts().map(\.id) == [conflictID, warningID])
            #expect(try await store.openAlerts(type: .conflict).map(\.record) == [conflict])
            #expect(try await store.openAlerts(statusType: .enrolment).map(\.id) == [warningID])
            #expect(try await store.openAlerts(type: .conflict, statusType: .enrolment).isEmpty)
            #expect(try await store.openAlerts(conflictType: .unmatchedASN, acknowledgement: .unacknowledged).map(\.id) == [conflictID])
            #expect(try await store.openAlerts(limit: 1).count == 1)

            try await store.resolve(id: conflictID)
            #expect(try await store.openAlerts().map(\.id) == [warningID])
            #expect(try await store.alert(id: conflictID)?.resolvedAt != nil)
        }
    }

    @Test("raising an open alert again keeps one alert and its acknowledgement, whatever the order of its arguments")
    func reraiseKeepsOneAlert() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let first = try await store.raise(AlertRecord(try Self.coreAlert(1, arguments: [("Grade", "10"), ("Age", "12")])))
            try await store.acknowledge(id: first, as: .inProgress)
            let again = try await store.raise(AlertRecord(try Self.coreAlert(1, arguments: [("Age", "12"), ("Grade", "10")])))
            #expect(again == first)
            #expect(try await store.openAlerts().map(\.acknowledgement) == [.inProgress])
            // Other arguments make another alert.
            let other = try await store.raise(AlertRecord(try Self.coreAlert(1, arguments: [("Age", "13"), ("Grade", "10")])))
            #expect(other != first)
        }
    }

    @Test("an acknowledgement matches RefId, alert code and argument set in any key order, and nothing else")
    func acknowledgementMatching() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let target = try await store.raise(AlertRecord(try Self.coreAlert(1, arguments: [("Grade", "10"), ("Age", "12")])))
            let otherArguments = try await store.raise(AlertRecord(try Self.coreAlert(1, arguments: [("Grade", "11"), ("Age", "12")])))
            let otherCode = try await store.raise(AlertRecord(try Self.coreAlert(1, code: "E9999", arguments: [("Grade", "10"), ("Age", "12")])))
            let otherRecord = try await store.raise(AlertRecord(try Self.coreAlert(2, arguments: [("Grade", "10"), ("Age", "12")])))

            let key = AlertKey(refId: PASIFixtures.refId(1, 3), alertCode: "E1234", arguments: try AlertArguments([("Age", "12"), ("Grade", "10")]))
            #expect(try await store.acknowledge(AlertAcknowledgement(key: key, status: .acknowledged)) == 1)
            #expect(try await store.alert(id: target)?.acknowledgement == .acknowledged)
            for id in [otherArguments, otherCode, otherRecord] {
                #expect(try await store.alert(id: id)?.acknowledgement == .unacknowledged)
            }
            let subset = AlertKey(refId: key.refId, alertCode: "E1234", arguments: AlertArguments(["Grade": "10"]))
            #expect(try await store.acknowledge(AlertAcknowledgement(key: subset, status: .overridden)) == 0)
        }
    }

    @Test("an alert that is not a conflict cannot carry a conflict type, here or in the database")
    func conflictTypeOnlyOnConflicts() async throws {
        let refused = #expect(throws: PASIModelError.self) {
            try AlertRecord(type: .failure, statusType: .student, alertCode: "F1", conflictType: .gender)
        }
        #expect(refused?.description == "AlertRecord.conflictType must be empty unless the alert is a Conflict, got Gender")
        try await TestDatabase.with { database in
            let message = await database.refusal("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code)
                VALUES ('Failure', 'Student', 'Gender', 'F1')
                """)
            #expect(message?.contains("conflict_type_only_on_conflicts") == true)
        }
    }

    @Test("a person may delete conflicts, rejections and failures, not advice or warnings")
    func deletion() async throws {
        try await TestDatabase.with { database in
            let store = Self.store(database)
            let warning = try await store.raise(AlertRecord(try Self.coreAlert(1, arguments: [("Grade", "10")])))
            let failure = try await store.raise(try AlertRecord(
                type: .failure, statusType: .enrolment, alertCode: "FAULT_3004", message: "stale version", refId: PASIFixtures.refId(5).value))
            let refused = await #expect(throws: SyncStoreError.self) { try await store.delete(id: warning) }
            #expect(refused?.code == .notDeletable)
            #expect(refused?.description == "alert \(warning) is a Warning: only conflicts, rejections and failures can be deleted")
            try await store.delete(id: failure)
            #expect(try await store.alert(id: failure) == nil)
            let missing = await #expect(throws: SyncStoreError.self) { try await store.delete(id: failure) }
            #expect(missing?.code == .notFound)
            #expect(try await store.deleteAll(ids: [warning, failure]) == 1)
            #expect(try await store.openAlerts().isEmpty)
        }
    }
}
