public import Hummingbird
public import Logging
public import PostgresNIO
import Foundation
import HTTPTypes
import JobQueue
import NIOCore
import SyncStore

/// The web console: the seed's pages as server-rendered HTML behind a login (docs/console.md).
/// Every page works without JavaScript; `/static/console.js` only refreshes the live regions.
public struct ConsoleServer: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// How long a login lasts.
    public var sessionLifetime: Duration = .seconds(8 * 3600)

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    var users: ConsoleStore { ConsoleStore(client: client, logger: logger) }
    var queue: QueueStore { QueueStore(client: client, logger: logger) }
    var alerts: AlertsStore { AlertsStore(client: client, logger: logger) }
    var settings: SettingsStore { SettingsStore(client: client, logger: logger) }

    /// The routes, for the server and for the in-process route tests.
    public func router() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: SecurityHeaders())
        router.get("/") { _, _ in Page.redirect("/queue") }
        router.get("/static/console.css") { _, _ in Page.asset(Assets.css, type: "text/css; charset=utf-8") }
        router.get("/static/console.js") { _, _ in Page.asset(Assets.js, type: "text/javascript; charset=utf-8") }
        router.get("/login") { request, _ in loginForm(request) }
        router.post("/login") { request, _ in try await login(request) }
        router.post("/logout") { request, _ in try await action(request, needs: .viewer, "logout") { session, _ in try await logout(request, session) } }
        router.get("/queue") { request, _ in try await page(request) { session in try await queuePage(session, query: FormFields(request.uri.query)) } }
        router.post("/queue/run") { request, _ in
            try await action(request, needs: .operator, "run") { session, form in try await runNow(session, form) }
        }
        router.post("/queue/cancel-matching") { request, _ in
            try await action(request, needs: .operator, "cancel matching") { session, form in try await cancelMatching(session, form) }
        }
        router.post("/queue/retry-matching") { request, _ in
            try await action(request, needs: .operator, "retry matching") { session, form in try await retryMatching(session, form) }
        }
        router.get("/queue/{id}") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            return try await page(request) { session in try await jobPage(session, id: id) }
        }
        router.post("/queue/{id}/cancel") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            return try await action(request, needs: .operator, "cancel", target: id.map { "job \($0)" }) { session, _ in
                try await cancel(session, id)
            }
        }
        router.post("/queue/{id}/retry") { request, context in
            let id = context.parameters.get("id", as: Int64.self)
            return try await action(request, needs: .operator, "retry", target: id.map { "job \($0)" }) { session, _ in
                try await retry(session, id)
            }
        }
        router.get("/alerts") { request, _ in try await page(request) { session in try await alertsPage(session, query: FormFields(request.uri.query)) } }
        router.post("/alerts/acknowledge") { request, _ in
            try await action(request, needs: .operator, "acknowledge") { session, form in try await acknowledge(session, form) }
        }
        router.post("/alerts/delete") { request, _ in
            try await action(request, needs: .operator, "delete alerts") { session, form in try await deleteAlerts(session, form) }
        }
        router.post("/alerts/delete-by-type") { request, _ in
            try await action(request, needs: .operator, "delete alerts by type") { session, form in try await deleteByType(session, form) }
        }
        router.get("/audit") { request, _ in try await page(request) { session in try await auditPage(session) } }
        router.get("/students") { request, _ in
            try await page(request) { session in try await studentSearchPage(session, query: FormFields(request.uri.query)) }
        }
        router.get("/students/{id}") { request, context in
            let id = context.parameters.get("id", as: Int.self)
            return try await page(request) { session in try await studentPage(session, sisID: id ?? -1, asn: nil) }
        }
        router.get("/students/asn/{asn}") { request, context in
            let asn = context.parameters.get("asn") ?? ""
            return try await page(request) { session in try await studentPage(session, sisID: nil, asn: asn) }
        }
        router.get("/settings") { _, _ in Page.redirect("/settings/synchronization") }
        for section in SettingsSection.allCases {
            router.get(RouterPath(section.path)) { request, _ in try await page(request) { session in try await settingsPage(session, section) } }
        }
        router.post("/settings/set") { request, _ in
            try await action(request, needs: .admin, "set setting") { session, form in try await setSetting(session, form) }
        }
        router.get("/initial-sync") { request, _ in try await page(request) { session in try await initialSyncPage(session) } }
        router.get("/initial-upload") { request, _ in try await page(request) { session in try await initialUploadPage(session) } }
        router.post("/initial-upload/status") { request, _ in
            try await action(request, needs: .operator, "update integration status") { session, form in
                try await updateIntegrationStatus(session, form)
            }
        }
        router.get("/der") { request, _ in try await page(request) { session in try await derPage(session) } }
        router.get("/files/{job}/{name}") { request, context in
            try await download(request, jobID: context.parameters.get("job", as: Int64.self), name: context.parameters.get("name") ?? "")
        }
        router.get("/validations") { request, _ in
            try await page(request) { session in try await validationPage(session, query: FormFields(request.uri.query)) }
        }
        router.get("/reconciliation") { request, _ in try await page(request) { session in try await reconciliationPage(session) } }
        router.post("/reconciliation/validate") { request, _ in
            try await upload(request, "upload for validation") { session, form in try await validateExport(session, form) }
        }
        router.post("/reconciliation/run") { request, _ in
            try await upload(request, "reconcile") { session, form in try await reconcile(session, form) }
        }
        router.get("/reconciliation/{id}/result") { request, context in
            try await downloadResult(request, id: context.parameters.get("id", as: Int64.self))
        }
        router.get("/schedules") { request, _ in try await page(request) { session in try await schedulesPage(session) } }
        router.get("/workers") { request, _ in try await page(request) { session in try await workersPage(session) } }
        router.get("/health") { _, _ in try await health() }
        router.get("/metrics") { _, _ in try await metrics() }
        return router
    }

    /// The application listening on `host:port`; `onRunning` gets the port it listens on (0 picks one).
    public func application(host: String, port: Int, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) }, logger: logger)
    }
}

// MARK: Sessions and the checks every request passes

/// What an action answers: a message for the page it came from, and whether it was refused.
struct Outcome: Error {
    var message: String
    var refused = false
    /// The HTTP status of a refusal: 409 for a state that forbids it, 400 for a wrong value, 404 for no such thing.
    var status: HTTPResponse.Status = .ok
    /// The page to show the message on.
    var page: ConsolePage
    var target: String?
    /// What the audit log records, when it is not the message (a setting's "old → new").
    var detail: String?

    static func done(_ message: String, on page: ConsolePage, target: String? = nil) -> Outcome {
        Outcome(message: message, page: page, target: target)
    }

    static func refused(_ message: String, _ status: HTTPResponse.Status = .conflict, on page: ConsolePage, target: String? = nil) -> Outcome {
        Outcome(message: message, refused: true, status: status, page: page, target: target)
    }
}

/// The pages an action can answer on.
enum ConsolePage { case queue, alerts, students, login, callerInformation, synchronization, logs, schedules, workers, initialSync, initialUpload, der, validations, reconciliation }

extension ConsoleServer {
    static let sessionCookie = "pasisync_session"
    static let loginCookie = "pasisync_login_csrf"
    /// A form body larger than this is refused (a bulk selection of thousands of ids fits).
    static let maximumForm = 1 << 20

    /// The session of the request's cookie, if it is a live one.
    func session(_ request: Request) async throws -> ConsoleSession? {
        guard let token = request.cookies[Self.sessionCookie]?.value, !token.isEmpty else { return nil }
        return try await users.session(tokenSHA256: Tokens.sha256(token))
    }

    /// A page any logged-in user may read; the login form for anyone else.
    func page(_ request: Request, _ render: (ConsoleSession) async throws -> Response) async throws -> Response {
        guard let session = try await session(request) else { return Page.redirect("/login") }
        return try await render(session)
    }

    /// An action (a POST): logged in, the session's CSRF token in the form, a role that may act;
    /// every outcome, refusals included, written to the audit log.
    func action(
        _ request: Request, needs role: ConsoleRole, _ name: String, target: String? = nil,
        _ perform: (ConsoleSession, FormFields) async throws -> Outcome
    ) async throws -> Response {
        guard let session = try await session(request) else { return Page.redirect("/login") }
        var request = request
        let form = FormFields(String(buffer: try await request.collectBody(upTo: Self.maximumForm)))
        guard let token = form["csrf"], Tokens.equal(token, session.csrfToken) else {
            let why = "the form's security token is missing or out of date: reload the page and try again"
            try await users.audit(user: session.user.name, action: name, target: target, refused: true, detail: why)
            return Page.refusal(why, status: .forbidden, session: session)
        }
        guard session.user.role >= role else {
            let why = "your role (\(session.user.role.rawValue)) may read but not \(name): that needs \(role.rawValue)"
            try await users.audit(user: session.user.name, action: name, target: target, refused: true, detail: why)
            return Page.refusal(why, status: .forbidden, session: session)
        }
        let outcome = try await perform(session, form)
        try await users.audit(user: session.user.name, action: name, target: outcome.target ?? target, refused: outcome.refused,
                              detail: outcome.detail ?? outcome.message)
        // The answer is the page the action was on, its filters kept (the form's `back`), with the
        // outcome on top (no redirect: a message carried in a URL could be forged by a link).
        var response: Response
        switch outcome.page {
        case .queue: response = try await queuePage(session, query: FormFields(form["back"]), outcome: outcome)
        case .alerts: response = try await alertsPage(session, query: FormFields(form["back"]), outcome: outcome)
        case .students: response = Page.redirect("/students")
        case .callerInformation: response = try await settingsPage(session, .callerInformation, outcome: outcome)
        case .synchronization: response = try await settingsPage(session, .synchronization, outcome: outcome)
        case .logs: response = try await settingsPage(session, .logs, outcome: outcome)
        case .initialUpload: response = try await initialUploadPage(session, outcome: outcome)
        case .validations, .reconciliation: response = Page.redirect(outcome.page == .validations ? "/validations" : "/reconciliation")
        case .schedules, .workers, .initialSync, .der:
            response = Page.redirect(outcome.page == .schedules ? "/schedules" : outcome.page == .workers ? "/workers"
                                     : outcome.page == .der ? "/der" : "/initial-sync")
        case .login: return Page.redirect("/login", clearing: Self.sessionCookie)
        }
        response.status = outcome.status
        return response
    }

    func loginForm(_ request: Request, name: String = "", error: String? = nil, status: HTTPResponse.Status = .ok) -> Response {
        // A login form carries a token too (double submit: the same value in a cookie), so no other
        // site can log a browser in under its own account.
        let token = Tokens.random()
        var frame: [String: Any] = ["title": "Log in", "liveSource": "/login"]
        if let error { frame["error"] = error }
        var response = Page.html(Templates.render("login", ["csrf": token, "name": name], layout: frame), status: status)
        response.setCookie(Cookie(name: Self.loginCookie, value: token, maxAge: 3600, path: "/login", secure: true, httpOnly: true,
                                  sameSite: .strict))
        return response
    }

    func login(_ request: Request) async throws -> Response {
        var request = request
        let form = FormFields(String(buffer: try await request.collectBody(upTo: 64 * 1024)))
        let name = form["name"] ?? ""
        guard let token = form["csrf"], let cookie = request.cookies[Self.loginCookie]?.value, Tokens.equal(token, cookie) else {
            return loginForm(request, name: name, error: "The form's security token is missing or out of date: try again.", status: .forbidden)
        }
        let password = form.pairs.first { $0.name == "password" }?.value ?? ""
        let found = try await users.credentials(name: name)
        // The same bcrypt work for an unknown name as for a known one.
        let matches = ConsolePasswords.verify(password, hash: found?.passwordHash ?? ConsolePasswords.decoy) && found != nil
        guard let user = found?.user, matches else {
            if let user = found?.user {
                try await users.audit(user: user.name, action: "login", target: nil, refused: true, detail: "wrong password")
            }
            return loginForm(request, name: name, error: "Unknown user name or wrong password.", status: .unauthorized)
        }
        let sessionToken = Tokens.random()
        try await users.openSession(tokenSHA256: Tokens.sha256(sessionToken), userID: user.id, csrfToken: Tokens.random(),
                                    lifetime: sessionLifetime)
        try await users.audit(user: user.name, action: "login", target: nil, refused: false)
        var response = Page.redirect("/queue", clearing: Self.loginCookie, clearingPath: "/login")
        response.setCookie(Cookie(name: Self.sessionCookie, value: sessionToken, maxAge: Int(sessionLifetime.components.seconds), path: "/",
                                  secure: true, httpOnly: true, sameSite: .strict))
        return response
    }

    func logout(_ request: Request, _ session: ConsoleSession) async throws -> Outcome {
        if let token = request.cookies[Self.sessionCookie]?.value {
            try await users.closeSession(tokenSHA256: Tokens.sha256(token))
        }
        return .done("logged out", on: .login)
    }

    /// What the layout needs for a logged-in user.
    static func frame(_ session: ConsoleSession, title: String, current: ConsolePage?, live: String, outcome: Outcome? = nil,
                      search: String = "") -> [String: Any] {
        var frame: [String: Any] = [
            "title": title, "csrf": session.csrfToken, "liveSource": live, "search": search,
            "user": ["name": session.user.name, "role": session.user.role.rawValue,
                     "schools": session.user.schools?.joined(separator: ", ") ?? "", "isLimited": session.user.schools != nil] as [String: Any],
            "onQueue": current == .queue, "onAlerts": current == .alerts, "onStudents": current == .students, "onAudit": current == nil,
            "onCaller": current == .callerInformation, "onSynchronization": current == .synchronization, "onLogs": current == .logs,
            "onSchedules": current == .schedules, "onWorkers": current == .workers,
            "onInitialSync": current == .initialSync, "onInitialUpload": current == .initialUpload, "onDER": current == .der,
            "onValidations": current == .validations, "onReconciliation": current == .reconciliation,
        ]
        if let outcome { frame[outcome.refused ? "error" : "notice"] = outcome.message }
        return frame
    }
}

/// Responses: HTML pages, redirects, assets.
enum Page {
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func asset(_ text: String, type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "max-age=300"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// A 303, so the browser GETs the target.
    static func redirect(_ location: String, clearing cookie: String? = nil, clearingPath: String = "/") -> Response {
        var response = Response(status: .seeOther, headers: [.location: location, .cacheControl: "no-store"])
        if let cookie {
            response.setCookie(Cookie(name: cookie, value: "", maxAge: 0, path: clearingPath, secure: true, httpOnly: true, sameSite: .strict))
        }
        return response
    }

    /// A refusal before the action ran (no token, no role): a short page that says why.
    static func refusal(_ why: String, status: HTTPResponse.Status, session: ConsoleSession) -> Response {
        html(Templates.render("refused", [:], layout: ConsoleServer.frame(session, title: "Refused", current: nil, live: "",
                                                                          outcome: .refused(why, on: .queue))), status: status)
    }
}

/// The headers every answer carries: only this origin's files, no framing, no sniffing, no referrer.
struct SecurityHeaders: RouterMiddleware {
    typealias Context = BasicRequestContext
    static let policy = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.policy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        return response
    }
}
