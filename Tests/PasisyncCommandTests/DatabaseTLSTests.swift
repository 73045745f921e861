import Foundation
import PostgresNIO
import Testing
import PasisyncTesting

/// `pasisync` to PostgreSQL over TLS (docs/deployment.md): `sslmode=verify-full` with a CA file
/// (`sslrootcert`) works, and a server certificate of another CA or for another host name is
/// refused. The test cluster's own server is switched to TLS for the test (ALTER SYSTEM, reload)
/// and back; its clients that ask for no TLS are not affected.
@Suite("PostgreSQL over TLS", .serialized)
struct DatabaseTLSTests {
    /// `pasisync certs --out DIR [--server-name NAME]…`: a CA and a server certificate it signs.
    private static func certificates(_ names: [String] = []) async throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-dbtls-\(UUID().uuidString)").path
        let run = try await CommandRun.pasisync(["certs", "--out", directory] + names.flatMap { ["--server-name", $0] })
        guard run.status == 0 else { throw TestFailure("pasisync certs failed: \(run.stderr)") }
        return directory
    }

    /// Has the server use `directory`'s server certificate, written by the server itself into its
    /// data folder (so that the key belongs to its user, mode 0600, as PostgreSQL requires; the
    /// test may run as root while the server runs as `postgres`).
    private static func serve(_ directory: String, database: TestDatabase) async throws {
        for (file, setting) in [("server.pem", "ssl_cert_file"), ("server-key.pem", "ssl_key_file")] {
            let pem = try String(contentsOfFile: directory + "/" + file, encoding: .utf8)
            let path = try await database.scalar(
                "SELECT current_setting('data_directory') || '/pasisync-test-' || \(file)", as: String.self)
            let object = try await database.scalar("SELECT lo_from_bytea(0, convert_to(\(pem), 'UTF8'))::bigint", as: Int64.self)
            try await database.execute("SELECT lo_export(\(object)::oid, \(path))")
            try await database.execute("SELECT lo_unlink(\(object)::oid)")
            // lo_export writes mode 0644; PostgreSQL takes a key only its user can read. The program
            // reads COPY's row first, or COPY may find the pipe closed.
            try await database.execute("""
                DO $$ BEGIN EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'cat > /dev/null && chmod 0600 "' || \(unescaped: "'" + path + "'") || '"'); END $$
                """)
            try await database.execute("ALTER SYSTEM SET \(unescaped: setting) = \(unescaped: "'" + path + "'")")
        }
        try await database.execute("ALTER SYSTEM SET ssl = on")
        try await database.execute("SELECT pg_reload_conf()")
    }

    private static func stopServingTLS(_ database: TestDatabase) async throws {
        for setting in ["ssl", "ssl_cert_file", "ssl_key_file"] {
            try await database.execute("ALTER SYSTEM RESET \(unescaped: setting)")
        }
        try await database.execute("SELECT pg_reload_conf()")
    }

    /// `pasisync migrate --status` against the test database with `query` added to its URL.
    private static func status(_ database: TestDatabase, _ query: String) async throws -> CommandRun {
        try await CommandRun.pasisync(["migrate", "--status"], database: database,
                                      environment: ["PASISYNC_DATABASE_URL": database.url + "?" + query])
    }

    @Test("verify-full with sslrootcert connects; another CA or another host name is refused; verify-ca skips the host name")
    func verifyFull() async throws {
        try await TestDatabase.with { database in
            let trusted = try await Self.certificates()
            let foreign = try await Self.certificates()
            let elsewhere = try await Self.certificates(["db.example.org"])
            defer { for folder in [trusted, foreign, elsewhere] { try? FileManager.default.removeItem(atPath: folder) } }

            // Without TLS on the server, verify-full cannot connect at all.
            let plain = try await Self.status(database, "sslmode=verify-full&sslrootcert=\(trusted)/ca.pem")
            #expect(plain.status != 0)

            do {
                try await Self.serve(trusted, database: database)
                // A new connection sees the reloaded configuration once the postmaster has read it.
                try await eventually(within: .seconds(10), "the server to offer TLS") {
                    try await Self.status(database, "sslmode=verify-full&sslrootcert=\(trusted)/ca.pem").status == 0
                }
                let good = try await Self.status(database, "sslmode=verify-full&sslrootcert=\(trusted)/ca.pem")
                #expect(good.status == 0, "\(good.stderr)")
                #expect(good.stdout.contains("applied"))

                let otherCA = try await Self.status(database, "sslmode=verify-full&sslrootcert=\(foreign)/ca.pem")
                #expect(otherCA.status != 0)
                #expect(otherCA.stderr.lowercased().contains("certificate"), "\(otherCA.stderr)")

                let missing = try await Self.status(database, "sslmode=verify-full&sslrootcert=\(trusted)/none.pem")
                #expect(missing.status != 0)
                #expect(missing.stderr.contains("sslrootcert \(trusted)/none.pem cannot be read"), "\(missing.stderr)")

                try await Self.serve(elsewhere, database: database)
                try await eventually(within: .seconds(10), "the server to present the db.example.org certificate") {
                    try await Self.status(database, "sslmode=verify-ca&sslrootcert=\(elsewhere)/ca.pem").status == 0
                }
                let wrongHost = try await Self.status(database, "sslmode=verify-full&sslrootcert=\(elsewhere)/ca.pem")
                #expect(wrongHost.status != 0)
                #expect(wrongHost.stderr.lowercased().contains("certificate") || wrongHost.stderr.lowercased().contains("host"),
                        "\(wrongHost.stderr)")
            } catch {
                try await Self.stopServingTLS(database)
                throw error
            }
            try await Self.stopServingTLS(database)
        }
    }
}
