import Foundation
public import Logging
public import PostgresNIO

/// A console user's role: viewers read, operators also act (run, cancel, retry, acknowledge,
/// delete), admins also manage settings and users.
public enum ConsoleRole: String, Sendable, CaseIterable, Comparable {
    case viewer, `operator`, admin

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (lhs: ConsoleRole, rhs: ConsoleRole) -> Bool { lhs.rank < rhs.rank }
}

/// A console user, without the password hash.
public struct ConsoleUser: Sendable, Hashable {
    public let id: Int64
    public let name: String
    public let role: ConsoleRole
    /// When the user was added, in the cluster's local time.
    public let createdLocal: String
    /// The school codes a school-limited user may see; `nil` for every school.
    public var schools: [String]? = nil
}

/// A live session: who is logged in, and the token every form of the session must carry.
public struct ConsoleSession: Sendable, Hashable {
    public let user: ConsoleUser
    public let csrfToken: String
}

/// One entry of the audit log (`console.audit_trail`).
public struct AuditEntry: Sendable, Hashable {
    public let id: Int64
    public let atLocal: String
    public let userName: String
    public let action: String
    public let target: String?
    public let outcome: String
    public let detail: String?
}

/// The console's own tables (`console.users`, `console.sessions`, `console.audit_log`). The caller
/// hashes passwords and session tokens; this store keeps only the hashes.
public struct ConsoleStore: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    // MARK: Users

    /// Adds a user, or gives an existing one a new role, password hash and school limit.
    /// - Parameter schools: The school codes the user is limited to; `nil` for every school.
    /// - Returns: `true` if the user is new.
    @discardableResult
    public func upsertUser(name: String, role: ConsoleRole, passwordHash: String, schools: [String]? = nil) async throws -> Bool {
        let rows = try await client.query("""
            INSERT INTO console.users (name, role, password_hash, schools) VALUES (\(name), \(role.rawValue), \(passwordHash), \(schools))
            ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash, schools = EXCLUDED.schools,
                                             updated_at = now()
            RETURNING (xmax = 0)
            """, logger: logger)
        for try await inserted in rows.decode(Bool.self) { return inserted }
        return false
    }

    /// Every user, by name.
    public func users() async throws -> [ConsoleUser] {
        let rows = try await client.query("""
            SELECT u.id, u.name, u.role, to_char(u.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI'), u.schools
            FROM console.users AS u CROSS JOIN \(unescaped: Self.clusterZone) AS z ORDER BY u.name
            """, logger: logger)
        var users: [ConsoleUser] = []
        for try await (id, name, role, created, schools) in rows.decode((Int64, String, String, String, [String]?).self) {
            users.append(ConsoleUser(id: id, name: name, role: ConsoleRole(rawValue: role) ?? .viewer, createdLocal: created, schools: schools))
        }
        return users
    }

    /// Removes a user and their sessions. - Returns: whether there was such a user.
    public func removeUser(name: String) async throws -> Bool {
        let rows = try await client.query(
            "WITH d AS (DELETE FROM console.users WHERE name = \(name) RETURNING 1) SELECT count(*)::int FROM d", logger: logger)
        for try await count in rows.decode(Int.self) { return count > 0 }
        return false
    }

    /// The user's id, role and password hash, to check a login against; `nil` for an unknown name.
    public func credentials(name: String) async throws -> (user: ConsoleUser, passwordHash: String)? {
        let rows = try await client.query("""
            SELECT u.id, u.name, u.role, to_char(u.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI'), u.password_hash, u.schools
            FROM console.users AS u CROSS JOIN \(unescaped: Self.clusterZone) AS z WHERE u.name = \(name)
            """, logger: logger)
        for try await (id, name, role, created, hash, schools) in rows.decode((Int64, String, String, String, String, [String]?).self) {
            return (ConsoleUser(id: id, name: name, role: ConsoleRole(rawValue: role) ?? .viewer, createdLocal: created, schools: schools), hash)
        }
        return nil
    }

    // MARK: Sessions

    /// Opens a session for `userID` under the token's SHA-256, and ends every expired session.
    public func openSession(tokenSHA256: [UInt8], userID: Int64, csrfToken: String, lifetime: Duration) async throws {
        try await client.query("DELETE FROM console.sessions WHERE expires_at < now()", logger: logger)
        try await client.query("""
            INSERT INTO console.sessions (token_sha256, user_id, csrf_token, expires_at)
            VALUES (\(Data(tokenSHA256)), \(userID), \(csrfToken), now() + \(Double(lifetime.components.seconds)) * interval '1 second')
            """, logger: logger)
    }

    /// The unexpired session whose token hashes to `tokenSHA256`, with its user.
    public func session(tokenSHA256: [UInt8]) async throws -> ConsoleSession? {
        let rows = try await client.query("""
            SELECT u.id, u.name, u.role, to_char(u.created_at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI'), s.csrf_token, u.schools
            FROM console.sessions AS s JOIN console.users AS u ON u.id = s.user_id CROSS JOIN \(unescaped: Self.clusterZone) AS z
            WHERE s.token_sha256 = \(Data(tokenSHA256)) AND s.expires_at > now()
            """, logger: logger)
        for try await (id, name, role, created, csrf, schools) in rows.decode((Int64, String, String, String, String, [String]?).self) {
            return ConsoleSession(
                user: ConsoleUser(id: id, name: name, role: ConsoleRole(rawValue: role) ?? .viewer, createdLocal: created, schools: schools),
                csrfToken: csrf)
        }
        return nil
    }

    /// Ends the session (logout).
    public func closeSession(tokenSHA256: [UInt8]) async throws {
        try await client.query("DELETE FROM console.sessions WHERE token_sha256 = \(Data(tokenSHA256))", logger: logger)
    }

    // MARK: Audit

    /// Writes one entry: who did what to which target, and whether it was done or refused (and why).
    public func audit(user: String, action: String, target: String?, refused: Bool, detail: String? = nil) async throws {
        try await client.query("""
            INSERT INTO console.audit_log (user_name, action, target, outcome, detail)
            VALUES (\(user), \(action), \(target), \(refused ? "refused" : "done"), \(detail))
            """, logger: logger)
    }

    /// The newest `limit` entries (`console.audit_trail`).
    public func auditTrail(limit: Int) async throws -> [AuditEntry] {
        let rows = try await client.query("""
            SELECT id, at_local, user_name, action, target, outcome, detail FROM console.audit_trail LIMIT \(limit)
            """, logger: logger)
        var entries: [AuditEntry] = []
        for try await row in rows.decode((Int64, String, String, String, String?, String, String?).self) {
            entries.append(AuditEntry(id: row.0, atLocal: row.1, userName: row.2, action: row.3, target: row.4,
                                      outcome: row.5, detail: row.6))
        }
        return entries
    }

    static let clusterZone = AlertsStore.clusterZone
}
