import Foundation
@testable import JobQueue
import PasisyncTesting
import PostgresNIO
import Testing

private func job(_ id: Int64, attempt: Int = 1) -> ClaimedJob {
    ClaimedJob(id: id, kind: "noop", args: "{}", attempt: attempt, maxAttempts: 25)
}

/// The claim loop's rules, without PostgreSQL.
@Suite("Attempt book")
struct AttemptBookTests {
    @Test("claims fill the free slots; a completion frees its slot and waits for the next turn")
    func claimAndComplete() {
        var book = AttemptBook(slots: 4)
        #expect(book.turn(draining: false).limit == 4)
        book.settle(written: [], claimed: [job(1), job(2), job(3)])
        #expect(book.turn(draining: false).limit == 1)
        book.completed(job(2))
        let turn = book.turn(draining: false)
        #expect(turn.done.map(\.id) == [2])
        #expect(turn.limit == 2)
        #expect(Set(book.held.map(\.id)) == [1, 2, 3], "an unwritten completion keeps its lease")
        book.settle(written: turn.done, claimed: [])
        #expect(book.turn(draining: false).done.isEmpty)
        #expect(book.turn(draining: true).limit == 0, "nothing is claimed while draining")
    }

    @Test("batching: wait for slots only while most are busy, never when idle or stopping")
    func gathering() {
        var book = AttemptBook(slots: 4)
        #expect(!book.worthGathering)
        book.settle(written: [], claimed: [job(1), job(2), job(3)])
        #expect(book.worthGathering)
        book.ended(job(3))
        #expect(!book.worthGathering)
        book.beginShutdown()
        #expect(!book.worthGathering)
    }

    @Test("a result that arrives before anyone waits is kept; a second result is dropped")
    func deliverBeforeWait() async {
        var book = AttemptBook(slots: 1)
        book.settle(written: [], claimed: [job(7)])
        let early = book.deliver(.success(()), to: job(7))
        let second = book.deliver(.failure(CancellationError()), to: job(7))
        #expect(early == nil && second == nil, "nobody waits yet")
        let result = await withCheckedContinuation { continuation in
            let ready = book.wait(for: 7, with: continuation)
            #expect(ready != nil)
            continuation.resume(returning: ready!)
        }
        #expect((try? result.get()) != nil, "the first result (success) wins")
        let late = book.deliver(.success(()), to: job(7))
        #expect(late == nil, "a result after delivery is dropped")
    }

    @Test("a result for another attempt of the job is dropped")
    func fencedResult() {
        var book = AttemptBook(slots: 1)
        book.settle(written: [], claimed: [job(7, attempt: 2)])
        let stale = book.deliver(.success(()), to: job(7, attempt: 1))
        #expect(stale == nil)
        #expect(book.running[7]?.result == nil)
    }

    @Test("a stop before the task is attached stops it at attachment, once")
    func stopBeforeAttach() {
        var book = AttemptBook(slots: 1)
        book.settle(written: [], claimed: [job(7)])
        let first = book.stop(7, because: .cancelRequested)
        let again = book.stop(7, because: .shutdown)
        #expect(first != nil)
        #expect(again == nil, "stopped once; the first reason stays")
        let task = Task<Void, Never> {}
        let stopNow = book.attach(task, to: 7)
        #expect(stopNow)
        #expect(book.stopReason(of: 7) == .cancelRequested)
    }

    @Test("draining: finished when nothing is held; at the deadline the unstopped are released; past a lease, give up")
    func draining() {
        var book = AttemptBook(slots: 2)
        let now = ContinuousClock.now
        #expect(book.drain(now: now, deadline: now + .seconds(1), lease: .seconds(30)) == .finished)
        book.settle(written: [], claimed: [job(1), job(2)])
        #expect(book.drain(now: now, deadline: now + .seconds(1), lease: .seconds(30)) == .keepGoing)
        _ = book.stop(1, because: .shutdown)
        #expect(book.drain(now: now + .seconds(1), deadline: now + .seconds(1), lease: .seconds(30)) == .release([2]))
        #expect(book.drain(now: now + .seconds(40), deadline: now + .seconds(1), lease: .seconds(30)) == .finished)
    }

    @Test("outcomes: a stop the worker asked for decides; snooze, permanent and transient errors are told apart")
    func outcomes() {
        let describe: (any Error) -> String = { "\($0)" }
        let failure: Result<Void, any Error> = .failure(CancellationError())
        #expect(AttemptOutcome(.success(()), stoppedBecause: .shutdown, describe: describe) == .completed)
        #expect(AttemptOutcome(failure, stoppedBecause: .cancelRequested, describe: describe) == .cancelled)
        #expect(AttemptOutcome(failure, stoppedBecause: .shutdown, describe: describe) == .released)
        #expect(AttemptOutcome(failure, stoppedBecause: .leaseLost, describe: describe) == .leaseLost)
        #expect(AttemptOutcome(.failure(JobSnooze(for: .seconds(3), reason: "wait")), stoppedBecause: nil, describe: describe)
                == .snoozed(.seconds(3), reason: "wait"))
        #expect(AttemptOutcome(.failure(JobError.badArguments("x")), stoppedBecause: nil, describe: describe)
                == .failed("bad arguments: x", permanent: true))
        #expect(AttemptOutcome(.failure(StatementTimeout(limit: .seconds(1))), stoppedBecause: nil, describe: describe)
                == .failed("no answer from the database within 1.0 seconds", permanent: false))
    }
}

@Suite("Deadlines")
struct DeadlineTests {
    @Test("withDeadline in a task that is already cancelled ends at once with CancellationError (it used to hang)")
    func alreadyCancelled() async throws {
        let outcome = await withTaskGroup(of: String.self) { group in
            group.addTask {
                let inner = Task {
                    withUnsafeCurrentTask { $0?.cancel() }
                    do {
                        _ = try await withDeadline(.seconds(60), timeout: StatementTimeout(limit: .seconds(60))) {
                            try await Task.sleep(for: .seconds(60))
                            return 1
                        }
                        return "returned"
                    } catch is CancellationError {
                        return "cancelled"
                    } catch {
                        return "threw \(error)"
                    }
                }
                return await inner.value
            }
            // The guard against a hang: the deadline under test is 60 s, this is 10 s.
            group.addTask {
                try? await Task.sleep(for: .seconds(10))
                return "hung"
            }
            let first = await group.next()!
            group.cancelAll()
            return first
        }
        #expect(outcome == "cancelled")
    }

    @Test("the deadline passes: its timeout error, even when the operation ignores cancellation")
    func deadlinePasses() async {
        await #expect(throws: StatementTimeout.self) {
            _ = try await withDeadline(.milliseconds(100), timeout: StatementTimeout(limit: .milliseconds(100))) {
                // Ignores its cancellation, as a statement on a dead connection does.
                await sleepIgnoringCancellation(.seconds(2))
                return 1
            }
        }
    }

    @Test("the operation wins: its value")
    func operationWins() async throws {
        let value = try await withDeadline(.seconds(5), timeout: StatementTimeout(limit: .seconds(5))) { 42 }
        #expect(value == 42)
    }
}

@Suite("Maintenance and URLs")
struct MaintenanceUnitTests {
    @Test("the firer sleeps until the next slot, at most its longest wait; a due slot held elsewhere is looked at shortly")
    func firerWait() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(QueueMaintenance.wait(until: nil, now: now, longest: .seconds(10)) == .seconds(10))
        #expect(QueueMaintenance.wait(until: now.addingTimeInterval(2.5), now: now, longest: .seconds(10)) == .milliseconds(2500))
        #expect(QueueMaintenance.wait(until: now.addingTimeInterval(3600), now: now, longest: .seconds(10)) == .seconds(10))
        #expect(QueueMaintenance.wait(until: now.addingTimeInterval(-1), now: now, longest: .seconds(10)) == .milliseconds(50))
    }

    @Test("a bad database URL's error never repeats its password; the debug text masks it")
    func urlErrorsHideThePassword() {
        for url in ["mysql://admin:hunter2@db/x", "postgres://admin:hunter2@/x", "postgres://admin:hunter2@db/x?sslmode=sometimes"] {
            do {
                _ = try DatabaseURL.parse(url)
                Issue.record("\(url) was accepted")
            } catch let error as DatabaseURL.Invalid {
                #expect(!error.description.contains("hunter2"))
                #expect(!error.debugDescription.contains("hunter2"))
                #expect(error.debugDescription.contains("admin:***@"))
                #expect(!"\(error)".contains("hunter2") && !String(reflecting: error).contains("hunter2"))
            } catch {
                Issue.record("unexpected \(error)")
            }
        }
        #expect(DatabaseURL.masked("postgres://u:p%40ss@h:5432/d") == "postgres://u:***@h:5432/d")
        #expect(DatabaseURL.masked("postgres://u@h/d") == "postgres://u@h/d")
    }
}

@Suite("Enqueue in a transaction; history per kind")
struct TransactionalEnqueueTests {
    @Test("a job enqueued inside a transaction that rolls back never exists; one that commits does")
    func rollback() async throws {
        try await TestDatabase.with { database in
            struct Abort: Error {}
            let store = database.store
            do {
                try await database.client.withTransaction(logger: TestEnvironment.logger) { connection in
                    _ = try await store.enqueue(NewJob(kind: "noop"), on: connection)
                    throw Abort()
                }
                Issue.record("the transaction committed")
            } catch let error as PostgresTransactionError {
                #expect(error.closureError is Abort)
            }
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs", as: Int.self) == 0)
            let id = try await database.client.withTransaction(logger: TestEnvironment.logger) { connection in
                try await store.enqueue(NewJob(kind: "noop"), on: connection).id
            }
            #expect(try await database.state(of: id) == .pending)
        }
    }

    @Test("pruning keeps a kind's own keep_history over the worker's")
    func keepHistoryPerKind() async throws {
        try await TestDatabase.with { database in
            try await database.execute("UPDATE queue.job_kinds SET keep_history = 3 WHERE name = 'noop'")
            try await database.execute("""
                INSERT INTO queue.jobs (kind, state, finished_at)
                SELECT 'noop', 'completed', now() - make_interval(secs => g) FROM generate_series(1, 10) g
                """)
            #expect(try await database.store.pruneHistory(keepPerKind: 100) == 7)
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs", as: Int.self) == 3)
        }
    }
}

/// The watchdog's rule and the sessions' bounds, without PostgreSQL.
@Suite("Stall watchdog and session limits")
struct StallAndSessionLimitTests {
    @Test("an attempt silent past its kind's limit is stalled; one that reported progress, or is stopped already, is not")
    func stalled() {
        var book = AttemptBook(slots: 4)
        let start = ContinuousClock.now
        book.settle(written: [], claimed: [job(1), job(2), job(3)], now: start)
        book.pulse(job(2), at: start + .seconds(50))
        book.pulse(job(3, attempt: 9), at: start + .seconds(50))  // another attempt's pulse counts for nothing
        #expect(book.stalled(now: start + .seconds(59)) { _ in .seconds(60) }.isEmpty)
        let found = book.stalled(now: start + .seconds(61)) { _ in .seconds(60) }
        #expect(found.map(\.id) == [1, 3])
        #expect(found.allSatisfy { $0.limit == .seconds(60) })
        _ = book.stop(1, because: .stalled(.seconds(60)))
        #expect(book.stalled(now: start + .seconds(61)) { _ in .seconds(60) }.map(\.id) == [3])
        #expect(Set(book.held.map(\.id)) == [2, 3], "a stalled attempt's lease is no longer renewed")
    }

    @Test("a stalled attempt ends as a transient failure that names the limit; one that completed anyway completes")
    func stalledOutcome() {
        struct Boom: Error {}
        let describe: (any Error) -> String = { "\($0)" }
        #expect(AttemptOutcome(.failure(CancellationError()), stoppedBecause: .stalled(.seconds(90)), describe: describe)
                == .failed("no progress reported for 90 s (the kind's stall limit): its worker gave up the lease and stopped the attempt",
                           permanent: false))
        #expect(AttemptOutcome(.success(()), stoppedBecause: .stalled(.seconds(90)), describe: describe) == .completed)
        #expect(StallLimit.default == .seconds(3600))
    }

    @Test("session limits: defaults, the environment's values, and refusals that name the variable")
    func sessionLimits() throws {
        let defaults = try SessionLimits.fromEnvironment([:])
        #expect(defaults == SessionLimits(statementTimeoutSeconds: 600, idleInTransactionTimeoutSeconds: 60))
        #expect(defaults.startupParameters.map { "\($0.0)=\($0.1)" }
                == ["statement_timeout=600000", "idle_in_transaction_session_timeout=60000"])
        let set = try SessionLimits.fromEnvironment([
            "PASISYNC_DB_STATEMENT_TIMEOUT_SECONDS": "0", "PASISYNC_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS": "5"])
        #expect(set == SessionLimits(statementTimeoutSeconds: 0, idleInTransactionTimeoutSeconds: 5))
        #expect(throws: SessionLimits.Invalid.self) {
            try SessionLimits.fromEnvironment(["PASISYNC_DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS": "-1"])
        }
        do {
            _ = try SessionLimits.fromEnvironment(["PASISYNC_DB_STATEMENT_TIMEOUT_SECONDS": "ten"])
            Issue.record("a value that is not a number was accepted")
        } catch {
            #expect("\(error)".contains("PASISYNC_DB_STATEMENT_TIMEOUT_SECONDS"))
        }
    }
}
