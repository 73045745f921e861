import Console
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import Migrations
import NIOCore
import PasisyncTesting
import PostgresNIO
import SyncJobs
import SyncStore
import Testing

/// The console's routes in process over a fresh migrated database, with a user of each role.
struct ConsoleFixture {
    let database: TestDatabase
    let client: any TestClientProtocol
    static let password = "correct horse battery staple"

    /// Runs `body` against the console's router (HummingbirdTesting's `.router`: no socket) with
    /// users `viewer`, `operator` and `admin`, the viewer `limited` and the operator `limited-op`
    /// (both limited to school 1042), and every job kind registered, as `pasisync migrate` does.
    /// - Parameter consoleRole: Whether the console connects as a login of `pasisync_console`
    ///   (docs/roles.md) rather than as the test's superuser, as it is deployed.
    static func with(consoleRole: Bool = false, _ body: @escaping @Sendable (ConsoleFixture) async throws -> Void) async throws {
        try await TestDatabase.with { database in
            try await QueueStore(client: database.client, logger: TestEnvironment.logger).register(kinds: SyncJobs.registrations)
            let users = ConsoleStore(client: database.client, logger: TestEnvironment.logger)
            // Cost 4: the lowest bcrypt takes, so the tests do not wait on the hash; the login checks the same way.
            let hash = ConsolePasswords.hash(password, cost: 4)
            for role in ConsoleRole.allCases {
                try await users.upsertUser(name: role.rawValue, role: role, passwordHash: hash)
            }
            try await users.upsertUser(name: "limited", role: .viewer, passwordHash: hash, schools: ["1042"])
            try await users.upsertUser(name: "limited-op", role: .operator, passwordHash: hash, schools: ["1042"])
            guard consoleRole else {
                let app = Application(router: ConsoleServer(client: database.client, logger: TestEnvironment.logger).router())
                try await app.test(.router) { client in try await body(ConsoleFixture(database: database, client: client)) }
                return
            }
            // A login of the console's role, made for this test (roles belong to the whole cluster).
            let login = "t_console_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            try await RoleAdministration(client: database.client, logger: TestEnvironment.logger).grant(.console, to: login)
            var components = URLComponents(string: database.url)!
            components.user = login
            let roleClient = PostgresClient(configuration: try DatabaseURL.parse(components.string!), backgroundLogger: TestEnvironment.logger)
            let runner = Task { await roleClient.run() }
            do {
                let app = Application(router: ConsoleServer(client: roleClient, logger: TestEnvironment.logger).router())
                try await app.test(.router) { client in try await body(ConsoleFixture(database: database, client: client)) }
            } catch {
                runner.cancel()
                _ = await runner.value
                try? await database.execute("DROP OWNED BY \(unescaped: login)")
                try? await database.execute("DROP ROLE \(unescaped: login)")
                throw error
            }
            runner.cancel()
            _ = await runner.value
            try await database.execute("DROP OWNED BY \(unescaped: login)")
            try await database.execute("DROP ROLE \(unescaped: login)")
        }
    }

    /// A logged-in browser: its session cookie and the CSRF token of its forms.
    struct Browser {
        let cookie: String
        let csrf: String
    }

    /// Logs in as `name` the way a browser does: GET the form (its token and cookie), POST it.
    func login(_ name: String, password: String = ConsoleFixture.password) async throws -> Browser {
        let form = try await client.execute(uri: "/login", method: .get)
        #expect(form.status == .ok)
        let loginCookie = try #require(Self.cookies(form)["pasisync_login_csrf"])
        let token = try #require(Self.csrf(in: String(buffer: form.body)))
        let response = try await post("/login", ["csrf": token, "name": name, "password": password],
                                      cookie: "pasisync_login_csrf=\(loginCookie)")
        #expect(response.status == .seeOther, "login as \(name): \(response.status)")
        #expect(response.headers[.location] == "/queue")
        let session = try #require(Self.cookies(response)["pasisync_session"])
        let page = try await get("/queue", cookie: "pasisync_session=\(session)")
        return Browser(cookie: "pasisync_session=\(session)", csrf: try #require(Self.csrf(in: page.text)))
    }

    // MARK: Requests

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let text: String
    }

    func get(_ uri: String, cookie: String? = nil) async throws -> Page {
        var headers: HTTPFields = [:]
        if let cookie { headers[.cookie] = cookie }
        let response = try await client.execute(uri: uri, method: .get, headers: headers)
        return Page(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func get(_ uri: String, as browser: Browser) async throws -> Page { try await get(uri, cookie: browser.cookie) }

    /// Posts a form as `browser`, with its CSRF token unless `csrf` says otherwise.
    func post(_ uri: String, _ fields: [(String, String)], as browser: Browser, csrf: String?? = .none) async throws -> Page {
        var all = fields
        switch csrf {
        case .none: all.append(("csrf", browser.csrf))
        case .some(let token?): all.append(("csrf", token))
        case .some(nil): break
        }
        let response = try await post(uri, all, cookie: browser.cookie)
        return Page(status: response.status, headers: response.headers, text: String(buffer: response.body))
    }

    func post(_ uri: String, _ fields: [String: String], cookie: String?) async throws -> TestResponse {
        try await post(uri, fields.map { ($0.key, $0.value) }, cookie: cookie)
    }

    func post(_ uri: String, _ fields: [(String, String)], cookie: String?) async throws -> TestResponse {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if let cookie { headers[.cookie] = cookie }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// The cookies a response sets, by name (value only).
    static func cookies(_ response: TestResponse) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";").first ?? ""
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2 { cookies[String(parts[0])] = String(parts[1]) }
        }
        return cookies
    }

    /// The first form's CSRF token in a page.
    static func csrf(in html: String) -> String? {
        guard let range = html.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) else { return nil }
        return html[range].split(separator: "\"").dropFirst(3).first.map(String.init)
    }

    // MARK: The database

    func jobs(kind: String) async throws -> [(id: Int64, state: String)] {
        var jobs: [(Int64, String)] = []
        for try await row in try await database.client.query(
            "SELECT id, state::text FROM queue.jobs WHERE kind = \(kind) ORDER BY id", logger: TestEnvironment.logger
        ).decode((Int64, String).self) { jobs.append(row) }
        return jobs
    }

    func jobCount() async throws -> Int { try await database.scalar("SELECT count(*)::int FROM queue.jobs") }

    /// The audit trail's (user, action, outcome) rows, oldest first.
    func audit() async throws -> [(user: String, action: String, outcome: String, detail: String?)] {
        var rows: [(String, String, String, String?)] = []
        for try await row in try await database.client.query(
            "SELECT user_name, action, outcome, detail FROM console.audit_trail ORDER BY id", logger: TestEnvironment.logger
        ).decode((String, String, String, String?).self) { rows.append(row) }
        return rows
    }
}
