import Foundation
import JobQueue
import PostgresNIO
import PasisyncTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Schedules fired by real worker processes.
@Suite("Schedules on a cluster", .serialized)
struct ScheduleProcessTests {
    /// The slots the `tick` schedule's jobs were made for, in seconds since the epoch, sorted.
    private func slots(_ database: TestDatabase) async throws -> [Int] {
        let text = try await database.scalar("""
            SELECT coalesce(string_agg(extract(epoch FROM scheduled_for)::bigint::text, ',' ORDER BY scheduled_for), '')
            FROM queue.jobs WHERE schedule = 'tick'
            """, as: String.self)
        return text.split(separator: ",").compactMap { Int($0) }
    }

    @Test("every second on three worker processes, the firing one kill -9'd: each slot exactly once for 15 s")
    func exactlyOncePerSlot() async throws {
        try await TestDatabase.with { database in
            try await withWorkers(3, database, slots: 2, leaseSeconds: 3) { workers in
                try await eventually(within: .seconds(30), "three workers registered") {
                    try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 3
                }
                try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '1 second')")
                let started = ContinuousClock.now
                // Let every process fire some slots, then kill the one that fired the latest.
                try await eventually(within: .seconds(20), "five slots fired") { try await slots(database).count >= 5 }
                let victim = try #require(workers.max { lastFire(in: $0.log) < lastFire(in: $1.log) })
                victim.send(SIGKILL)
                await victim.waitForExit()
                while ContinuousClock.now - started < .seconds(15) {
                    try await Task.sleep(for: .milliseconds(200))
                }
                try await database.execute("UPDATE queue.schedules SET enabled = false WHERE name = 'tick'")
            }
            let fired = try await slots(database)
            #expect(fired.count >= 13, "\(fired.count) slots in 15 s")
            #expect(Set(fired).count == fired.count, "a slot fired twice: \(fired)")
            let gaps = zip(fired, fired.dropFirst()).filter { $1 - $0 != 1 }
            #expect(gaps.isEmpty, "slots skipped between \(gaps)")
            let firers = try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE schedule = 'tick'", as: Int.self)
            #expect(firers == fired.count)
        }
    }

    /// The id of the newest job this worker's log says it fired, or 0: the highest id is the
    /// process that fired last.
    private func lastFire(in log: String) -> Int {
        log.split(separator: "\n").compactMap { line -> Int? in
            guard let range = line.range(of: "schedule tick fired job ") else { return nil }
            return Int(line[range.upperBound...].prefix { $0.isNumber })
        }.max() ?? 0
    }

    @Test("INSERT, UPDATE and DELETE from psql take effect without a restart")
    func changesFromPsql() async throws {
        try await TestDatabase.with { database in
            try await withWorkers(1, database, slots: 2) { _ in
                try await eventually(within: .seconds(30), "the worker registered") {
                    try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 1
                }
                try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '1 second')")
                try await eventually(within: .seconds(10), "the new schedule to fire") { try await slots(database).count >= 2 }
                try await database.execute("UPDATE queue.schedules SET enabled = false WHERE name = 'tick'")
                let stopped = try await slots(database).count
                try await database.execute("UPDATE queue.schedules SET enabled = true, every = '1 hour' WHERE name = 'tick'")
                // Run it now: a person sets next_run_at, the rule stays.
                try await database.execute("UPDATE queue.schedules SET next_run_at = now() WHERE name = 'tick'")
                try await eventually(within: .seconds(10), "the run-now slot to fire") { try await slots(database).count == stopped + 1 }
                try await database.execute("DELETE FROM queue.schedules WHERE name = 'tick'")
                #expect(try await database.scalar("SELECT count(*)::int FROM queue.schedules WHERE name = 'tick'", as: Int.self) == 0)
                // Every job the schedule fired runs (the last one may have fired a moment ago).
                try await eventually(within: .seconds(10), "the fired jobs completed") {
                    try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'noop' AND state <> 'completed'", as: Int.self) == 0
                }
            }
        }
    }

    @Test("a cluster stopped past several slots fires the missed ones once at start")
    func downWholeCluster() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.schedules (name, kind, every) VALUES ('tick', 'noop', '1 second')")
            let first = try PasisyncProcess.worker(database, slots: 2)
            try await eventually(within: .seconds(30), "slots fired") { try await slots(database).count >= 2 }
            first.send(SIGTERM)
            #expect(await first.waitForExit(within: .seconds(20)) == 0)
            await first.stop()
            let before = try await slots(database)
            // Down for at least three slots.
            try await eventually(within: .seconds(10), "three slots to pass") {
                try await database.scalar("SELECT extract(epoch FROM now())::bigint", as: Int.self) >= before.last! + 4
            }
            try await withWorkers(1, database, slots: 2) { _ in
                try await eventually(within: .seconds(30), "the schedule to fire again") { try await slots(database).count >= before.count + 3 }
            }
            let started = try await database.scalar(
                "SELECT extract(epoch FROM min(created_at))::bigint FROM queue.jobs WHERE scheduled_for > to_timestamp(\(before.last!))",
                as: Int.self)
            let missed = try await slots(database).filter { $0 > before.last! && $0 < started }
            #expect(missed.count == 1, "missed slots fired: \(missed)")
        }
    }

    @Test("a snoozed job comes back without spending an attempt")
    func snoozeSpendsNoAttempt() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"snooze_times": 2, "snooze_ms": 200, "record": true}"#, maxAttempts: 1)).id
            try await withWorkers(1, database, slots: 2) { _ in
                try await database.wait(for: id, toBe: .completed, within: .seconds(20))
            }
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT snoozes FROM queue.jobs WHERE id = \(id)", as: Int.self) == 2)
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.noop_runs WHERE job_id = \(id)", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT errors::text FROM queue.jobs WHERE id = \(id)", as: String.self) == "[]")
        }
    }
}
