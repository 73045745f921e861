import Foundation
import JobQueue
import PostgresNIO
import PasisyncTesting
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The queue as it runs in production: real `pasisync worker` processes on a real PostgreSQL.
@Suite("Worker processes", .serialized)
struct WorkerProcessTests {
    // The checks count noop jobs only: the workers also run the sync schedules, and one that fires
    // during the test (Code Values daily at 00:30 Edmonton time) fails here, without PASI.
    @Test("20,000 jobs across 4 worker processes each complete exactly once")
    func exactlyOnce() async throws {
        try await TestDatabase.with { database in
            try await database.execute(
                #"INSERT INTO queue.jobs (kind, args) SELECT 'noop', '{"record": true}' FROM generate_series(1, 20000)"#)
            try await withWorkers(4, database, slots: 8) { _ in
                try await eventually(within: .seconds(300), every: .milliseconds(500), "20,000 jobs completed") {
                    try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'noop' AND state <> 'completed'", as: Int.self) == 0
                }
            }
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.noop_runs", as: Int.self) == 20_000)
            #expect(try await database.scalar("SELECT count(DISTINCT job_id)::int FROM queue.noop_runs", as: Int.self) == 20_000)
            #expect(try await database.scalar("SELECT max(attempt) FROM queue.jobs WHERE kind = 'noop'", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT count(DISTINCT worker)::int FROM queue.noop_runs", as: Int.self) == 4)
        }
    }

    @Test("kill -9 in the middle of a job: it runs again once its lease expires")
    func killedWorker() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 1500, "record": true}"#)).id
            let first = try PasisyncProcess.worker(database, slots: 1, leaseSeconds: 2)
            try await database.wait(for: id, toBe: .running)
            first.send(SIGKILL)
            await first.waitForExit()
            try await withWorkers(1, database, slots: 1, leaseSeconds: 2) { _ in
                try await database.wait(for: id, toBe: .completed, within: .seconds(20))
            }
            await first.stop()
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 2)
            #expect(try await database.scalar("SELECT string_agg(attempt::text, ',') FROM queue.noop_runs WHERE job_id = \(id)", as: String.self) == "2")
            let history = try await database.scalar("SELECT errors::text FROM queue.jobs WHERE id = \(id)", as: String.self)
            #expect(history.contains("lease expired"))
        }
    }

    @Test("a job that kills every worker that runs it backs off, spends its attempts, and fails after 3 deaths")
    func jobThatKillsItsWorker() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(NewJob(kind: "noop", args: #"{"kill_worker": true}"#)).id
            // Other work queued behind it goes on while it dies, is put off and dies again.
            try await database.execute(
                #"INSERT INTO queue.jobs (kind, args, run_at) SELECT 'noop', '{"sleep_ms": 50, "record": true}', now() + interval '100 ms' FROM generate_series(1, 30)"#)
            let cluster = try PasisyncProcess(
                ["cluster", "--processes", "2", "--slots", "1", "--lease-seconds", "1", "--poll-ms", "200",
                 "--grace-seconds", "1"], database: database)
            defer { Task { await cluster.stop() } }
            // Before the fix the reaper handed the job back at once, 25 times (noop's attempts).
            try await database.wait(for: id, toBe: .failed, within: .seconds(90))
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 3)
            #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(id)", as: Int.self) == 3)
            let lastError = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(id)", as: String.self)
            #expect(lastError.contains("stopped without finishing (killed, crashed or frozen past its lease) 3 times in a row"),
                    "\(lastError)")
            // One entry per death; the first two were put off by the backoff (noop's: 50 ms and up).
            #expect(try await database.scalar("""
                SELECT count(*)::int FROM queue.jobs, jsonb_array_elements(errors) e
                WHERE id = \(id) AND e->>'error' = 'lease expired'
                """, as: Int.self) == 3)
            #expect(try await database.scalar("""
                SELECT count(*)::int FROM queue.jobs, jsonb_array_elements(errors) e
                WHERE id = \(id) AND (e->>'retry_at')::timestamptz >= (e->>'at')::timestamptz + interval '50 ms'
                """, as: Int.self) == 2)
            try await eventually(within: .seconds(60), "the other 30 jobs completed") {
                try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'noop' AND id <> \(id) AND state = 'completed'", as: Int.self) == 30
            }
            cluster.send(SIGTERM)
            #expect(await cluster.waitForExit(within: .seconds(20)) == 0, "\(cluster.log)")
        }
    }

    @Test("a frozen worker whose lease moved on cannot complete the job when it wakes")
    func frozenWorkerIsFenced() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 2500, "record": true}"#)).id
            let frozen = try PasisyncProcess.worker(database, slots: 1, leaseSeconds: 1.5)
            try await database.wait(for: id, toBe: .running)
            frozen.send(SIGSTOP)
            try await withWorkers(1, database, slots: 1, leaseSeconds: 30) { workers in
                try await eventually(within: .seconds(15), "the second worker to take the job") {
                    try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id) AND state = 'running'", as: Int.self) == 2
                }
                frozen.send(SIGCONT)
                try await database.wait(for: id, toBe: .completed, within: .seconds(20))
                let owner = try await database.scalar("SELECT lease_owner FROM queue.jobs WHERE id = \(id)", as: String.self)
                #expect(owner.contains(":\(workers[0].pid):"), "completed by \(owner)")
            }
            try await eventually(within: .seconds(10), "the frozen worker to notice") {
                frozen.log.contains("no longer holds the lease") || frozen.log.contains("lost its lease")
            }
            await frozen.stop()
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 2)
        }
    }

    // Skipped, and reported as such, against an external server: the tests can restart only the
    // server they started themselves (scripts/test, scripts/pg).
    @Test("PostgreSQL restarted while workers are busy: they reconnect and finish everything",
          .enabled(if: TestPostgres.isRestartable, "PASISYNC_PGDATA is not set: an external server cannot be restarted by the tests"))
    func postgresRestart() async throws {
        try await TestDatabase.with { database in
            try await database.execute(
                #"INSERT INTO queue.jobs (kind, args) SELECT 'noop', '{"sleep_ms": 20, "record": true}' FROM generate_series(1, 600)"#)
            try await withWorkers(2, database, slots: 4, leaseSeconds: 30) { workers in
                try await eventually(within: .seconds(60), "50 jobs done before the restart") {
                    try await database.scalar("SELECT count(*)::int FROM queue.noop_runs", as: Int.self) >= 50
                }
                try await TestPostgres.restart()
                try await eventually(within: .seconds(120), every: .milliseconds(500), "all 600 jobs completed after the restart") {
                    try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE kind = 'noop' AND state <> 'completed'", as: Int.self) == 0
                }
                #expect(workers.allSatisfy { $0.process.isRunning })
            }
            #expect(try await database.scalar("SELECT count(DISTINCT job_id)::int FROM queue.noop_runs", as: Int.self) == 600)
        }
    }

    @Test("SIGTERM: no new claims; running jobs finish within the grace period; the rest are released without spending an attempt")
    func gracefulShutdown() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let short = try await store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 400}"#, priority: 2)).id
            let long = try await store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 30000}"#, priority: 1)).id
            let worker = try PasisyncProcess.worker(database, slots: 2, graceSeconds: 1.5)
            try await database.wait(for: short, toBe: .running)
            try await database.wait(for: long, toBe: .running)
            let waiting = try await store.enqueue(NewJob(kind: "noop")).id
            let start = ContinuousClock.now
            worker.send(SIGTERM)
            let status = await worker.waitForExit(within: .seconds(15))
            let took = ContinuousClock.now - start
            await worker.stop()
            #expect(status == 0, "\(worker.log)")
            #expect(took < .seconds(8), "shutdown took \(took)")
            #expect(try await database.state(of: short) == .completed)
            #expect(try await database.state(of: long) == .pending)
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(long)", as: Int.self) == 0)
            // A release is not a lost lease: it neither spends an attempt nor counts toward failing the job.
            #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(long)", as: Int.self) == 0)
            #expect(try await database.state(of: waiting) == .pending, "claimed after SIGTERM")
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 0)
        }
    }

    @Test("transient failures retry with growing backoff; out of attempts fails; permanent errors and bad arguments fail once")
    func retriesAndFailures() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let retried = try await store.enqueue(NewJob(kind: "noop", args: #"{"fail_times": 3}"#, maxAttempts: 5)).id
            let exhausted = try await store.enqueue(NewJob(kind: "noop", args: #"{"fail_times": 10}"#, maxAttempts: 3)).id
            let permanent = try await store.enqueue(NewJob(kind: "noop", args: #"{"fail_permanently": true}"#)).id
            let badArguments = try await store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": "soon"}"#)).id
            try await withWorkers(1, database, slots: 4) { _ in
                try await database.wait(for: retried, toBe: .completed)
                try await database.wait(for: exhausted, toBe: .failed)
                try await database.wait(for: permanent, toBe: .failed)
                try await database.wait(for: badArguments, toBe: .failed)
            }
            // attempt, number of errors, last error
            func summary(_ id: Int64) async throws -> String {
                try await database.scalar(
                    "SELECT attempt || ' ' || jsonb_array_length(errors) || ' ' || coalesce(last_error, '') FROM queue.jobs WHERE id = \(id)",
                    as: String.self)
            }
            #expect(try await summary(retried) == "4 3 noop transient failure 3 of 3")
            #expect(try await summary(exhausted) == "3 3 noop transient failure 3 of 10")
            #expect(try await summary(permanent) == "1 1 noop asked to fail permanently")
            let bad = try await summary(badArguments)
            #expect(bad.hasPrefix("1 1 bad arguments: sleep_ms"), "\(bad)")
            // noop's policy: 100 ms initial delay, jittered into [50, 100] ms, then [100, 200], [200, 400].
            let gaps = try await database.client.query("""
                SELECT extract(epoch FROM (e->>'at')::timestamptz - lag((e->>'at')::timestamptz) OVER (ORDER BY n))::float8
                FROM queue.jobs, jsonb_array_elements(errors) WITH ORDINALITY AS x(e, n) WHERE id = \(retried)
                """, logger: TestEnvironment.logger)
            var seconds: [Double] = []
            for try await gap in gaps.decode(Double?.self) { if let gap { seconds.append(gap) } }
            #expect(seconds.count == 2)
            #expect(seconds.count == 2 && seconds[0] >= 0.05 && seconds[1] >= 0.1, "gaps \(seconds)")
        }
    }

    @Test("cancelling a running job stops it in the worker running it, from the command and from SQL")
    func cancelRunning() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let first = try await store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 60000}"#)).id
            let second = try await store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 60000}"#)).id
            try await withWorkers(1, database, slots: 2) { workers in
                try await database.wait(for: first, toBe: .running)
                try await database.wait(for: second, toBe: .running)
                let cancel = try PasisyncProcess(["cancel", "\(first)"], database: database)
                #expect(await cancel.waitForExit() == 0, "\(cancel.log)")
                try await database.wait(for: first, toBe: .cancelled, within: .seconds(5))
                try await database.execute("UPDATE queue.jobs SET cancel_requested = true WHERE id = \(second)")
                try await database.wait(for: second, toBe: .cancelled, within: .seconds(5))
                #expect(workers[0].process.isRunning)
                await cancel.stop()
            }
        }
    }

    @Test("a cancel NOTIFY that the job's row does not back changes nothing: anyone may NOTIFY, the row decides")
    func cancelNotifyAloneIsIgnored() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let job = try await store.enqueue(NewJob(kind: "noop", args: #"{"sleep_ms": 3000}"#)).id
            try await withWorkers(1, database) { _ in
                try await database.wait(for: job, toBe: .running)
                try await database.execute("SELECT pg_notify('pasisync_queue', 'cancel:' || \(job))")
                try await database.wait(for: job, toBe: .completed, within: .seconds(20))
            }
        }
    }

    @Test("malformed --args, a non-object and an unknown kind are refused by `enqueue` with a message")
    func enqueueRefusesBadInput() async throws {
        try await TestDatabase.with { database in
            let cases: [([String], String)] = [
                (["enqueue", "noop", "--args", #"{"sleep_ms": }"#], "--args is not valid JSON"),
                (["enqueue", "noop", "--args", "[1, 2]"], "--args must be a JSON object"),
                (["enqueue", "no_such_kind"], #"unknown job kind "no_such_kind""#),
                (["enqueue", "noop", "--run-at", "tomorrow"], #"--run-at "tomorrow""#),
            ]
            for (arguments, message) in cases {
                let enqueue = try PasisyncProcess(arguments, database: database)
                let status = await enqueue.waitForExit()
                #expect(status != 0 && status != nil)
                #expect(enqueue.log.contains(message), "\(arguments): \(enqueue.log)")
                await enqueue.stop()
            }
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs", as: Int.self) == 0)
        }
    }

    @Test("worker and cluster take their defaults from the Threading settings; flags override them")
    func threadingSettings() async throws {
        try await TestDatabase.with { database in
            try await database.execute("UPDATE sync.settings SET value = '3' WHERE key = 'thread_count_factor'")
            try await database.execute("UPDATE sync.settings SET value = '2' WHERE key = 'processes'")
            let cluster = try PasisyncProcess(["cluster", "--poll-ms", "200", "--grace-seconds", "1"], database: database)
            try await eventually(within: .seconds(20), "2 workers of 3 slots each") {
                try await database.scalar("SELECT count(*)::int FROM queue.workers WHERE slots = 3", as: Int.self) == 2
            }
            cluster.send(SIGTERM)
            #expect(await cluster.waitForExit(within: .seconds(20)) == 0, "\(cluster.log)")
            #expect(cluster.log.contains("starting 2 worker process(es)"), "\(cluster.log)")
            await cluster.stop()

            try await database.execute("UPDATE sync.settings SET value = 'on' WHERE key = 'single_threading'")
            let single = try PasisyncProcess(["worker", "--poll-ms", "200"], database: database)
            let flagged = try PasisyncProcess(["worker", "--poll-ms", "200", "--slots", "5"], database: database)
            try await eventually(within: .seconds(20), "a single-threaded worker and a 5-slot one") {
                try await database.scalar(
                    "SELECT string_agg(slots::text, ',' ORDER BY slots) FROM queue.workers", as: String?.self) == "1,5"
            }
            for worker in [single, flagged] {
                worker.send(SIGTERM)
                #expect(await worker.waitForExit(within: .seconds(20)) == 0)
                await worker.stop()
            }
        }
    }

    @Test("cluster: starts P workers, restarts one that dies, passes SIGTERM on")
    func cluster() async throws {
        try await TestDatabase.with { database in
            let cluster = try PasisyncProcess(
                ["cluster", "--processes", "2", "--slots", "2", "--poll-ms", "200", "--grace-seconds", "2"], database: database)
            defer { Task { await cluster.stop() } }
            try await eventually(within: .seconds(20), "2 workers registered") {
                try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 2
            }
            let victim = try await database.scalar("SELECT min(pid) FROM queue.workers", as: Int32.self)
            kill(victim, SIGKILL)
            try await eventually(within: .seconds(20), "a replacement worker") {
                try await database.scalar("SELECT count(*)::int FROM queue.workers WHERE pid <> \(victim)", as: Int.self) == 2
            }
            cluster.send(SIGTERM)
            #expect(await cluster.waitForExit(within: .seconds(20)) == 0, "\(cluster.log)")
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.workers WHERE pid <> \(victim)", as: Int.self) == 0,
                    "workers did not stop gracefully")
        }
    }
}
