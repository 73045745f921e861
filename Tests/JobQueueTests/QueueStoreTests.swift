import Foundation
import JobQueue
import PostgresNIO
import Testing
import PasisyncTesting

/// The queue's SQL, driven directly (no worker) to pin down each rule.
@Suite("Queue store", .serialized)
struct QueueStoreTests {
    @Test("an SQL insert of an unknown kind is refused with an error naming it")
    func unknownKindRefused() async throws {
        try await TestDatabase.with { database in
            do {
                try await database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('no_such_kind', '{}')")
                Issue.record("the insert was accepted")
            } catch let error as PSQLError {
                #expect(error.serverInfo?[.message] == #"unknown job kind "no_such_kind""#)
                #expect(error.serverInfo?[.hint]?.contains("noop") == true)
            }
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs", as: Int.self) == 0)
        }
    }

    @Test("args that are not a JSON object are refused by the database")
    func argsMustBeAnObject() async throws {
        try await TestDatabase.with { database in
            await #expect(throws: PSQLError.self) {
                try await database.execute("INSERT INTO queue.jobs (kind, args) VALUES ('noop', '[1, 2]')")
            }
        }
    }

    @Test("claiming takes due jobs by priority, then age, and skips jobs due later")
    func claimOrder() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let low = try await store.enqueue(NewJob(kind: "noop", priority: 0)).id
            let high = try await store.enqueue(NewJob(kind: "noop", priority: 5)).id
            let later = try await store.enqueue(NewJob(kind: "noop", priority: 9, runAt: Date().addingTimeInterval(3600))).id
            let claimed = try await store.claim(kinds: ["noop"], limit: 10, worker: "w", lease: .seconds(30))
            #expect(claimed.map(\.id) == [high, low])
            #expect(claimed.allSatisfy { $0.attempt == 1 })
            #expect(try await database.state(of: later) == .pending)
        }
    }

    @Test("an expired lease returns the job, and the attempt number fences the old worker out")
    func expiredLeaseFencesOldWorker() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let id = try await store.enqueue(NewJob(kind: "noop")).id
            let first = try #require(try await store.claim(kinds: ["noop"], limit: 1, worker: "A", lease: .milliseconds(200)).first)
            // The lease must run out by the database's clock, the one the reaper reads.
            try await eventually(within: .seconds(10), "job \(id)'s 200 ms lease to expire") {
                try await database.scalar("SELECT lease_expires_at < now() FROM queue.jobs WHERE id = \(id)", as: Bool.self)
            }
            // No backoff here, so that B can claim the job at once.
            #expect(try await store.reapExpiredLeases(policies: ["noop": RetryPolicy(initialDelay: .zero, maximumDelay: .zero)]) == 1)
            #expect(try await database.state(of: id) == .retrying)
            let second = try #require(try await store.claim(kinds: ["noop"], limit: 1, worker: "B", lease: .seconds(30)).first)
            #expect(second.attempt == 2)
            // A wakes up late: its completion, failure and renewal are all refused.
            #expect(try await store.complete([(first.id, first.attempt)], worker: "A").isEmpty)
            #expect(try await store.fail(first, worker: "A", error: "late", permanent: true, retryDelay: .zero) == nil)
            #expect(try await store.heartbeat(worker: "A", jobs: [(first.id, first.attempt)], lease: .seconds(30)).isEmpty)
            #expect(try await store.complete([(second.id, second.attempt)], worker: "B") == [id])
            #expect(try await database.state(of: id) == .completed)
            let history = try await database.scalar("SELECT errors::text FROM queue.jobs WHERE id = \(id)", as: String.self)
            #expect(history.contains("lease expired"))
        }
    }

    @Test("a lost lease is a spent attempt put off by the backoff; 3 in a row fail the job with a sync Failure alert naming it")
    func lostLeasesBackOffThenFail() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            // A sync-family kind: its failure raises the alert (sync.after_sync_job_failed).
            try await database.execute("INSERT INTO queue.job_kinds (name, title, family) VALUES ('crashy', 'Crashy Sync', 'sync')")
            let id = try await store.enqueue(NewJob(kind: "crashy")).id
            let policies = ["crashy": RetryPolicy(initialDelay: .milliseconds(400), maximumDelay: .seconds(5))]
            for death in 1...3 {
                try await eventually(within: .seconds(10), "job \(id) due for attempt \(death)") {
                    try await !store.claim(kinds: ["crashy"], limit: 1, worker: "w\(death)", lease: .milliseconds(200)).isEmpty
                }
                try await eventually(within: .seconds(10), "attempt \(death)'s lease to expire") {
                    try await database.scalar("SELECT lease_expires_at < now() FROM queue.jobs WHERE id = \(id)", as: Bool.self)
                }
                #expect(try await store.reapExpiredLeases(policies: policies) == 1)
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == death)
                #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(id)", as: Int.self) == death)
                if death < 3 {
                    #expect(try await database.state(of: id) == .retrying)
                    // Put off by at least half the policy's ceiling for that attempt (400 ms, 800 ms).
                    let minimum = 200 * (1 << (death - 1))
                    #expect(try await database.scalar("""
                        SELECT run_at >= (errors->-1->>'at')::timestamptz + make_interval(secs => \(minimum) / 1000.0)
                        FROM queue.jobs WHERE id = \(id)
                        """, as: Bool.self))
                }
            }
            #expect(try await database.state(of: id) == .failed)
            let lastError = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(id)", as: String.self)
            #expect(lastError.hasPrefix("the worker running it stopped without finishing (killed, crashed or frozen past its lease) 3 times in a row; not retried again (last: worker w3)"), "\(lastError)")
            let alert = try await database.scalar(
                "SELECT message FROM sync.core_alerts WHERE job_id = \(id) AND alert_type = 'Failure' AND alert_code = 'JOB_FAILED'",
                as: String.self)
            #expect(alert.hasPrefix("Crashy Sync (job \(id)) failed after 3 of "), "\(alert)")
            #expect(alert.contains("3 times in a row; not retried again"), "\(alert)")
            // A person's retry starts the count again, and so does an ordinary failure.
            #expect(try await store.retry(id: id) == .pending)
            #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(id)", as: Int.self) == 0)
            try await database.execute("UPDATE queue.jobs SET lost_leases = 2 WHERE id = \(id)")
            let claimed = try #require(try await store.claim(kinds: ["crashy"], limit: 1, worker: "w4", lease: .seconds(30)).first)
            #expect(try await store.fail(claimed, worker: "w4", error: "ordinary", permanent: false, retryDelay: .zero) == .retrying)
            #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(id)", as: Int.self) == 0)
        }
    }

    @Test("a long-running job that loses its lease 3 times is handed back at once each time, neither failed nor its attempt spent")
    func longRunningLostLeasesHandedBack() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            // A sync-family kind, as Regular Sync is: a failure would raise a Failure alert.
            try await database.execute("INSERT INTO queue.job_kinds (name, title, family) VALUES ('forever', 'Forever Sync', 'sync')")
            // Two attempts only: without the rule, the second lost lease would fail it.
            let id = try await store.enqueue(NewJob(kind: "forever", maxAttempts: 2)).id
            let policies = ["forever": RetryPolicy(initialDelay: .seconds(60), maximumDelay: .seconds(600))]
            for death in 1...3 {
                // Due at once: claimed straight away, no waiting for a backoff.
                let claimed = try #require(
                    try await store.claim(kinds: ["forever"], limit: 1, worker: "w\(death)", lease: .milliseconds(200)).first,
                    "job \(id) not due at once for attempt \(death)")
                #expect(claimed.attempt == death)
                // The attempt ran for an hour (the reaper's lease is 30 s: the threshold is 5 minutes).
                try await database.execute("UPDATE queue.jobs SET started_at = now() - interval '1 hour' WHERE id = \(id)")
                try await eventually(within: .seconds(10), "attempt \(death)'s lease to expire") {
                    try await database.scalar("SELECT lease_expires_at < now() FROM queue.jobs WHERE id = \(id)", as: Bool.self)
                }
                #expect(try await store.reapExpiredLeases(policies: policies, lease: .seconds(30)) == 1)
                #expect(try await database.state(of: id) == .retrying)
                #expect(try await database.scalar("SELECT run_at <= now() FROM queue.jobs WHERE id = \(id)", as: Bool.self))
                #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(id)", as: Int.self) == 0)
                // Not spent: as many attempts left as before it was claimed, while the attempt
                // number still moves on and fences the old worker out.
                #expect(try await database.scalar("SELECT max_attempts - attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 2)
                #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == death)
                let lastError = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(id)", as: String.self)
                #expect(lastError.hasPrefix("lease expired: worker w\(death) stopped renewing it after the attempt had run for 36"), "\(lastError)")
                #expect(lastError.hasSuffix("handed back at once, attempt not spent"), "\(lastError)")
            }
            let fourth = try #require(try await store.claim(kinds: ["forever"], limit: 1, worker: "w4", lease: .seconds(30)).first)
            #expect(fourth.attempt == 4)
            #expect(try await store.complete([(id, 3)], worker: "w3").isEmpty, "the third attempt's late completion was accepted")
            #expect(try await database.scalar("SELECT count(*)::int FROM sync.core_alerts WHERE job_id = \(id)", as: Int.self) == 0)
            // Under the threshold (4 minutes of a 5-minute one), a lost lease is the job's own: spent and counted.
            try await database.execute("UPDATE queue.jobs SET started_at = now() - interval '4 minutes', lease_expires_at = now() - interval '1 second' WHERE id = \(id)")
            #expect(try await store.reapExpiredLeases(policies: policies, lease: .seconds(30)) == 1)
            #expect(try await database.state(of: id) == .retrying)
            #expect(try await database.scalar("SELECT lost_leases FROM queue.jobs WHERE id = \(id)", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT max_attempts - attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT run_at > now() + interval '10 seconds' FROM queue.jobs WHERE id = \(id)", as: Bool.self))
        }
    }

    @Test("a unique key admits one live job; once it finishes the key is free again")
    func uniqueKeys() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let first = try await store.enqueue(NewJob(kind: "noop", uniqueKey: "hash-sync"))
            let again = try await store.enqueue(NewJob(kind: "noop", uniqueKey: "hash-sync"))
            guard case .inserted(let id) = first else { Issue.record("not inserted"); return }
            #expect(again == .duplicate(id))
            await #expect(throws: PSQLError.self) {
                try await database.execute("INSERT INTO queue.jobs (kind, unique_key) VALUES ('noop', 'hash-sync')")
            }
            let claimed = try await store.claim(kinds: ["noop"], limit: 1, worker: "w", lease: .seconds(30))
            _ = try await store.complete(claimed.map { ($0.id, $0.attempt) }, worker: "w")
            let later = try await store.enqueue(NewJob(kind: "noop", uniqueKey: "hash-sync"))
            guard case .inserted(let newID) = later else { Issue.record("key not freed"); return }
            #expect(newID != id)
        }
    }

    @Test("a job waits for its dependencies, runs when they complete, and fails when one fails")
    func dependencies() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let a = try await store.enqueue(NewJob(kind: "noop")).id
            let b = try await store.enqueue(NewJob(kind: "noop", priority: -1)).id
            let afterA = try await store.enqueue(NewJob(kind: "noop", dependsOn: [a])).id
            let afterBoth = try await store.enqueue(NewJob(kind: "noop", dependsOn: [a, b])).id
            #expect(try await database.state(of: afterA) == .waiting)
            let claimed = try await store.claim(kinds: ["noop"], limit: 10, worker: "w", lease: .seconds(30))
            #expect(Set(claimed.map(\.id)) == [a, b], "waiting jobs must not be claimed")
            let jobA = claimed.first { $0.id == a }!
            let jobB = claimed.first { $0.id == b }!
            _ = try await store.complete([(a, jobA.attempt)], worker: "w")
            #expect(try await database.state(of: afterA) == .pending)
            #expect(try await database.state(of: afterBoth) == .waiting)
            _ = try await store.fail(jobB, worker: "w", error: "boom", permanent: true, retryDelay: .zero)
            #expect(try await database.state(of: afterBoth) == .failed)
            let reason = try await database.scalar("SELECT last_error FROM queue.jobs WHERE id = \(afterBoth)", as: String.self)
            #expect(reason == "dependency \(b) failed")
            // A job inserted after its dependency failed fails at once.
            let late = try await store.enqueue(NewJob(kind: "noop", dependsOn: [b])).id
            #expect(try await database.state(of: late) == .failed)
            await #expect(throws: PSQLError.self) { try await store.enqueue(NewJob(kind: "noop", dependsOn: [987_654])) }
        }
    }

    @Test("cancelling a job that is not running cancels it at once, along with its dependents; retry queues it again")
    func cancelAndRetry() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let id = try await store.enqueue(NewJob(kind: "noop")).id
            let dependent = try await store.enqueue(NewJob(kind: "noop", dependsOn: [id])).id
            #expect(try await store.cancel(id: id) == .cancelled)
            #expect(try await database.state(of: dependent) == .failed)
            #expect(try await store.cancel(id: 424_242) == nil)
            #expect(try await store.retry(id: id) == .pending)
            #expect(try await database.scalar("SELECT attempt FROM queue.jobs WHERE id = \(id)", as: Int.self) == 0)
        }
    }

    @Test("pruning keeps the newest N finished jobs per kind and never touches unfinished ones")
    func pruning() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            try await database.execute("INSERT INTO queue.jobs (kind) SELECT 'noop' FROM generate_series(1, 30)")
            let claimed = try await store.claim(kinds: ["noop"], limit: 20, worker: "w", lease: .seconds(30))
            _ = try await store.complete(claimed.map { ($0.id, $0.attempt) }, worker: "w")
            #expect(try await store.pruneHistory(keepPerKind: 5) == 15)
            let newest = Set(claimed.map(\.id).sorted().suffix(5))
            let kept = try await database.client.query(
                "SELECT id FROM queue.jobs WHERE state = 'completed'", logger: TestEnvironment.logger)
            var ids = Set<Int64>()
            for try await id in kept.decode(Int64.self) { ids.insert(id) }
            #expect(ids == newest)
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.jobs WHERE state = 'pending'", as: Int.self) == 10)
        }
    }

    @Test("the psql views answer: job list, counts per kind and state, live workers")
    func views() async throws {
        try await TestDatabase.with { database in
            try await database.execute("INSERT INTO queue.jobs (kind) SELECT 'noop' FROM generate_series(1, 3)")
            try await database.store.registerWorker(id: "w1", host: "h", pid: 1, slots: 4, kinds: ["noop"])
            _ = try await database.store.claim(kinds: ["noop"], limit: 1, worker: "w1", lease: .seconds(30))
            #expect(try await database.scalar("SELECT count(*)::int FROM queue.job_list WHERE status = 'running' AND worker = 'w1'", as: Int.self) == 1)
            #expect(try await database.scalar("SELECT pending::int FROM queue.kind_counts WHERE kind = 'noop'", as: Int.self) == 2)
            #expect(try await database.scalar("SELECT running::int FROM queue.live_workers WHERE id = 'w1'", as: Int.self) == 1)
        }
    }

    @Test("the queue listing reads queue.job_list: unfinished first, with progress numbers; `pasisync queue` prints it")
    func listing() async throws {
        try await TestDatabase.with { database in
            let store = database.store
            let done = try await store.enqueue(NewJob(kind: "noop")).id
            let claimed = try await store.claim(kinds: ["noop"], limit: 1, worker: "w", lease: .seconds(30))
            _ = try await store.complete(claimed.map { ($0.id, $0.attempt) }, worker: "w")
            let running = try await store.enqueue(NewJob(kind: "noop")).id
            let job = try #require(try await store.claim(kinds: ["noop"], limit: 1, worker: "w", lease: .seconds(30)).first)
            #expect(try await store.progress(job, worker: "w", done: 3, total: 4, message: "three"))
            let all = try await store.list(limit: 10, includeFinished: true)
            #expect(all.map(\.id) == [running, done])
            #expect(all.first?.progressDone == 3 && all.first?.progressTotal == 4 && all.first?.progressMessage == "three")
            #expect(try await store.list(limit: 10, includeFinished: false).map(\.id) == [running])
            let queue = try PasisyncProcess(["queue", "--all"], database: database)
            #expect(await queue.waitForExit() == 0)
            #expect(queue.log.contains("3/4 75% three"), "\(queue.log)")
            await queue.stop()
        }
    }
}
