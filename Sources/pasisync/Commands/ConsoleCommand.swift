import ArgumentParser
import Console
import Foundation
import Hummingbird
import SyncStore

/// `pasisync console`: the web console (docs/console.md).
struct ConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Serve the web console: the Synchronization Queue, PASI Core Alerts and student pages behind a login; /health and /metrics.",
        discussion: """
            Listens on 127.0.0.1 by default: put a reverse proxy with TLS in front of it for other \
            hosts (the session cookie is Secure, so browsers send it only over HTTPS or to localhost). \
            Add users first with `pasisync users add NAME --role viewer|operator|admin`.
            """)

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0 picks a free one).")
    var port = 8080

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535, got \(port)") }
    }

    func run() async throws {
        let (host, port) = (host, port)
        try await database.withClient(label: "pasisync.console", maximumConnections: 8) { client, logger in
            let server = ConsoleServer(client: client, logger: logger)
            try await server.application(host: host, port: port) { port in
                FileHandle.standardOutput.write(Data("pasisync console: http://\(host):\(port)/\n".utf8))
            }.runService()
        }
    }
}

/// `pasisync users`: the console's users.
struct Users: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage the web console's users: add (or change), list, remove.",
        discussion: """
            Roles: viewer reads every page; operator also runs, cancels and retries processes and \
            acknowledges and deletes alerts; admin also manages settings. Passwords are stored as \
            bcrypt hashes in console.users; the audit log is console.audit_trail.
            """,
        subcommands: [Add.self, List.self, Remove.self])

    /// `pasisync users add NAME --role ROLE`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a user, or give an existing one a new role and password.",
            discussion: """
                The password is read from standard input (its first line) when that is not a terminal, \
                else asked for twice without echo; never from the command line, where other users \
                of the machine and the shell's history would see it.
                """)

        @OptionGroup var database: DatabaseOptions

        @Argument(help: "The user name: letters, digits and . _ @ -, at most 64.")
        var name: String

        @Option(help: ArgumentHelp("viewer, operator or admin.", valueName: "role"))
        var role: String

        @Option(help: ArgumentHelp(
            "Limit the user to these schools (four-digit codes, comma-separated): they see only those schools' students and alerts.",
            valueName: "codes"))
        var schools: String?

        /// The school codes of --schools, or `nil` for every school.
        var schoolCodes: [String]? {
            schools.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        }

        func validate() throws {
            if let codes = schoolCodes {
                guard !codes.isEmpty, codes.allSatisfy({ $0.count == 4 && $0.allSatisfy { $0.isASCII && $0.isNumber } }) else {
                    throw ValidationError("--schools takes four-digit school codes separated by commas, e.g. 1234,5678; got \(schools ?? "")")
                }
            }
            guard ConsoleRole(rawValue: role) != nil else {
                throw ValidationError("--role must be one of viewer, operator, admin; got \(role.debugDescription)")
            }
            guard name.range(of: "^[A-Za-z0-9._@-]{1,64}$", options: .regularExpression) != nil else {
                throw ValidationError("a user name has 1 to 64 letters, digits and . _ @ -")
            }
        }

        func run() async throws {
            let password = try Self.readPassword()
            if let problem = ConsolePasswords.problem(password) { throw CommandFailure(problem) }
            let (name, role, schools) = (name, ConsoleRole(rawValue: role) ?? .viewer, schoolCodes)
            let hash = ConsolePasswords.hash(password)
            try await database.withClient(label: "pasisync.users") { client, logger in
                let store = ConsoleStore(client: client, logger: logger)
                let added = try await store.upsertUser(name: name, role: role, passwordHash: hash, schools: schools)
                let limit = schools.map { ", schools " + $0.joined(separator: ", ") } ?? ""
                try await store.audit(user: ProcessInfo.processInfo.environment["USER"] ?? "pasisync users",
                                      action: added ? "user added" : "user changed", target: name, refused: false, detail: role.rawValue + limit)
                print(added ? "user \(name) added as \(role.rawValue)\(limit)" : "user \(name) is now \(role.rawValue)\(limit), with the new password")
            }
        }

        static func readPassword() throws -> String {
            if isatty(STDIN_FILENO) == 1 {
                guard let first = getpass("Password: ").map({ String(cString: $0) }),
                      let second = getpass("Password again: ").map({ String(cString: $0) }) else {
                    throw CommandFailure("no password read")
                }
                guard first == second else { throw CommandFailure("the two passwords differ") }
                return first
            }
            guard let line = readLine(strippingNewline: true) else { throw CommandFailure("no password on standard input") }
            return line
        }
    }

    /// `pasisync users list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users and their roles.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let users = try await database.withClient(label: "pasisync.users") { client, logger in
                try await ConsoleStore(client: client, logger: logger).users()
            }
            guard !users.isEmpty else { print("no users: add one with pasisync users add NAME --role admin"); return }
            print(QueueTable.table([["NAME", "ROLE", "SCHOOLS", "ADDED"]]
                + users.map { [$0.name, $0.role.rawValue, $0.schools?.joined(separator: ",") ?? "all", $0.createdLocal] }), terminator: "")
        }
    }

    /// `pasisync users remove NAME`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user; their sessions end at once.")
        @OptionGroup var database: DatabaseOptions
        @Argument var name: String

        func run() async throws {
            let name = name
            try await database.withClient(label: "pasisync.users") { client, logger in
                let store = ConsoleStore(client: client, logger: logger)
                guard try await store.removeUser(name: name) else { throw CommandFailure("no user \(name)") }
                try await store.audit(user: ProcessInfo.processInfo.environment["USER"] ?? "pasisync users",
                                      action: "user removed", target: name, refused: false)
                print("user \(name) removed")
            }
        }
    }
}
