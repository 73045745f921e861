@testable import SyncJobs
import Testing

@Suite("Bounded concurrency")
struct BoundedConcurrencyTests {
    /// Pieces of work that each wait to be let go, so the test sees how many run at once.
    actor Gate {
        private(set) var running = 0
        private(set) var mostAtOnce = 0
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func enter() async {
            running += 1
            mostAtOnce = max(mostAtOnce, running)
            await withCheckedContinuation { waiting.append($0) }
            running -= 1
        }

        var waitingCount: Int { waiting.count }

        /// At least `count` wait, and every piece that runs is waiting (the last one let go has left).
        func settled(atLeast count: Int) -> Bool { waiting.count >= count && running == waiting.count }

        func releaseOne() {
            guard !waiting.isEmpty else { return }
            waiting.removeFirst().resume()
        }
    }

    @Test("every piece runs, never more than the limit at once, the next one as soon as one ends", arguments: [1, 3, 20])
    func bounded(limit: Int) async {
        let gate = Gate()
        let work: [@Sendable () async -> Int] = (0..<10).map { index in { await gate.enter(); return index } }
        let run = Task { await BoundedConcurrency.run(work, limit: limit) }
        for released in 0..<10 {
            // As many as the limit allows are running and waiting before one is let go.
            let expected = min(limit, 10 - released)
            while await !gate.settled(atLeast: expected) { await Task.yield() }
            #expect(await gate.waitingCount == expected)
            await gate.releaseOne()
        }
        let results = await run.value
        #expect(results.sorted() == Array(0..<10))
        #expect(await gate.mostAtOnce == min(limit, 10))
    }

    @Test("a limit below one runs the work one at a time rather than not at all")
    func limitBelowOne() async {
        let work: [@Sendable () async -> Int] = [{ 1 }, { 2 }]
        let results = await BoundedConcurrency.run(work, limit: 0)
        #expect(results.sorted() == [1, 2])
    }

    @Test("no work, no results")
    func empty() async {
        let work: [@Sendable () async -> Int] = []
        #expect(await BoundedConcurrency.run(work, limit: 4).isEmpty)
    }
}
