public import Logging
public import PostgresNIO

/// The database roles the migrations create (`migrations/upkeep/sync.roles.sql`, docs/roles.md) and the
/// logins that are members of them.
public enum PasisyncRole: String, Sendable, CaseIterable {
    /// The cluster's processes: read and write every table, no DDL.
    case worker
    /// People who run processes, acknowledge and delete alerts, change settings, upload files.
    case `operator`
    /// Dashboards: queue counts and progress, no personal data.
    case monitor
    /// The web console (`pasisync console`): what its pages read and its actions do, nothing more.
    case console

    /// The PostgreSQL role, e.g. `pasisync_worker`.
    public var roleName: String { "pasisync_\(rawValue)" }
}

/// A login and the pasisync roles it is a member of.
public struct RoleMember: Sendable, Hashable {
    public let login: String
    public let canLogIn: Bool
    public let roles: [PasisyncRole]
}

/// Creates logins for the roles and lists who holds them. Passwords are never handled here: a
/// password on a command line or in a statement's text lands in shell histories and server logs;
/// psql's `\password` hashes it on the client before it is sent.
public struct RoleAdministration: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Every login or role that is a member of a pasisync role, by name.
    public func members() async throws -> [RoleMember] {
        let rows = try await client.query("""
            SELECT m.rolname, m.rolcanlogin, array_agg(substr(g.rolname, 10) ORDER BY g.rolname)
            FROM pg_catalog.pg_auth_members a
            JOIN pg_catalog.pg_roles g ON g.oid = a.roleid
            JOIN pg_catalog.pg_roles m ON m.oid = a.member
            WHERE g.rolname IN ('pasisync_worker', 'pasisync_operator', 'pasisync_monitor', 'pasisync_console')
            GROUP BY m.rolname, m.rolcanlogin
            ORDER BY m.rolname
            """, logger: logger)
        var members: [RoleMember] = []
        for try await (login, canLogIn, roles) in rows.decode((String, Bool, [String]).self) {
            members.append(RoleMember(login: login, canLogIn: canLogIn, roles: roles.compactMap(PasisyncRole.init(rawValue:))))
        }
        return members
    }

    /// Makes `login` a login that is a member of `role`, creating it (without a password) if it
    /// does not exist. - Returns: whether the login was created.
    @discardableResult
    public func grant(_ role: PasisyncRole, to login: String) async throws -> Bool {
        guard PostgresIdentifier.isPlain(login) else { throw RoleNameRefused(login: login) }
        return try await client.withTransaction(logger: logger) { connection in
            let exists = try await connection.query(
                "SELECT count(*) FROM pg_catalog.pg_roles WHERE rolname = \(login)", logger: logger
            ).collect().first?.decode(Int.self) == 1
            // The name was checked above to be a plain identifier; DDL takes no bind parameters.
            if !exists {
                try await connection.query("CREATE ROLE \(unescaped: login) LOGIN", logger: logger)
            }
            try await connection.query("GRANT \(unescaped: role.roleName) TO \(unescaped: login)", logger: logger)
            return !exists
        }
    }
}

/// A login name this command refuses to put into a statement.
public struct RoleNameRefused: Error, CustomStringConvertible {
    public let login: String
    public var description: String {
        "the login name must be 1 to 63 lower-case letters, digits or underscores, starting with a letter: \"\(login)\""
    }
}

/// PostgreSQL identifiers that need no quoting.
enum PostgresIdentifier {
    static func isPlain(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.utf8.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }
}
