#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The tests' own PostgreSQL server (the one `scripts/test` starts), restarted under them.
public enum TestPostgres {
    /// Whether the tests started the server themselves (`PASISYNC_PGDATA`, `PASISYNC_PG_BINDIR`):
    /// an external server cannot be restarted.
    public static var isRestartable: Bool {
        let environment = ProcessInfo.processInfo.environment
        return !(environment["PASISYNC_PGDATA"] ?? "").isEmpty && environment["PASISYNC_PG_BINDIR"] != nil
    }

    /// `pg_ctl restart -m fast` of the tests' server; waits until it answers again.
    public static func restart() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let dataFolder = environment["PASISYNC_PGDATA"], let binFolder = environment["PASISYNC_PG_BINDIR"] else {
            throw TestFailure("PASISYNC_PGDATA is not set: an external server cannot be restarted")
        }
        try await restart(dataFolder: dataFolder, binFolder: binFolder, runAs: environment["PASISYNC_PG_RUNAS"] ?? "")
    }

    /// `pg_ctl restart -m fast`, as the server's own user.
    ///
    /// Spawned and reaped by hand: Foundation's `Process` was seen to leave this particular child
    /// (runuser → pg_ctl, which daemonizes the server) unreaped, so its exit was never reported.
    static func restart(dataFolder: String, binFolder: String, runAs: String) async throws {
        let pgCtl = ["\(binFolder)/pg_ctl", "-D", dataFolder, "restart", "-m", "fast", "-w", "-t", "60",
                     "-l", "\(dataFolder)/server.log"]
        // From "/": the server's user may not be allowed into the tests' working directory.
        let quoted = pgCtl.map { "'\($0)'" }.joined(separator: " ")
        let inRoot = ["/bin/sh", "-c", "cd / && exec \(quoted)"]
        let command = runAs.isEmpty ? inRoot : ["/usr/sbin/runuser", "-u", runAs, "--"] + inRoot
        let status = try await Task.detached { try spawnAndWait(command) }.value
        guard status == 0 else { throw TestFailure("\(command.joined(separator: " ")) exited with \(status)") }
    }

    private static func spawnAndWait(_ command: [String]) throws -> Int32 {
        var pid: pid_t = 0
        let argv = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let spawned = posix_spawn(&pid, command[0], nil, nil, argv, environ)
        guard spawned == 0 else { throw TestFailure("cannot start \(command[0]): errno \(spawned)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            if errno == EINTR { continue }
            return 0  // reaped by someone else (ECHILD): the caller checks the server answers anyway
        }
        return (status >> 8) & 0xff
    }
}
