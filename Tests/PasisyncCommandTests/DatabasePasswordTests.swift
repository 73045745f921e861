import Foundation
import Testing
import PasisyncTesting

/// PASISYNC_DATABASE_PASSWORD_FILE: the database password from a file (a systemd credential), so
/// that it is in no environment and on no command line (docs/deployment.md).
@Suite("database password file")
struct DatabasePasswordTests {
    private static func file(_ content: String?) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("pasisync-pw-\(UUID().uuidString)").path
        if let content { try content.write(toFile: path, atomically: true, encoding: .utf8) }
        return path
    }

    @Test("a missing or empty password file is refused, naming the file; a readable one is used")
    func passwordFile() async throws {
        try await TestDatabase.with { database in
            let missing = try Self.file(nil)
            let run = try await CommandRun.pasisync(["migrate", "--status"], database: database,
                                                    environment: ["PASISYNC_DATABASE_PASSWORD_FILE": missing])
            #expect(run.status != 0)
            #expect(run.stderr.contains("PASISYNC_DATABASE_PASSWORD_FILE names \(missing), which cannot be read"), "\(run.stderr)")

            let empty = try Self.file("\n")
            defer { try? FileManager.default.removeItem(atPath: empty) }
            let emptyRun = try await CommandRun.pasisync(["migrate", "--status"], database: database,
                                                         environment: ["PASISYNC_DATABASE_PASSWORD_FILE": empty])
            #expect(emptyRun.status != 0)
            #expect(emptyRun.stderr.contains("which is empty"), "\(emptyRun.stderr)")

            // The test cluster trusts its logins, so this shows the file is read and the command
            // goes on; that the password reaches PostgreSQL is PostgresNIO's part.
            let good = try Self.file("s3cret\n")
            defer { try? FileManager.default.removeItem(atPath: good) }
            let goodRun = try await CommandRun.pasisync(["migrate", "--status"], database: database,
                                                        environment: ["PASISYNC_DATABASE_PASSWORD_FILE": good])
            #expect(goodRun.status == 0, "\(goodRun.stderr)")
            #expect(!goodRun.stderr.contains("s3cret") && !goodRun.stdout.contains("s3cret"))
        }
    }
}

/// A database that is not there yet is waited for, within PASISYNC_DATABASE_WAIT; a refusal is not
/// (issue 23: a `migrate` or worker started with its database must not exit into a restart loop).
@Suite("waiting for the database")
struct DatabaseWaitTests {
    @Test("nothing listening: the command waits PASISYNC_DATABASE_WAIT seconds, says so, then gives PostgreSQL's reason")
    func waitsForNothingListening() async throws {
        let started = ContinuousClock.now
        let run = try await CommandRun.pasisync(["migrate", "--status"], environment: [
            "PASISYNC_DATABASE_URL": "postgres://postgres@127.0.0.1:1/pasisync", "PASISYNC_DATABASE_WAIT": "2"])
        let waited = ContinuousClock.now - started
        #expect(run.status != 0)
        #expect(run.stderr.contains("waiting up to 2 s (PASISYNC_DATABASE_WAIT)"), "\(run.stderr)")
        #expect(run.stderr.contains("Connection refused"), "\(run.stderr)")
        #expect(waited >= .seconds(2), "gave up after \(waited)")
    }

    @Test("a refusal (a database that does not exist) ends at once, whatever the wait")
    func refusalIsNotWaitedFor() async throws {
        try await TestDatabase.with { database in
            let run = try await CommandRun.pasisync(["migrate", "--status"], environment: [
                "PASISYNC_DATABASE_URL": TestEnvironment.url(database.url, database: "no_such_database"), "PASISYNC_DATABASE_WAIT": "600"])
            #expect(run.status != 0)
            #expect(run.stderr.contains("database \"no_such_database\" does not exist"), "\(run.stderr)")
            #expect(!run.stderr.contains("waiting up to"), "\(run.stderr)")
        }
    }

    @Test("a wait that is not a number of seconds from 0 to 3600 is refused, naming the variable")
    func badWaitRefused() async throws {
        try await TestDatabase.with { database in
            let run = try await CommandRun.pasisync(["migrate", "--status"], database: database, environment: ["PASISYNC_DATABASE_WAIT": "forever"])
            #expect(run.status != 0)
            #expect(run.stderr.contains("PASISYNC_DATABASE_WAIT must be a number of seconds from 0 to 3600, got forever"), "\(run.stderr)")
        }
    }
}
