import JobQueue
import PasisyncTesting
import PostgresNIO
import Testing

/// A job that waits for several dependencies, when they finish at the same moment.
@Suite("Dependencies finishing at once", .serialized)
struct DependencyRaceTests {
    /// Set when the second transaction's statement has returned.
    actor Flag {
        var isSet = false
        func set() { isSet = true }
    }

    @Test("two dependencies completed in concurrent transactions release the job waiting for both")
    func concurrentCompletion() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.jobs (kind) VALUES ('noop'), ('noop')")
            let first = try await database.scalar("SELECT min(id) FROM queue.jobs", as: Int64.self)
            let second = try await database.scalar("SELECT max(id) FROM queue.jobs", as: Int64.self)
            try await database.execute("INSERT INTO queue.jobs (kind, depends_on) VALUES ('noop', ARRAY[\(first), \(second)]::bigint[])")
            let waiting = try await database.scalar("SELECT max(id) FROM queue.jobs", as: Int64.self)
            #expect(try await database.state(of: waiting) == .waiting)

            let done = Flag()
            try await database.client.withConnection { connection in
                // The first dependency completes in a transaction that stays open...
                try await connection.query("BEGIN", logger: TestEnvironment.logger)
                try await connection.query(
                    "UPDATE queue.jobs SET state = 'completed', finished_at = now() WHERE id = \(first)", logger: TestEnvironment.logger)
                // ...while the second completes in another one.
                let other = Task {
                    _ = try await database.client.withConnection { connection in
                        try await connection.query(
                            "UPDATE queue.jobs SET state = 'completed', finished_at = now() WHERE id = \(second)", logger: TestEnvironment.logger)
                    }
                    await done.set()
                }
                // The second has either finished its check or is waiting for the first's lock.
                try await eventually(within: .seconds(10), "the second transaction to finish or wait for a lock") {
                    let blocked = try await database.scalar("SELECT count(*)::int FROM pg_locks WHERE NOT granted", as: Int.self)
                    return await done.isSet || blocked > 0
                }
                try await connection.query("COMMIT", logger: TestEnvironment.logger)
                try await other.value
            }
            #expect(try await database.state(of: first) == .completed)
            #expect(try await database.state(of: second) == .completed)
            #expect(try await database.state(of: waiting) == .pending)
        }
    }
}
