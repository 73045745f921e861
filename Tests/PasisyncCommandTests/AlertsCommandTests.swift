import Foundation
import PASIModel
import PostgresNIO
import Testing
import PasisyncTesting

/// The real `pasisync alerts` binary over a planted set of alerts.
@Suite("pasisync alerts")
struct AlertsCommandTests {
    /// Two SIS students and eight alerts, one of them resolved, raised a minute apart (oldest first).
    struct Planted {
        var studentA: Int
        var studentB: Int
        let asnA = "100000017"
        let asnB = "100000025"
        /// The alerts' ids, by their number in ``plant(_:)``.
        var id: [Int: Int64] = [:]

        /// Ids of planted alerts by their numbers.
        func ids(_ numbers: Int...) -> [Int64] { numbers.map { id[$0]! } }
    }

    static func plant(_ database: TestDatabase) async throws -> Planted {
        let a = try await database.addStudent(number: 100_001, asn: "100000017")
        let b = try await database.addStudent(number: 100_002, asn: "100000025")
        var planted = Planted(studentA: a, studentB: b)
        // (number, type, status type, conflict type, code, acknowledgement, school, student, asn, resolved)
        let rows: [(Int, String, String, String?, String, String, String?, Int?, String?, Bool)] = [
            (1, "Conflict", "Student", "Phone Number", "PHONE_DIFF", "Unacknowledged", "1042", a, planted.asnA, false),
            (2, "Conflict", "Student", "Gender", "GENDER_DIFF", "Acknowledged", "1042", b, nil, false),
            (3, "Conflict", "Enrolment", "School Enrolment", "ENR_UNMATCHED", "Unacknowledged", "2001", a, nil, false),
            (4, "Warning", "Enrolment", nil, "W123", "In Progress", "2001", nil, planted.asnB, false),
            (5, "Advice", "Student", nil, "A456", "Unacknowledged", nil, nil, planted.asnA, false),
            (6, "Failure", "Synchronization", nil, "JOB_FAILED", "Unacknowledged", nil, nil, nil, false),
            (7, "Rejection", "Student", nil, "R789", "Overridden", "1042", b, nil, false),
            (8, "Conflict", "Student", "Phone Number", "PHONE_DIFF", "Unacknowledged", "1042", b, nil, true),
        ]
        for (n, type, statusType, conflictType, code, acknowledgement, school, student, asn, resolved) in rows {
            let id = try await database.scalar("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, acknowledgement, school_code,
                                              student_id, asn, ref_id, message, arguments, created_at, resolved_at)
                VALUES (\(type), \(statusType), \(conflictType), \(code), \(acknowledgement), \(school), \(student), \(asn),
                        \("ref-\(n)"), \("Alert number \(n) for review"), \("{\"n\": \"\(n)\"}")::jsonb,
                        now() - \(Double(10 - n)) * interval '1 minute',
                        CASE WHEN \(resolved) THEN now() ELSE NULL END)
                RETURNING id
                """, as: Int64.self)
            planted.id[n] = id
        }
        return planted
    }

    /// The alert ids of a list's table, top to bottom.
    static func listedIDs(_ stdout: String) -> [Int64] {
        stdout.split(separator: "\n").dropFirst().compactMap { line in line.split(separator: " ").first.flatMap { Int64($0) } }
    }

    static func list(_ arguments: [String], _ database: TestDatabase) async throws -> [Int64] {
        let run = try await CommandRun.pasisync(["alerts"] + arguments, database: database)
        #expect(run.status == 0, "alerts \(arguments): \(run.stderr)")
        return listedIDs(run.stdout)
    }

    static func acknowledgements(_ database: TestDatabase) async throws -> [Int64: String] {
        let rows = try await database.client.query("SELECT id, acknowledgement FROM sync.core_alerts", logger: TestEnvironment.logger)
        var found: [Int64: String] = [:]
        for try await (id, status) in rows.decode((Int64, String).self) { found[id] = status }
        return found
    }

    static func exists(_ id: Int64, _ database: TestDatabase) async throws -> Bool {
        try await database.scalar("SELECT EXISTS (SELECT 1 FROM sync.core_alerts WHERE id = \(id))", as: Bool.self)
    }

    @Test("alerts lists the open alerts newest first with school, student id/number and a grouped ASN, and no names")
    func listShowsOpenAlerts() async throws {
        try await TestDatabase.with { database in
            let p = try await Self.plant(database)
            let run = try await CommandRun.pasisync(["alerts"], database: database)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(Self.listedIDs(run.stdout) == p.ids(7, 6, 5, 4, 3, 2, 1))
            let header = run.stdout.split(separator: "\n").first.map(String.init) ?? ""
            for column in ["ID", "TYPE", "STATUS TYPE", "CONFLICT TYPE", "CODE", "ACKNOWLEDGEMENT", "SCHOOL", "STUDENT", "ASN", "MESSAGE"] {
                #expect(header.contains(column), "no \(column) in \(header)")
            }
            let first = run.stdout.split(separator: "\n").first { $0.hasPrefix("\(p.id[1]!) ") }.map(String.init) ?? ""
            #expect(first.contains("Conflict") && first.contains("Phone Number") && first.contains("PHONE_DIFF"), "\(first)")
            #expect(first.contains("1042") && first.contains("\(p.studentA)/100001") && first.contains("1000-0001-7"), "\(first)")
            #expect(first.contains("Alert number 1 for review"), "\(first)")
            #expect(!run.stdout.contains("Doe") && !run.stdout.contains("Jane"), "names shown:\n\(run.stdout)")
            #expect(run.stdout.contains("open alerts 1-7 of 7"), "\(run.stdout)")

            let resolved = try await Self.list(["list", "--include-resolved"], database)
            #expect(resolved == p.ids(8, 7, 6, 5, 4, 3, 2, 1))
            let limited = try await CommandRun.pasisync(["alerts", "--limit", "2"], database: database)
            #expect(Self.listedIDs(limited.stdout) == p.ids(7, 6))
            #expect(limited.stdout.contains("open alerts 1-2 of 7"), "\(limited.stdout)")
        }
    }

    @Test("each filter of the PASI Core Alerts page narrows the list to exactly its alerts")
    func filtersNarrow() async throws {
        try await TestDatabase.with { database in
            let p = try await Self.plant(database)
            let cases: [([String], [Int64])] = [
                (["--type", "Conflict"], p.ids(3, 2, 1)),
                (["--type", "Warning"], p.ids(4)),
                (["--status", "Unacknowledged"], p.ids(6, 5, 3, 1)),
                (["--status", "In Progress"], p.ids(4)),
                (["--status-type", "Enrolment"], p.ids(4, 3)),
                (["--status-type", "Synchronization"], p.ids(6)),
                (["--conflict-type", "Phone Number"], p.ids(1)),
                (["--conflict-type", "Phone Number", "--include-resolved"], p.ids(8, 1)),
                (["--school", "1042"], p.ids(7, 2, 1)),
                (["--code", "PHONE_DIFF"], p.ids(1)),
                // A student by SIS id, by student number, by ASN (either form): its alerts, and those
                // that carry only its ASN.
                (["--student", "\(p.studentA)"], p.ids(5, 3, 1)),
                (["--student", "100002"], p.ids(7, 4, 2)),
                (["--student", "1000-0001-7"], p.ids(5, 3, 1)),
                (["--student", "100000025"], p.ids(7, 4, 2)),
                (["--student", "424242"], []),
                (["--type", "Conflict", "--status", "Unacknowledged", "--status-type", "Student"], p.ids(1)),
                (["--type", "conflict", "--status", "in progress"], []),
            ]
            for (arguments, expected) in cases {
                let listed = try await Self.list(["list"] + arguments, database)
                #expect(listed == expected, "alerts \(arguments.joined(separator: " "))")
            }
        }
    }

    @Test("alerts summary counts per type, status type, conflict type and acknowledgement as sync.open_alert_counts does, with a total")
    func summaryCounts() async throws {
        try await TestDatabase.with { database in
            _ = try await Self.plant(database)
            // One more Conflict in a group that already has one, so a count above 1 is checked.
            try await database.execute("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, school_code)
                VALUES ('Conflict', 'Student', 'Phone Number', 'PHONE_DIFF', '1042')
                """)
            let run = try await CommandRun.pasisync(["alerts", "summary"], database: database)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            let lines = run.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
            let view = try await database.client.query("""
                SELECT alert_type, status_type, conflict_type, acknowledgement, alerts FROM sync.open_alert_counts
                """, logger: TestEnvironment.logger)
            var viewRows = 0
            for try await (type, statusType, conflictType, acknowledgement, alerts) in view.decode((String, String, String, String, Int64).self) {
                viewRows += 1
                let expected = [type, statusType, conflictType, acknowledgement, "\(alerts)"].filter { !$0.isEmpty }.joined(separator: " ")
                #expect(lines.contains { $0.hasPrefix(expected + " ") }, "no line \(expected) in:\n\(run.stdout)")
            }
            #expect(viewRows == 7)
            #expect(lines.contains { $0.hasPrefix("Conflict Student Phone Number Unacknowledged 2 ") }, "\(run.stdout)")
            #expect(lines.contains("total 8 open alerts"), "\(run.stdout)")
            #expect(lines.contains("by alert type: Advice 1, Conflict 4, Failure 1, Rejection 1, Warning 1"), "\(run.stdout)")
            #expect(lines.contains("by acknowledgement: Acknowledged 1, In Progress 1, Overridden 1, Unacknowledged 5"), "\(run.stdout)")

            let school = try await CommandRun.pasisync(["alerts", "summary", "--school", "1042", "--type", "Conflict"], database: database)
            #expect(school.status == 0, "stderr: \(school.stderr)")
            #expect(school.stdout.contains("total 3 open alerts"), "\(school.stdout)")
            let resolved = try await CommandRun.pasisync(["alerts", "summary", "--include-resolved"], database: database)
            #expect(resolved.stdout.contains("total 9 alerts"), "\(resolved.stdout)")
            let none = try await CommandRun.pasisync(["alerts", "summary", "--student", "424242"], database: database)
            #expect(none.status == 0 && none.stdout.contains("total 0"), "\(none.stdout)\(none.stderr)")
        }
    }

    @Test("alerts acknowledge sets every named alert, Acknowledged by default; an unknown id is named and nothing changes")
    func acknowledge() async throws {
        try await TestDatabase.with { database in
            let p = try await Self.plant(database)
            let before = try await Self.acknowledgements(database)
            let refused = try await CommandRun.pasisync(
                ["alerts", "acknowledge", "\(p.id[1]!)", "999999", "\(p.id[3]!)", "999998", "--as", "Overridden"], database: database)
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("999998, 999999") && refused.stderr.contains("nothing was changed"), "stderr: \(refused.stderr)")
            #expect(try await Self.acknowledgements(database) == before)

            let run = try await CommandRun.pasisync(
                ["alerts", "acknowledge", "\(p.id[1]!)", "\(p.id[3]!)", "--as", "In Progress"], database: database)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("alert \(p.id[1]!): Unacknowledged → In Progress"), "\(run.stdout)")
            #expect(run.stdout.contains("2 alerts set to In Progress"), "\(run.stdout)")
            var expected = before
            expected[p.id[1]!] = "In Progress"
            expected[p.id[3]!] = "In Progress"
            #expect(try await Self.acknowledgements(database) == expected)

            // The default, and an alert already in that status.
            let plain = try await CommandRun.pasisync(["alerts", "acknowledge", "\(p.id[1]!)", "\(p.id[2]!)"], database: database)
            #expect(plain.status == 0, "stderr: \(plain.stderr)")
            #expect(plain.stdout.contains("alert \(p.id[2]!): already Acknowledged"), "\(plain.stdout)")
            #expect(plain.stdout.contains("1 alert set to Acknowledged"), "\(plain.stdout)")
            expected[p.id[1]!] = "Acknowledged"
            #expect(try await Self.acknowledgements(database) == expected)
            // What the list's --status filter then finds.
            #expect(try await Self.list(["--status", "Acknowledged"], database) == p.ids(2, 1))

            let bad = try await CommandRun.pasisync(["alerts", "acknowledge", "\(p.id[1]!)", "--as", "Done"], database: database)
            #expect(bad.status != 0)
            #expect(bad.stderr.contains("\"In Progress\"") && bad.stderr.contains("Overridden"), "stderr: \(bad.stderr)")
            #expect(try await Self.acknowledgements(database) == expected)

            // One of PASI's core alerts (a severity, a RefId, no subject): only Alberta Education may set
            // Overridden (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_status_acknowledgement.html),
            // so it is refused before anything changes or is sent.
            try await database.execute("UPDATE sync.core_alerts SET severity = 'Warning' WHERE id = \(p.id[4]!)")
            let overridden = try await CommandRun.pasisync(["alerts", "acknowledge", "\(p.id[4]!)", "\(p.id[1]!)", "--as", "Overridden"], database: database)
            #expect(overridden.status != 0)
            #expect(overridden.stderr.contains("only Alberta Education may set PASI's core alerts to Overridden (alerts \(p.id[4]!))")
                    && overridden.stderr.contains("nothing was changed"), "stderr: \(overridden.stderr)")
            #expect(try await Self.acknowledgements(database) == expected)
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.data_events WHERE table_name = 'sync.core_alerts'", as: Int.self) == 0)
        }
    }

    @Test("alerts delete by ids removes Conflicts, Rejections and Failures, all or none")
    func deleteByIDs() async throws {
        try await TestDatabase.with { database in
            let p = try await Self.plant(database)
            let run = try await CommandRun.pasisync(["alerts", "delete", "\(p.id[6]!)", "\(p.id[7]!)"], database: database)
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("deleted 2 alerts"), "\(run.stdout)")
            #expect(try await Self.exists(p.id[6]!, database) == false)
            #expect(try await Self.exists(p.id[7]!, database) == false)

            // An Advice among them: refused, with why, and the Conflict beside it kept.
            let advice = try await CommandRun.pasisync(["alerts", "delete", "\(p.id[1]!)", "\(p.id[5]!)"], database: database)
            #expect(advice.status != 0)
            #expect(advice.stderr.contains("alert \(p.id[5]!) is an Advice"), "stderr: \(advice.stderr)")
            #expect(advice.stderr.contains("Advice and Warnings come from PASI and go when PASI drops them"), "stderr: \(advice.stderr)")
            #expect(try await Self.exists(p.id[1]!, database))
            #expect(try await Self.exists(p.id[5]!, database))

            // An unknown id: named, nothing deleted.
            let unknown = try await CommandRun.pasisync(["alerts", "delete", "\(p.id[1]!)", "424242"], database: database)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("424242") && unknown.stderr.contains("nothing was deleted"), "stderr: \(unknown.stderr)")
            #expect(try await Self.exists(p.id[1]!, database))

            let count = try await database.scalar("SELECT count(*)::int8 FROM sync.core_alerts", as: Int64.self)
            #expect(count == 6)
        }
    }

    @Test("alerts delete --type with --code or --conflict-type removes just those open alerts; --include-resolved the resolved ones too")
    func deleteByType() async throws {
        try await TestDatabase.with { database in
            let p = try await Self.plant(database)
            let code = try await CommandRun.pasisync(["alerts", "delete", "--type", "Conflict", "--code", "PHONE_DIFF"], database: database)
            #expect(code.status == 0, "stderr: \(code.stderr)")
            #expect(code.stdout.contains("deleted 1 alert"), "\(code.stdout)")
            #expect(try await Self.exists(p.id[1]!, database) == false)
            #expect(try await Self.exists(p.id[8]!, database))  // resolved: kept

            let resolved = try await CommandRun.pasisync(
                ["alerts", "delete", "--type", "Conflict", "--code", "PHONE_DIFF", "--include-resolved"], database: database)
            #expect(resolved.stdout.contains("deleted 1 alert"), "\(resolved.stdout)")
            #expect(try await Self.exists(p.id[8]!, database) == false)

            let conflictType = try await CommandRun.pasisync(["alerts", "delete", "--type", "Conflict", "--conflict-type", "Gender"], database: database)
            #expect(conflictType.stdout.contains("deleted 1 alert"), "\(conflictType.stdout)")
            #expect(try await Self.exists(p.id[2]!, database) == false)
            #expect(try await Self.exists(p.id[3]!, database))

            let failures = try await CommandRun.pasisync(["alerts", "delete", "--type", "Failure"], database: database)
            #expect(failures.stdout.contains("deleted 1 alert"), "\(failures.stdout)")
            let none = try await CommandRun.pasisync(["alerts", "delete", "--type", "Rejection", "--code", "NO_SUCH"], database: database)
            #expect(none.status == 0 && none.stdout.contains("deleted 0 alerts"), "\(none.stdout)\(none.stderr)")

            let left = try await database.scalar("SELECT string_agg(alert_code, ',' ORDER BY id) FROM sync.core_alerts", as: String.self)
            #expect(left == "ENR_UNMATCHED,W123,A456,R789")
        }
    }

    @Test("alerts delete of Advice or Warnings is refused with why, and deletes nothing")
    func deleteAdviceAndWarningsRefused() async throws {
        try await TestDatabase.with { database in
            let p = try await Self.plant(database)
            for (arguments, says) in [
                (["--type", "Warning"], "Warnings cannot be deleted"), (["--type", "Advice"], "Advice cannot be deleted"),
                (["\(p.id[4]!)"], "alert \(p.id[4]!) is a Warning"),
            ] {
                let run = try await CommandRun.pasisync(["alerts", "delete"] + arguments, database: database)
                #expect(run.status != 0, "delete \(arguments)")
                #expect(run.stderr.contains(says), "stderr: \(run.stderr)")
                #expect(run.stderr.contains("Advice and Warnings come from PASI and go when PASI drops them: acknowledge them instead"),
                        "stderr: \(run.stderr)")
            }
            let count = try await database.scalar("SELECT count(*)::int8 FROM sync.core_alerts", as: Int64.self)
            #expect(count == 8)
            let both = try await CommandRun.pasisync(["alerts", "delete", "\(p.id[1]!)", "--type", "Conflict"], database: database)
            #expect(both.status != 0 && both.stderr.contains("not both"), "stderr: \(both.stderr)")
            let neither = try await CommandRun.pasisync(["alerts", "delete"], database: database)
            #expect(neither.status != 0 && neither.stderr.contains("name the alerts to delete"), "stderr: \(neither.stderr)")
        }
    }

    /// The values a CHECK constraint of sync.core_alerts allows, as it spells them.
    static func allowed(by constraint: String, _ database: TestDatabase) async throws -> Set<String> {
        let definition = try await database.scalar("""
            SELECT pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = 'sync.core_alerts'::regclass AND conname = \(constraint)
            """, as: String.self)
        let regex = try Regex("'([^']*)'")
        return Set(definition.matches(of: regex).compactMap { $0.output[1].substring.map(String.init) })
    }

    @Test("a filter value outside the table's CHECK is refused, naming every value the CHECK allows")
    func badFilterValuesRefused() async throws {
        try await TestDatabase.with { database in
            let options = [
                ("--type", "alert_type_is_known"), ("--status", "acknowledgement_is_known"),
                ("--status-type", "status_type_is_known"), ("--conflict-type", "conflict_type_is_known"),
            ]
            for (option, constraint) in options {
                let allowed = try await Self.allowed(by: constraint, database)
                #expect(allowed.count >= 4, "\(constraint): \(allowed)")
                for command in [["alerts", "list"], ["alerts", "summary"]] {
                    let run = try await CommandRun.pasisync(command + [option, "Bogus"], database: database)
                    #expect(run.status != 0, "\(command) \(option) Bogus")
                    #expect(run.stderr.contains("\(option) must be one of"), "stderr: \(run.stderr)")
                    for value in allowed {
                        let shown = value.contains(" ") ? "\"\(value)\"" : value
                        #expect(run.stderr.contains(shown), "\(option): \(value) not named in \(run.stderr)")
                    }
                }
                // And every allowed value is accepted.
                for value in allowed {
                    let run = try await CommandRun.pasisync(["alerts", option, value], database: database)
                    #expect(run.status == 0, "\(option) \(value): \(run.stderr)")
                }
            }
            for (arguments, says) in [
                (["--limit", "0"], "--limit must be from 1 to 10000, got 0"),
                (["--limit", "10001"], "--limit must be from 1 to 10000, got 10001"),
                (["--student", "Jane"], "--student must be an SIS student id, a student number or an ASN"),
                (["--school", "12"], "--school must be four digits"),
                (["--type", "Warning", "--conflict-type", "Gender"], "--conflict-type narrows Conflicts only"),
            ] {
                let run = try await CommandRun.pasisync(["alerts"] + arguments, database: database)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.stderr.contains(says), "stderr: \(run.stderr)")
            }
        }
    }
}
