import Testing
@testable import JobQueue
import PasisyncTesting

@Suite("Retry policy and registry (pure)")
struct RetryPolicyTests {
    @Test("the backoff ceiling doubles per attempt and stops at the maximum")
    func ceilingDoublesAndCaps() {
        let policy = RetryPolicy(maxAttempts: 10, initialDelay: .seconds(1), maximumDelay: .seconds(20))
        #expect(policy.ceiling(afterAttempt: 1) == .seconds(1))
        #expect(policy.ceiling(afterAttempt: 2) == .seconds(2))
        #expect(policy.ceiling(afterAttempt: 4) == .seconds(8))
        #expect(policy.ceiling(afterAttempt: 5) == .seconds(16))
        #expect(policy.ceiling(afterAttempt: 6) == .seconds(20))
        #expect(policy.ceiling(afterAttempt: 500) == .seconds(20))
    }

    @Test("jittered delays stay within the upper half of the ceiling and are not all equal")
    func jitterStaysInRange() {
        let policy = RetryPolicy(initialDelay: .seconds(1), maximumDelay: .seconds(600))
        let delays = (0..<200).map { _ in policy.delay(afterAttempt: 3).seconds }
        #expect(delays.allSatisfy { (2.0...4.0).contains($0) })
        #expect(Set(delays).count > 100)
    }

    @Test("a kind registered twice is refused, naming it")
    func duplicateKindRefused() throws {
        var registry = JobRegistry()
        try registry.register(NoopJob())
        #expect(throws: JobRegistry.DuplicateKind.self) { try registry.register(NoopJob()) }
        do {
            try registry.register(NoopJob())
        } catch {
            #expect("\(error)" == "job kind \"noop\" is registered twice")
        }
        #expect(registry.kinds == ["noop"])
    }
}
