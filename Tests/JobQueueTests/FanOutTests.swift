import Foundation
@testable import JobQueue
import Logging
import PostgresNIO
import Testing
import PasisyncTesting

/// Handlers defined by the tests themselves, run by an in-process worker.
@Suite("Fan-out and timeouts (in-process worker)", .serialized)
struct FanOutTests {
    /// Enqueues `children` noop jobs; the first one fails permanently when asked.
    struct FanOut: JobHandler {
        struct Arguments: Decodable, Sendable {
            var children: Int
            var fail_first: Bool?
        }
        static let kind = "test_fan_out"

        func run(_ arguments: Arguments, context: JobContext) async throws {
            for index in 0..<arguments.children {
                let args = index == 0 && arguments.fail_first == true
                    ? #"{"fail_permanently": true}"# : #"{"sleep_ms": 100, "record": true}"#
                try await context.enqueueChild(NewJob(kind: "noop", args: args))
            }
        }
    }

    /// Sleeps far longer than its kind's timeout allows.
    struct Slow: JobHandler {
        struct Arguments: Decodable, Sendable {}
        static let kind = "test_slow"
        var timeout: Duration? { .milliseconds(300) }
        var retryPolicy: RetryPolicy { RetryPolicy(maxAttempts: 2, initialDelay: .milliseconds(50)) }

        func run(_ arguments: Arguments, context: JobContext) async throws {
            try await Task.sleep(for: .seconds(30))
        }
    }

    /// Ignores cancellation: keeps sleeping (for 10 s, far past the grace period) whatever it is told.
    struct Stubborn: JobHandler {
        struct Arguments: Decodable, Sendable {}
        static let kind = "test_stubborn"

        func run(_ arguments: Arguments, context: JobContext) async throws {
            await sleepIgnoringCancellation(.seconds(10))
        }
    }

    @Test("a handler that ignores cancellation cannot keep the worker from stopping: its job is released")
    func stubbornHandlerIsAbandonedAtShutdown() async throws {
        try await TestDatabase.with { database in
            var registry = JobRegistry()
            try registry.register(Stubborn())
            var configuration = WorkerConfiguration()
            configuration.slots = 1
            configuration.gracePeriod = .milliseconds(300)
            configuration.abandonAfter = .milliseconds(300)
            let worker = Worker(store: database.store, registry: registry, configuration: configuration, logger: TestEnvironment.logger)
            let running = Task { try await worker.run() }
            try await eventually(within: .seconds(10), "the worker to register") {
                try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 1
            }
            let id = try await database.store.enqueue(NewJob(kind: "test_stubborn")).id
            try await database.wait(for: id, toBe: .running, within: .seconds(10))
            let start = ContinuousClock.now
            worker.beginShutdown()
            try await running.value
            let took = ContinuousClock.now - start
            #expect(took < .seconds(5), "shutdown took \(took)")
            #expect(try await database.state(of: id) == .pending)
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 0)
        }
    }

    @Test("a worker whose task is cancelled (not shut down) stops its claim loop instead of spinning in it")
    func cancelledWorkerStops() async throws {
        try await TestDatabase.with { database in
            var registry = JobRegistry()
            try registry.register(NoopJob())
            var configuration = WorkerConfiguration()
            configuration.slots = 2
            let worker = Worker(store: database.store, registry: registry, configuration: configuration, logger: TestEnvironment.logger)
            let running = Task { try await worker.run() }
            try await eventually(within: .seconds(10), "the worker to register") {
                try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 1
            }
            running.cancel()
            // The guard against the old spin: the loop must notice the cancellation by itself.
            let ended = await withTaskGroup(of: Bool.self) { group in
                group.addTask { _ = try? await running.value; return true }
                group.addTask { try? await Task.sleep(for: .seconds(15)); return false }
                let first = await group.next()!
                group.cancelAll()
                return first
            }
            #expect(ended, "the cancelled worker's run() did not return")
        }
    }

    func withWorker(_ database: TestDatabase, _ body: () async throws -> Void) async throws {
        var registry = JobRegistry()
        try registry.register(NoopJob())
        try registry.register(FanOut())
        try registry.register(Slow())
        var configuration = WorkerConfiguration()
        configuration.slots = 4
        configuration.pollInterval = .milliseconds(100)
        let worker = Worker(store: database.store, registry: registry, configuration: configuration, logger: TestEnvironment.logger)
        let running = Task { try await worker.run() }
        // The worker registers its kinds at start; inserts of them are refused until then.
        try await eventually(within: .seconds(10), "the worker to register") {
            try await database.scalar("SELECT count(*)::int FROM queue.workers", as: Int.self) == 1
        }
        do {
            try await body()
        } catch {
            worker.beginShutdown()
            try? await running.value
            throw error
        }
        worker.beginShutdown()
        try await running.value
    }

    @Test("a parent waits for its children and completes after the last of them")
    func parentCompletesAfterChildren() async throws {
        try await TestDatabase.with { database in
            try await withWorker(database) {
                let parent = try await database.store.enqueue(NewJob(kind: "test_fan_out", args: #"{"children": 6}"#)).id
                try await eventually(within: .seconds(5), "the parent to wait for its children") {
                    try await database.state(of: parent) == .waiting
                }
                try await database.wait(for: parent, toBe: .completed, within: .seconds(20))
                let children = try await database.scalar(
                    "SELECT count(*)::int FROM queue.jobs WHERE parent_id = \(parent) AND state = 'completed'", as: Int.self)
                #expect(children == 6)
                let order = try await database.scalar("""
                    SELECT p.finished_at >= max(c.finished_at) FROM queue.jobs p JOIN queue.jobs c ON c.parent_id = p.id
                    WHERE p.id = \(parent) GROUP BY p.finished_at
                    """, as: Bool.self)
                #expect(order)
            }
        }
    }

    @Test("a parent fails when one of its children fails")
    func parentFailsWithChild() async throws {
        try await TestDatabase.with { database in
            try await withWorker(database) {
                let parent = try await database.store.enqueue(
                    NewJob(kind: "test_fan_out", args: #"{"children": 3, "fail_first": true}"#)).id
                try await database.wait(for: parent, toBe: .failed, within: .seconds(20))
                let reason = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(parent)", as: String.self)
                #expect(reason.hasPrefix("child job ") && reason.hasSuffix(" failed"), "\(reason)")
            }
        }
    }

    @Test("an attempt that outlives its kind's timeout fails transiently, then for good after max attempts")
    func timeout() async throws {
        try await TestDatabase.with { database in
            try await withWorker(database) {
                let id = try await database.store.enqueue(NewJob(kind: "test_slow")).id
                try await database.wait(for: id, toBe: .failed, within: .seconds(10))
                let summary = try await database.scalar(
                    "SELECT attempt || ' ' || last_error FROM queue.jobs WHERE id = \(id)", as: String.self)
                #expect(summary == "2 timed out after 0.3 seconds")
            }
        }
    }
}
