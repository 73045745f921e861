import Foundation
import JobQueue
import PasisyncTesting
import PostgresNIO
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Bounds on what one attempt can hold, with real `pasisync worker` processes on a real
/// PostgreSQL: a job that stops moving loses its lease; a worker's session cannot sit in a
/// transaction or a statement for ever; an attempt whose lease moved on commits nothing.
@Suite("Lease bounds and fenced commits", .serialized)
struct LeaseBoundTests {
    @Test("a job that reports no progress for its kind's stall limit loses its lease, is retried, then fails")
    func stalledJobLosesItsLease() async throws {
        try await TestDatabase.with { database in
            // 60 s of sleep without a progress call; noop's stall limit is set to 2 s for the test.
            let stalled = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"sleep_ms": 60000}"#, maxAttempts: 2)).id
            // A job that runs longer than the limit but reports progress all along is left alone.
            let moving = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"sleep_ms": 6000, "progress_steps": 12}"#, maxAttempts: 1)).id
            try await withWorkers(1, database, slots: 2, leaseSeconds: 3,
                                  environment: ["PASISYNC_NOOP_STALL_SECONDS": "2"]) { _ in
                try await database.wait(for: stalled, toBe: .failed, within: .seconds(30))
                try await database.wait(for: moving, toBe: .completed, within: .seconds(30))
            }
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(stalled)", as: Int.self) == 2)
            let lastError = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(stalled)", as: String.self)
            #expect(lastError.contains("no progress reported for 2"), "\(lastError)")
            // Each attempt ended within a few seconds of its start, not after its 60 s of sleep.
            #expect(try await database.scalar("""
                SELECT count(*)::int FROM queue.jobs, jsonb_array_elements(errors) e
                WHERE id = \(stalled) AND (e->>'error') LIKE 'no progress reported%'
                """, as: Int.self) == 2)
            #expect(try await database.scalar("""
                SELECT extract(epoch FROM finished_at - created_at)::float8 FROM queue.jobs WHERE id = \(stalled)
                """, as: Double.self) < 25)
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(moving)", as: Int.self) == 1)
        }
    }

    @Test("a worker's session idle in a transaction past its bound is ended by PostgreSQL; nothing of it commits")
    func idleInTransactionIsEnded() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"record": true, "hold_transaction_ms": 4000}"#, maxAttempts: 1)).id
            try await withWorkers(1, database, slots: 1,
                                  environment: ["PASISYNC_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS": "1"]) { _ in
                try await database.wait(for: id, toBe: .failed, within: .seconds(30))
            }
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.noop_runs WHERE job_id = \(id)", as: Int.self) == 0)
        }
    }

    @Test("a worker's statement that runs past its bound is cancelled by PostgreSQL")
    func statementTimeout() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"pg_sleep_ms": 5000}"#, maxAttempts: 1)).id
            try await withWorkers(1, database, slots: 1,
                                  environment: ["PASISYNC_DB_STATEMENT_TIMEOUT_SECONDS": "1"]) { _ in
                try await database.wait(for: id, toBe: .failed, within: .seconds(30))
            }
            let lastError = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(id)", as: String.self)
            #expect(lastError.contains("statement timeout"), "\(lastError)")
        }
    }

    @Test("a worker frozen inside a job's transaction past its lease writes nothing when it wakes")
    func frozenWorkerWritesNothing() async throws {
        try await TestDatabase.with { database in
            // The insert happens at once; the commit waits 3 s, ignoring cancellation.
            let id = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"record": true, "hold_transaction_ms": 3000}"#)).id
            let frozen = try PasisyncProcess.worker(database, slots: 1, leaseSeconds: 1.5)
            try await eventually(within: .seconds(20), "the first worker's insert, not yet committed") {
                try await database.scalar("""
                    SELECT count(*)::int FROM pg_stat_activity
                    WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE '%noop_runs%'
                    """, as: Int.self) == 1
            }
            frozen.send(SIGSTOP)
            try await withWorkers(1, database, slots: 1, leaseSeconds: 30) { workers in
                try await database.wait(for: id, toBe: .completed, within: .seconds(30))
                // Its hold (3 s) is over by now: woken, it goes straight to its commit.
                frozen.send(SIGCONT)
                try await eventually(within: .seconds(20), "the frozen worker to end its transaction") {
                    try await database.scalar("""
                        SELECT count(*)::int FROM pg_stat_activity
                        WHERE datname = current_database() AND state LIKE 'idle in transaction%'
                        """, as: Int.self) == 0
                }
                let runs = try await database.scalar(
                    "SELECT string_agg(attempt::text || '@' || split_part(worker, ':', 2), ',') FROM queue.noop_runs WHERE job_id = \(id)",
                    as: String.self)
                #expect(runs == "2@\(workers[0].pid)", "rows written: \(runs)")
            }
            await frozen.stop()
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 2)
        }
    }

    @Test("a handler's transaction whose connection the server closes does not outlive it: the attempt fails and the job runs again")
    func transactionDoesNotOutliveItsConnection() async throws {
        try await TestDatabase.with { database in
            // BEGIN, then 3 s before the insert: the backend is terminated in between, so the insert
            // is written on a closed channel, which PostgresNIO 1.33 never answers.
            let id = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"record": true, "pause_before_insert_ms": 3000}"#, maxAttempts: 3)).id
            try await withWorkers(1, database, slots: 1, environment: ["PASISYNC_NOOP_STALL_SECONDS": "600"]) { _ in
                // The job's own transaction: idle after its BEGIN for a while (the queue's own
                // transactions never sit there for half a second).
                let pausedTransaction: PostgresQuery = """
                    SELECT pid FROM pg_stat_activity WHERE datname = current_database()
                      AND application_name = 'pasisync worker' AND state = 'idle in transaction'
                      AND query = 'BEGIN' AND now() - state_change > interval '500 milliseconds'
                    """
                try await eventually(within: .seconds(20), "the job's transaction, paused after its BEGIN") {
                    try await database.scalar("SELECT count(*)::int FROM (\(unescaped: pausedTransaction.sql)) AS t", as: Int.self) == 1
                }
                #expect(try await database.scalar(
                    "SELECT count(pg_terminate_backend(pid))::int FROM (\(unescaped: pausedTransaction.sql)) AS t", as: Int.self) == 1)
                // Well within the stall limit (600 s), which was the only bound before.
                try await database.wait(for: id, toBe: .completed, within: .seconds(30))
            }
            let attempt = try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self)
            #expect(attempt == 2, "the job ended on attempt \(attempt)")
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.noop_runs WHERE job_id = \(id)", as: Int.self) == 1)
        }
    }

    @Test("a worker whose database sessions stop answering still exits after SIGTERM, within its bound; its job is run by another",
          .enabled(if: TestPostgres.isRestartable, "PASISYNC_PGDATA is not set: the test freezes the server's processes"))
    func unansweredWorkerStillExits() async throws {
        try await TestDatabase.with { database in
            let id = try await database.store.enqueue(
                NewJob(kind: "noop", args: #"{"pg_sleep_ms": 3000}"#, maxAttempts: 3)).id
            let worker = try PasisyncProcess.worker(database, slots: 1, leaseSeconds: 3, graceSeconds: 1)
            try await eventually(within: .seconds(20), "the worker's statement of the job, running") {
                try await database.scalar("""
                    SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database()
                      AND application_name = 'pasisync worker' AND state = 'active' AND query LIKE '%pg_sleep%'
                    """, as: Int.self) == 1
            }
            // As a cut link or a hung server does: every session the worker holds stops answering,
            // and closing one waits for an answer that never comes.
            var frozen: [Int32] = []
            for try await pid in try await database.client.query("""
                SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'pasisync worker'
                """).decode(Int32.self) {
                frozen.append(pid)
            }
            frozen.forEach { kill($0, SIGSTOP) }
            defer { frozen.forEach { kill($0, SIGCONT) } }
            worker.send(SIGTERM)
            // Its bound: grace 1 s + lease 3 s + two statement deadlines (30 s) + 5 s.
            let status = await worker.waitForExit(within: .seconds(60))
            frozen.forEach { kill($0, SIGCONT) }
            let log = worker.log
            await worker.stop()
            #expect(status == EXIT_FAILURE, "exit status \(status.map(String.init) ?? "none: still running after 60 s")")
            #expect(log.contains("shutdown did not finish within 39.0 s"), "\(log.suffix(4000))")
            // Nothing lost: another worker runs the job.
            try await withWorkers(1, database, slots: 1) { _ in
                try await database.wait(for: id, toBe: .completed, within: .seconds(40))
            }
        }
    }
}
