import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import PasisyncTesting
import PostgresNIO
import SyncStore
import Testing

/// What the student tests plant: two schools, a matched student of school 1042 whose gender
/// differs between the SIS and the local PASI copy, a student of school 2001, a student only the
/// local PASI copy holds, alerts, data events and PASI messages.
struct PlantedStudents {
    let jane: Int
    let omar: Int
    /// Alerts by name: janeGender (1042), omarPhone (2001), janeNoSchool, omarNoSchool.
    let alerts: [String: Int64]

    static let janeASN = "123456782"
    static let omarASN = "222222226"
    static let pasiOnlyASN = "333333334"

    static func plant(_ database: TestDatabase) async throws -> PlantedStudents {
        for (id, code) in [(1042, "1042"), (2001, "2001")] {
            try await database.execute("""
                INSERT INTO sis.schools (id, school_code, name, is_high_school) VALUES (\(id), \(code), \("School \(code)"), true)
                """)
        }
        try await database.setEventMonitoring(true)
        let jane: Int = try await database.scalar("""
            INSERT INTO sis.students (student_number, asn, last_name, first_name, gender, dob, home_phone)
            VALUES (100001, \(janeASN), 'Tremblay', 'Jane', 'F', '2010-04-05', '780-555-0101') RETURNING id
            """)
        let omar: Int = try await database.scalar("""
            INSERT INTO sis.students (student_number, asn, last_name, first_name, gender, dob)
            VALUES (100002, \(omarASN), 'Haddad', 'Omar', 'M', '2009-01-02') RETURNING id
            """)
        try await database.execute("""
            INSERT INTO sis.enrolments (student_id, school_id, school_year, grade_level, entry_date, is_current)
            VALUES (\(jane), 1042, 2025, '10', '2025-09-02', true), (\(omar), 2001, 2025, '11', '2025-09-02', true)
            """)
        // Jane's home phone changes: a data event, which Regular Synchronization rejected.
        try await database.execute("UPDATE sis.students SET home_phone = '780-555-0199' WHERE id = \(jane)")
        try await database.execute("""
            UPDATE sync.data_events SET status = 'Rejected', handled_at = now(), detail = 'PASI rule 4021 refused the phone'
            WHERE table_name = 'sis.students' AND row_key = \(String(jane)) AND operation = 'U'
            """)
        // The local PASI copies: Jane's says Male (a Gender conflict), the same birth date.
        for (asn, gender, birth, last, first) in [(janeASN, "Male", "2010-04-05", "Tremblay", "Jane"),
                                                  (pasiOnlyASN, "Female", "2011-03-03", "Okafor", "Ada")] {
            try await database.execute("""
                INSERT INTO pasi.students (ref_id, pasi_core_version, gender, birth_date) VALUES (\(asn), 7, \(gender), \(birth)::date)
                """)
            try await database.execute("""
                INSERT INTO pasi.student_names (ref_id, pasi_core_version, asn, name_type, last_name, first_name, is_preferred)
                VALUES (gen_random_uuid(), 7, \(asn), 'Legal', \(last), \(first), true)
                """)
        }
        try await database.execute("""
            INSERT INTO pasi.school_enrolments (ref_id, pasi_core_version, asn, school_code, school_year, grade, entry_date)
            VALUES (gen_random_uuid(), 3, \(janeASN), '1042', 2026, '10', '2025-09-02'),
                   (gen_random_uuid(), 3, \(pasiOnlyASN), '2001', 2026, '09', '2025-09-02')
            """)
        try await database.execute("INSERT INTO sync.student_matches (student_id, asn, quality) VALUES (\(jane), \(janeASN), 'High')")
        try await database.execute("""
            INSERT INTO sync.message_log (client_message_id, operation, sent_at, outcome, detail, request_body, response_body)
            VALUES (gen_random_uuid(), 'SubmitStudentPhone', now(), 'Rejected', 'rule 4021',
                    '<ASN>123456782</ASN><Phone>780-555-0199</Phone>', '<Fault/>'),
                   (gen_random_uuid(), 'GetCodeValues', now(), 'Success', NULL, '<Request/>', '<Codes/>')
            """)
        var alerts: [String: Int64] = [:]
        let rows: [(String, String, String, String?, Int, String)] = [
            ("janeGender", "Gender", "GENDER_DIFF", "1042", jane, janeASN),
            ("omarPhone", "Phone Number", "PHONE_DIFF", "2001", omar, omarASN),
            ("janeNoSchool", "Birth Date", "BIRTH_DIFF", nil, jane, janeASN),
            ("omarNoSchool", "Birth Date", "BIRTH_DIFF", nil, omar, omarASN),
        ]
        for (name, conflict, code, school, student, asn) in rows {
            alerts[name] = try await database.scalar("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, school_code, student_id, asn, message)
                VALUES ('Conflict', 'Student', \(conflict), \(code), \(school), \(student), \(asn), \("Alert \(name)"))
                RETURNING id
                """, as: Int64.self)
        }
        return PlantedStudents(jane: jane, omar: omar, alerts: alerts)
    }
}

/// A student's page and the search that finds it.
@Suite("console: a student's page")
struct ConsoleStudentTests {
    /// The table row of a field on the student's page.
    static func fieldRow(_ html: String, _ field: String) -> String? {
        guard let start = html.range(of: "<td>\(field)") else { return nil }
        let rowStart = html[..<start.lowerBound].range(of: "<tr", options: .backwards)?.lowerBound ?? start.lowerBound
        let rowEnd = html[start.upperBound...].range(of: "</tr>")?.upperBound ?? html.endIndex
        return String(html[rowStart..<rowEnd])
    }

    @Test("the SIS record and the local PASI copy side by side, the differing field marked; enrolments, alerts, events, messages")
    func page() async throws {
        try await ConsoleFixture.with { console in
            let planted = try await PlantedStudents.plant(console.database)
            let viewer = try await console.login("viewer")
            let page = try await console.get("/students/\(planted.jane)", as: viewer)
            #expect(page.status == .ok)
            #expect(page.text.contains("<h1>Tremblay, Jane</h1>"))
            #expect(page.text.contains("ASN 1234-5678-2") && page.text.contains("matched (High)"))
            let gender = try #require(Self.fieldRow(page.text, "Gender"))
            #expect(gender.contains("class=\"differs\"") && gender.contains("<td>Female</td><td>Male</td>"), "\(gender)")
            let birth = try #require(Self.fieldRow(page.text, "Birth Date"))
            #expect(!birth.contains("differs") && birth.contains("<td>2010-04-05</td><td>2010-04-05</td>"), "\(birth)")
            // The SIS phone against a copy without a phone: a difference too.
            #expect(try #require(Self.fieldRow(page.text, "Home Phone")).contains("differs"))
            #expect(page.text.contains("<strong>2</strong> fields differ"))
            // Enrolments of both sides, matched or not.
            #expect(page.text.contains("<td>SIS</td>") && page.text.contains("<td>2025/2026</td><td>10</td>"))
            #expect(page.text.contains("<td>PASI</td>"))
            // Its alerts, data events with their outcome, and the PASI message that named it (no body).
            #expect(page.text.contains("Alert janeGender") && page.text.contains("Alert janeNoSchool"))
            #expect(!page.text.contains("Alert omar"))
            #expect(page.text.contains("<span class=\"badge\">Rejected</span>") && page.text.contains("PASI rule 4021 refused the phone"))
            #expect(page.text.contains("<td>SubmitStudentPhone</td>") && !page.text.contains("GetCodeValues"))
            #expect(!page.text.contains("&lt;Phone&gt;") && !page.text.contains("<Phone>"))
            // Viewing is not an action: nothing is written about it (a page view names a child).
            #expect(try await console.audit().filter { $0.action != "login" }.isEmpty)

            let missing = try await console.get("/students/999999", as: viewer)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("No such student"))
        }
    }

    @Test("the search finds a student by ASN, student number or the words of a name, and a student only PASI holds")
    func search() async throws {
        try await ConsoleFixture.with { console in
            let planted = try await PlantedStudents.plant(console.database)
            let viewer = try await console.login("viewer")
            for q in ["1234-5678-2", "123456782", "100001", "jane+trem", "Tremblay%2C+Jane"] {
                let found = try await console.get("/students?q=\(q)", as: viewer)
                #expect(found.status == .ok)
                #expect(found.text.contains("<a href=\"/students/\(planted.jane)\">Tremblay, Jane</a>"), "\(q)")
                #expect(!found.text.contains("Haddad"), "\(q)")
            }
            let nobody = try await console.get("/students?q=zzz", as: viewer)
            #expect(nobody.text.contains("No student matches."))
            // A LIKE wildcard is taken literally.
            #expect(try await console.get("/students?q=%25", as: viewer).text.contains("No student matches."))

            let pasiOnly = try await console.get("/students?q=\(PlantedStudents.pasiOnlyASN)", as: viewer)
            #expect(pasiOnly.text.contains("<a href=\"/students/asn/\(PlantedStudents.pasiOnlyASN)\">Okafor, Ada</a>"))
            let page = try await console.get("/students/asn/\(PlantedStudents.pasiOnlyASN)", as: viewer)
            #expect(page.status == .ok)
            #expect(page.text.contains("The SIS holds no student with this ASN."))
            #expect(try #require(Self.fieldRow(page.text, "Gender")).contains("<td></td><td>Female</td>"))
            // An ASN the SIS holds has one page, the SIS one.
            let redirected = try await console.get("/students/asn/\(PlantedStudents.janeASN)", as: viewer)
            #expect(redirected.status == .seeOther)
            #expect(redirected.headers[.location] == "/students/\(planted.jane)")
        }
    }

    @Test("every alert about a student links to the student's page, one filed under the ASN as its RefId too, and every page has the search box")
    func links() async throws {
        try await ConsoleFixture.with { console in
            let planted = try await PlantedStudents.plant(console.database)
            let viewer = try await console.login("viewer")
            let alerts = try await console.get("/alerts", as: viewer)
            #expect(alerts.text.contains("<a href=\"/students/\(planted.jane)\">\(planted.jane)/100001</a>"))
            #expect(alerts.text.contains("<a href=\"/students/\(planted.omar)\">\(planted.omar)/100002</a>"))
            // A student's alert PASI filed under the ASN as its RefId, with no student columns
            // filled: linked by the RefId, and on the student's page.
            try await console.database.execute("""
                INSERT INTO sync.core_alerts (alert_type, status_type, severity, alert_code, ref_id, message)
                VALUES ('Warning', 'Student', 'Warning', 'DEM-1', \(PlantedStudents.janeASN), 'Alert janeByRef')
                """)
            let byRef = try await console.get("/alerts?type=Warning", as: viewer)
            #expect(byRef.text.contains("<a href=\"/students/asn/\(PlantedStudents.janeASN)\">1234-5678-2</a>"), "\(byRef.text)")
            #expect(try await console.get("/students/asn/\(PlantedStudents.janeASN)", as: viewer).headers[.location] == "/students/\(planted.jane)")
            #expect(try await console.get("/students/\(planted.jane)", as: viewer).text.contains("Alert janeByRef"))
            for uri in ["/queue", "/alerts", "/audit", "/students", "/students/\(planted.jane)"] {
                let page = try await console.get(uri, as: viewer)
                #expect(page.text.contains("<form method=\"get\" action=\"/students\" class=\"search\" role=\"search\">"), "\(uri)")
            }
            // Not logged in: the login form.
            #expect(try await console.get("/students/\(planted.jane)").headers[.location] == "/login")
            #expect(try await console.get("/students?q=jane").headers[.location] == "/login")
        }
    }
}

/// Users limited to some schools see only those schools' students and alerts.
@Suite("console: school-limited users")
struct ConsoleSchoolLimitTests {
    @Test("a user limited to school 1042 gets 404 for another school's student, and the alerts page lists none of its alerts")
    func limited() async throws {
        try await ConsoleFixture.with { console in
            let planted = try await PlantedStudents.plant(console.database)
            let limited = try await console.login("limited")
            #expect(try await console.get("/students/\(planted.jane)", as: limited).status == .ok)
            // Jane's page shows her school's alerts and those that name no school, not another
            // school's alert about her (a student two schools share); the unlimited viewer sees it.
            let elsewhere: Int64 = try await console.database.scalar("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, school_code, student_id, asn, message)
                VALUES ('Conflict', 'Enrolment', 'School Enrolment', 'ENROL_DIFF', '2001', \(planted.jane), \(PlantedStudents.janeASN),
                        'Alert janeAt2001') RETURNING id
                """)
            // PASI's alert about Jane filed under her ASN as its RefId: hers, so the limited user's;
            // the same about Omar is not.
            try await console.database.execute("""
                INSERT INTO sync.core_alerts (alert_type, status_type, severity, alert_code, ref_id, message)
                VALUES ('Warning', 'Student', 'Warning', 'DEM-1', \(PlantedStudents.janeASN), 'Alert janeByRef'),
                       ('Warning', 'Student', 'Warning', 'DEM-1', \(PlantedStudents.omarASN), 'Alert omarByRef')
                """)
            let warnings = try await console.get("/alerts?type=Warning", as: limited)
            #expect(warnings.text.contains("Alert janeByRef") && !warnings.text.contains("Alert omarByRef"))
            try await console.database.execute("DELETE FROM sync.core_alerts WHERE alert_code = 'DEM-1'")
            let janePage = try await console.get("/students/\(planted.jane)", as: limited)
            #expect(janePage.text.contains("Alert janeGender") && janePage.text.contains("Alert janeNoSchool"))
            #expect(!janePage.text.contains("Alert janeAt2001"))
            #expect(try await console.get("/students/\(planted.jane)", as: try await console.login("viewer")).text.contains("Alert janeAt2001"))
            try await console.database.execute("DELETE FROM sync.core_alerts WHERE id = \(elsewhere)")

            let other = try await console.get("/students/\(planted.omar)", as: limited)
            #expect(other.status == .notFound)
            #expect(!other.text.contains("Haddad"))
            // Nor through PASI's copy of a student of another school.
            #expect(try await console.get("/students/asn/\(PlantedStudents.pasiOnlyASN)", as: limited).status == .notFound)
            let search = try await console.get("/students?q=100002", as: limited)
            #expect(search.text.contains("No student matches."))
            #expect(try await console.get("/students?q=\(PlantedStudents.pasiOnlyASN)", as: limited).text.contains("No student matches."))

            let alerts = try await console.get("/alerts", as: limited)
            #expect(alerts.text.contains("Alert janeGender") && alerts.text.contains("Alert janeNoSchool"))
            #expect(!alerts.text.contains("Alert omar"))
            #expect(alerts.text.contains("<strong>2</strong> open alerts match."))
            // Asking for the other school by filter changes nothing.
            #expect(!(try await console.get("/alerts?school=2001", as: limited)).text.contains("Alert omar"))
            // The unlimited viewer sees all four.
            let all = try await console.get("/alerts", as: try await console.login("viewer"))
            #expect(all.text.contains("<strong>4</strong> open alerts match."))

            // A limited operator acts on their school's alerts only.
            let operator_ = try await console.login("limited-op")
            let refused = try await console.post("/alerts/acknowledge", [("id", "\(planted.alerts["omarPhone"]!)"), ("as", "Acknowledged")],
                                                 as: operator_)
            #expect(refused.status == .notFound)
            let acknowledged: Int = try await console.database.scalar(
                "SELECT count(*)::int FROM sync.core_alerts WHERE acknowledgement = 'Acknowledged'")
            #expect(acknowledged == 0)
            let deleted = try await console.post("/alerts/delete-by-type", [("type", "Conflict")], as: operator_)
            #expect(deleted.text.contains("deleted 2 alerts"))
            let left: [Int64] = try await ConsoleAlertsTests.ids(console, "true")
            #expect(left == [planted.alerts["omarPhone"]!, planted.alerts["omarNoSchool"]!].sorted())
        }
    }
}
