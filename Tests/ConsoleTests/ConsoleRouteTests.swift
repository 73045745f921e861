import Console
import Foundation
import HTTPTypes
import HummingbirdTesting
import JobQueue
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// Login, sessions, CSRF and roles, on the console's routes in process against a real PostgreSQL.
@Suite("console: login, sessions, CSRF, roles")
struct ConsoleAuthTests {
    @Test("not logged in: every page and every action redirects to the login form, and nothing is done")
    func notLoggedIn() async throws {
        try await ConsoleFixture.with { console in
            for uri in ["/", "/queue", "/queue/1", "/alerts", "/audit", "/settings/synchronization", "/settings/caller", "/settings/logs",
                        "/schedules", "/workers", "/initial-sync", "/initial-upload", "/der", "/validations", "/files/1/x.log",
                        "/reconciliation", "/reconciliation/1/result"] {
                let page = try await console.get(uri)
                #expect(page.status == .seeOther, "\(uri)")
                #expect(page.headers[.location] == (uri == "/" ? "/queue" : "/login"), "\(uri)")
            }
            for uri in ["/queue/run", "/queue/1/cancel", "/queue/1/retry", "/queue/cancel-matching", "/queue/retry-matching",
                        "/alerts/acknowledge", "/alerts/delete", "/logout", "/settings/set", "/initial-upload/status",
                        "/reconciliation/run", "/reconciliation/validate"] {
                let response = try await console.post(uri, ["name": "code-values", "id": "1"], cookie: nil)
                #expect(response.status == .seeOther, "\(uri)")
                #expect(response.headers[.location] == "/login", "\(uri)")
            }
            // A made-up session cookie is no session.
            #expect(try await console.get("/queue", cookie: "pasisync_session=forged").headers[.location] == "/login")
            #expect(try await console.jobCount() == 0)
        }
    }

    @Test("login: a wrong password or an unknown name is refused alike; the session cookie is Secure, HttpOnly, SameSite=Strict")
    func login() async throws {
        try await ConsoleFixture.with { console in
            let form = try await console.client.execute(uri: "/login", method: .get)
            let loginCookie = try #require(ConsoleFixture.cookies(form)["pasisync_login_csrf"])
            let token = try #require(ConsoleFixture.csrf(in: String(buffer: form.body)))
            for (name, password) in [("operator", "not the password"), ("nobody", ConsoleFixture.password)] {
                let refused = try await console.post("/login", ["csrf": token, "name": name, "password": password],
                                                     cookie: "pasisync_login_csrf=\(loginCookie)")
                #expect(refused.status == .unauthorized)
                #expect(String(buffer: refused.body).contains("Unknown user name or wrong password."))
                #expect(ConsoleFixture.cookies(refused)["pasisync_session"] == nil)
            }
            // Without the login form's token (another site posting the form) the password is not even checked.
            let forged = try await console.post("/login", ["name": "operator", "password": ConsoleFixture.password], cookie: nil)
            #expect(forged.status == .forbidden)
            #expect(ConsoleFixture.cookies(forged)["pasisync_session"] == nil)

            let good = try await console.post("/login", ["csrf": token, "name": "operator", "password": ConsoleFixture.password],
                                              cookie: "pasisync_login_csrf=\(loginCookie)")
            #expect(good.status == .seeOther)
            let setCookie = try #require(good.headers[values: .setCookie].first { $0.hasPrefix("pasisync_session=") })
            for attribute in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
                #expect(setCookie.contains(attribute), "\(attribute) in \(setCookie)")
            }
            // The database keeps the token's SHA-256, not the token.
            let sessionToken = String(setCookie.dropFirst("pasisync_session=".count).prefix { $0 != ";" })
            let stored: Int = try await console.database.scalar(
                "SELECT count(*)::int FROM console.sessions WHERE token_sha256 = sha256(convert_to(\(sessionToken), 'UTF8'))")
            #expect(stored == 1)
            let audit = try await console.audit()
            #expect(audit.map(\.action) == ["login", "login"])
            #expect(audit.map(\.outcome) == ["refused", "done"])
        }
    }

    @Test("every page carries a Content-Security-Policy without inline script or style, and nosniff")
    func securityHeaders() async throws {
        try await ConsoleFixture.with { console in
            let job: Int64 = try await console.database.scalar("INSERT INTO queue.jobs (kind) VALUES ('code_values') RETURNING id")
            let browser = try await console.login("viewer")
            for uri in ["/queue", "/queue/\(job)", "/alerts", "/audit", "/students", "/login", "/static/console.css", "/static/console.js",
                        "/settings/synchronization", "/settings/caller", "/settings/logs", "/schedules", "/workers",
                        "/initial-sync", "/initial-upload", "/der", "/validations", "/reconciliation"] {
                let page = try await console.get(uri, as: browser)
                #expect(page.status == .ok, "\(uri)")
                let policy = try #require(page.headers[.contentSecurityPolicy], "\(uri)")
                #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'") && policy.contains("frame-ancestors 'none'"))
                #expect(!policy.contains("unsafe-inline"))
                #expect(page.headers[.xContentTypeOptions] == "nosniff")
                #expect(!page.text.contains("style=\""), "no inline style in \(uri)")
                #expect(!page.text.contains("<script>"), "no inline script in \(uri)")
            }
        }
    }

    @Test("every form of every page carries the session's CSRF token (found by a browser check: the forms in a page's body had none)")
    func everyFormHasTheToken() async throws {
        try await ConsoleFixture.with { console in
            try await console.database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('code_values', '{}')")
            try await console.database.execute("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, acknowledgement)
                VALUES ('Conflict', 'Student', 'Gender', 'GENDER_DIFF', 'Unacknowledged')
                """)
            let browser = try await console.login("admin")
            for uri in ["/queue", "/alerts", "/audit", "/settings/synchronization", "/settings/caller", "/settings/logs"] {
                let html = try await console.get(uri, as: browser).text
                let forms = html.components(separatedBy: "<form method=\"post\"").count - 1
                let tokens = html.components(separatedBy: "name=\"csrf\" value=\"\(browser.csrf)\"").count - 1
                #expect(forms > 0, "\(uri)")
                #expect(tokens == forms, "\(uri): \(forms) forms, \(tokens) with the session's token")
            }
            #expect(try await console.get("/queue", as: browser).text.components(separatedBy: "<form method=\"post\"").count > 10)
        }
    }

    @Test("a form without the session's CSRF token, or with another one, is refused and written to the audit log")
    func csrf() async throws {
        try await ConsoleFixture.with { console in
            let browser = try await console.login("operator")
            for token: String? in [nil, "not-the-token"] {
                let page = try await console.post("/queue/run", [("name", "code-values")], as: browser, csrf: .some(token))
                #expect(page.status == .forbidden)
                #expect(page.text.contains("security token is missing or out of date"))
            }
            #expect(try await console.jobCount() == 0)
            let audit = try await console.audit().filter { $0.action == "run" }
            #expect(audit.count == 2 && audit.allSatisfy { $0.outcome == "refused" })
            // And with it, the same form is taken.
            #expect(try await console.post("/queue/run", [("name", "code-values")], as: browser).status == .ok)
            #expect(try await console.jobs(kind: CodeValues.kind).count == 1)
        }
    }

    @Test("a viewer reads every page but cannot run, cancel, retry (one job or a filter's), acknowledge or delete")
    func viewerCannotAct() async throws {
        try await ConsoleFixture.with { console in
            let jobID: Int64 = try await console.database.scalar(
                "INSERT INTO queue.jobs (kind, args) VALUES ('code_values', '{}') RETURNING id")
            let alertID: Int64 = try await console.database.scalar("""
                INSERT INTO sync.core_alerts (alert_type, status_type, conflict_type, alert_code, acknowledgement)
                VALUES ('Conflict', 'Student', 'Gender', 'GENDER_DIFF', 'Unacknowledged') RETURNING id
                """)
            let viewer = try await console.login("viewer")
            let queue = try await console.get("/queue", as: viewer)
            #expect(queue.status == .ok)
            #expect(queue.text.contains("Code Values Download"))
            #expect(!queue.text.contains("Run Now</button>") && !queue.text.contains(">Cancel</button>"))
            #expect(!(try await console.get("/alerts", as: viewer).text.contains("Acknowledge selected")))
            let attempts: [(String, [(String, String)])] = [
                ("/queue/run", [("name", "code-values")]), ("/queue/\(jobID)/cancel", []), ("/queue/\(jobID)/retry", []),
                ("/alerts/acknowledge", [("id", "\(alertID)")]), ("/alerts/delete", [("id", "\(alertID)")]),
                ("/alerts/delete-by-type", [("type", "Conflict")]),
                ("/queue/cancel-matching", [("kind", "code_values")]), ("/queue/retry-matching", []),
                ("/settings/set", [("key", "maximum_attempts"), ("value", "7")]),
            ]
            for (uri, fields) in attempts {
                let page = try await console.post(uri, fields, as: viewer)
                #expect(page.status == .forbidden, "\(uri)")
                #expect(page.text.contains("your role (viewer) may read but not"), "\(uri)")
            }
            #expect(try await console.jobs(kind: CodeValues.kind).map(\.state) == ["pending"])
            #expect(try await console.database.scalar(
                "SELECT acknowledgement FROM sync.core_alerts WHERE id = \(alertID)", as: String.self) == "Unacknowledged")
            let refused = try await console.audit().filter { $0.outcome == "refused" }
            #expect(refused.count == attempts.count && refused.allSatisfy { $0.user == "viewer" })
        }
    }

    @Test("logout ends the session: the old cookie no longer opens a page")
    func logout() async throws {
        try await ConsoleFixture.with { console in
            let browser = try await console.login("admin")
            let page = try await console.post("/logout", [], as: browser)
            #expect(page.status == .seeOther)
            #expect(page.headers[.location] == "/login")
            #expect(try await console.get("/queue", as: browser).headers[.location] == "/login")
            #expect(try await console.database.scalar("SELECT count(*)::int FROM console.sessions", as: Int.self) == 0)
            #expect(try await console.audit().map(\.action) == ["login", "logout"])
        }
    }
}
