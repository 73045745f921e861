import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// The PASI Core Alerts page: the seed's filters, counts, bulk acknowledge, delete of Conflicts,
/// Rejections and Failures, Advice and Warnings refused as `pasisync alerts delete` refuses them.
@Suite("console: PASI Core Alerts")
struct ConsoleAlertsTests {
    /// Six open alerts and one resolved, by number → id.
    static func plant(_ database: TestDatabase) async throws -> [Int: Int64] {
        let a = try await database.addStudent(number: 100_001, asn: "100000017")
        // (number, type, status type, conflict type, code, acknowledgement, school, student, resolved)
        let rows: [(Int, String, String, String?, String, String, String?, Int?, Bool)] = [
            (1, "Conflict", "Student", "Phone Number", "PHONE_DIFF", "Unacknowledged", "1042", a, false),
            (2, "Conflict", "Student", "Gender", "GENDER_DIFF", "Unacknowledged", "1042", nil, false),
            (3, "Conflict", "Enrolment", "School Enrolment", "ENR_UNMATCHED", "Unacknowledged", "2001", a, false),
            (4, "Warning", "Enrolment", nil, "W123", "Unacknowledged", "2001", nil, false),
            (5, "Advice", "Student", nil, "A456", "Unacknowledged", nil, nil, false),
            (6, "Failure", "Synchronization", nil, "JOB_FAILED", "Unacknowledged", nil, nil, false),
            (7, "Conflict", "Student", "Phone Number", "PHONE_DIFF", "Unacknowledged", "1042", nil, true),
        ]
        var ids: [Int: Int64] = [:]
        for (n, type, statusType, conflictType, code, acknowledgement, school, student, resolved) in rows {
            ids[n] = try await database.scalar("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, acknowledgement, school_code,
                                              student_id, message, created_at, resolved_at)
                VALUES (\(type), \(statusType), \(conflictType), \(code), \(acknowledgement), \(school), \(student),
                        \("Alert number \(n) for review"), now() - \(Double(10 - n)) * interval '1 minute',
                        CASE WHEN \(resolved) THEN now() ELSE NULL END)
                RETURNING id
                """, as: Int64.self)
        }
        return ids
    }

    /// The alert ids listed in a page's table (the checkboxes an operator sees).
    static func listed(_ html: String) -> [Int64] {
        html.components(separatedBy: "<td>Alert number ").dropFirst().compactMap { Int64($0.prefix { $0.isNumber }) }
    }

    @Test("the seed's filters narrow the list and the counts; a wrong value is refused naming the allowed ones")
    func filters() async throws {
        try await ConsoleFixture.with { console in
            _ = try await Self.plant(console.database)
            let viewer = try await console.login("viewer")
            let all = try await console.get("/alerts", as: viewer)
            #expect(Self.listed(all.text) == [6, 5, 4, 3, 2, 1])
            #expect(all.text.contains("<strong>6</strong> open alerts match."))
            let conflicts = try await console.get("/alerts?type=Conflict&status=Unacknowledged", as: viewer)
            #expect(Self.listed(conflicts.text) == [3, 2, 1])
            #expect(Self.listed(try await console.get("/alerts?type=Conflict&status_type=Student&conflict_type=Phone+Number", as: viewer).text) == [1])
            #expect(Self.listed(try await console.get("/alerts?school=2001", as: viewer).text) == [4, 3])
            #expect(Self.listed(try await console.get("/alerts?student=100000017", as: viewer).text) == [3, 1])
            #expect(Self.listed(try await console.get("/alerts?type=Conflict&include_resolved=1", as: viewer).text) == [7, 3, 2, 1])
            let wrong = try await console.get("/alerts?type=Nonsense", as: viewer)
            #expect(wrong.status == .badRequest)
            #expect(wrong.text.contains("Alert type must be one of Advice"))
        }
    }

    @Test("bulk acknowledge sets every selected alert, or none when one id is unknown")
    func acknowledge() async throws {
        try await ConsoleFixture.with { console in
            let ids = try await Self.plant(console.database)
            let operator_ = try await console.login("operator")
            let done = try await console.post("/alerts/acknowledge", [("id", "\(ids[1]!)"), ("id", "\(ids[2]!)"), ("as", "Acknowledged")],
                                              as: operator_)
            #expect(done.status == .ok)
            #expect(done.text.contains("2 alerts set to Acknowledged"))
            // The page answered is the one the form was on, its filters kept.
            let filtered = try await console.post("/alerts/acknowledge", [("id", "\(ids[3]!)"), ("as", "In Progress"), ("back", "type=Conflict")],
                                                  as: operator_)
            #expect(filtered.text.contains("1 alert set to In Progress"))
            #expect(Self.listed(filtered.text) == [3, 2, 1])
            let refused = try await console.post("/alerts/acknowledge", [("id", "\(ids[4]!)"), ("id", "999999")], as: operator_)
            #expect(refused.status == .notFound)
            #expect(refused.text.contains("nothing was changed"))
            let acknowledged: [Int64] = try await Self.ids(console, "acknowledgement = 'Acknowledged'")
            #expect(acknowledged == [ids[1]!, ids[2]!])
            let none = try await console.post("/alerts/acknowledge", [("as", "Acknowledged")], as: operator_)
            #expect(none.status == .badRequest)
            #expect(none.text.contains("select at least one alert"))
        }
    }

    @Test("delete removes Conflicts, Rejections and Failures; an Advice or a Warning is refused with why, and nothing goes")
    func delete() async throws {
        try await ConsoleFixture.with { console in
            let ids = try await Self.plant(console.database)
            let operator_ = try await console.login("operator")
            let refused = try await console.post("/alerts/delete", [("id", "\(ids[1]!)"), ("id", "\(ids[5]!)")], as: operator_)
            #expect(refused.status == .conflict)
            #expect(refused.text.contains("alert \(ids[5]!) is an Advice: " + ConsoleQueueTests.escaped(AlertsStore.deletionRule)))
            #expect(try await Self.ids(console, "true").count == 7)
            let deleted = try await console.post("/alerts/delete", [("id", "\(ids[1]!)"), ("id", "\(ids[6]!)")], as: operator_)
            #expect(deleted.status == .ok)
            #expect(deleted.text.contains("deleted 2 alerts"))
            #expect(try await Self.ids(console, "true") == [2, 3, 4, 5, 7].map { ids[$0]! })

            let warnings = try await console.post("/alerts/delete-by-type", [("type", "Warning")], as: operator_)
            #expect(warnings.status == .conflict)
            #expect(warnings.text.contains("Warnings cannot be deleted: " + ConsoleQueueTests.escaped(AlertsStore.deletionRule)))
            let byType = try await console.post("/alerts/delete-by-type", [("type", "Conflict"), ("conflict_type", "Gender")], as: operator_)
            #expect(byType.text.contains("deleted 1 alert"))
            #expect(try await Self.ids(console, "true") == [3, 4, 5, 7].map { ids[$0]! })
            let audit = try await console.audit().filter { $0.action.hasPrefix("delete") }.map(\.outcome)
            #expect(audit == ["refused", "done", "refused", "done"])
        }
    }

    static func ids(_ console: ConsoleFixture, _ condition: String) async throws -> [Int64] {
        var ids: [Int64] = []
        for try await id in try await console.database.client.query(
            PostgresQuery(unsafeSQL: "SELECT id FROM sync.core_alerts WHERE \(condition) ORDER BY id"), logger: TestEnvironment.logger
        ).decode(Int64.self) { ids.append(id) }
        return ids
    }
}

/// The Audit Log page and its psql view.
@Suite("console: Audit Log")
struct ConsoleAuditTests {
    @Test("every action is on the Audit Log page and in console.audit_trail, with who and the outcome")
    func auditPage() async throws {
        try await ConsoleFixture.with { console in
            let operator_ = try await console.login("operator")
            _ = try await console.post("/queue/run", [("name", "code-values")], as: operator_)
            _ = try await console.post("/queue/run", [("name", "hash-sync")], as: operator_)
            let page = try await console.get("/audit", as: try await console.login("viewer"))
            #expect(page.status == .ok)
            #expect(page.text.contains("<td>operator</td><td>run</td><td>run code-values</td><td>done</td>"))
            #expect(page.text.contains("<td>operator</td><td>run</td><td>run hash-sync</td><td>refused</td>"))
            let rows: Int = try await console.database.scalar(
                "SELECT count(*)::int FROM console.audit_trail WHERE user_name = 'operator' AND action = 'run' AND at_local <> ''")
            #expect(rows == 2)
        }
    }
}
