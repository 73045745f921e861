import ArgumentParser
import Migrations

/// `pasisync roles`: who holds the database roles the migrations create, and granting them.
struct Roles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the logins that hold pasisync's database roles, or grant one (docs/roles.md).",
        discussion: """
            The roles: pasisync_worker (the cluster), pasisync_operator (people: run processes, \
            acknowledge and delete alerts, change settings, upload files), pasisync_monitor (queue \
            counts and progress, no personal data). The login that runs `pasisync migrate` owns \
            the schemas. The same in psql:
              GRANT pasisync_operator TO jsmith;
            """,
        subcommands: [List.self, Grant.self],
        defaultSubcommand: List.self
    )

    /// `pasisync roles [list]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "List the logins that hold a pasisync role (the default subcommand).")

        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let members = try await database.withClient(label: "pasisync.roles") { client, logger in
                try await RoleAdministration(client: client, logger: logger).members()
            }
            guard !members.isEmpty else {
                print("no login holds a pasisync role: grant one with pasisync roles grant ROLE LOGIN")
                return
            }
            var rows = [["LOGIN", "CAN LOG IN", "ROLES"]]
            for member in members {
                rows.append([member.login, member.canLogIn ? "yes" : "no", member.roles.map(\.roleName).joined(separator: ", ")])
            }
            print(QueueTable.table(rows), terminator: "")
        }
    }

    /// `pasisync roles grant ROLE LOGIN`.
    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "grant",
            abstract: "Grant a pasisync role to a login, creating the login (without a password) if it does not exist.",
            discussion: """
                Run it as the owner or an administrator (it needs CREATEROLE). No password is taken \
                here, so none lands in a shell history or a server log: set it in psql with \
                \\password LOGIN, which hashes it before sending, or use certificate or peer \
                authentication.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "worker, operator, monitor or console.")
        var role: String

        @Argument(help: "The login, e.g. pasisync_cluster or jsmith.")
        var login: String

        func run() async throws {
            guard let role = PasisyncRole(rawValue: self.role) else {
                throw CommandFailure("the role must be worker, operator, monitor or console, got \"\(self.role)\"")
            }
            let login = self.login
            let created = try await database.withClient(label: "pasisync.roles") { client, logger in
                do {
                    return try await RoleAdministration(client: client, logger: logger).grant(role, to: login)
                } catch let error as RoleNameRefused {
                    throw CommandFailure(error.description)
                }
            }
            print(created
                  ? "created login \(login) with \(role.roleName); set its password in psql: \\password \(login)"
                  : "granted \(role.roleName) to \(login)")
        }
    }
}
