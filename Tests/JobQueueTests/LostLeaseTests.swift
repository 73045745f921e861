import Testing
@testable import JobQueue

@Suite("Lost leases (pure)")
struct LostLeaseTests {
    let policy = RetryPolicy(maxAttempts: 25, initialDelay: .seconds(1), maximumDelay: .seconds(600))

    let lease = Duration.seconds(30)

    func decide(attempt: Int, maxAttempts: Int = 25, lost: Int, ranFor: Duration = .seconds(2),
                cancel: Bool = false) -> LostLease.Outcome {
        var generator = SystemRandomNumberGenerator()
        return LostLease.decide(attempt: attempt, maxAttempts: maxAttempts, lostInARow: lost, ranFor: ranFor,
                                lease: lease, cancelRequested: cancel, policy: policy, using: &generator)
    }

    @Test("a lost lease is retried after the policy's delay for that attempt, not at once")
    func retriedWithBackoff() {
        for (attempt, range) in [(1, 0.5...1.0), (2, 1.0...2.0), (4, 4.0...8.0)] {
            guard case .retry(let delay) = decide(attempt: attempt, lost: min(attempt, 2)) else {
                Issue.record("attempt \(attempt) was not retried"); continue
            }
            #expect(range.contains(delay.seconds), "attempt \(attempt): \(delay)")
        }
    }

    @Test("the third lost lease in a row fails the job; fewer in a row do not")
    func failsAtTheLimit() {
        #expect(LostLease.limit == 3)
        #expect(decide(attempt: 3, lost: 3) == .failedLostLeases)
        #expect(decide(attempt: 9, lost: 4) == .failedLostLeases)
        if case .retry = decide(attempt: 7, lost: 2) {} else { Issue.record("2 in a row failed the job") }
    }

    @Test("max_attempts still bounds it; a cancel asked for wins over everything")
    func attemptsAndCancel() {
        #expect(decide(attempt: 1, maxAttempts: 1, lost: 1) == .failedOutOfAttempts)
        #expect(decide(attempt: 2, maxAttempts: 2, lost: 2) == .failedOutOfAttempts)
        #expect(decide(attempt: 3, maxAttempts: 3, lost: 3) == .failedLostLeases)
        #expect(decide(attempt: 3, lost: 3, cancel: true) == .cancelled)
        #expect(decide(attempt: 1, lost: 1, cancel: true) == .cancelled)
    }

    @Test("an attempt that ran for 10 leases is handed back at once, whatever its count, attempts or run of lost leases")
    func longRunningHandedBack() {
        #expect(LostLease.longRunningLeases == 10)
        let threshold = lease * 10
        #expect(decide(attempt: 1, lost: 1, ranFor: threshold) == .handedBack(ranFor: threshold))
        #expect(decide(attempt: 3, lost: 3, ranFor: .seconds(86_400)) == .handedBack(ranFor: .seconds(86_400)))
        #expect(decide(attempt: 5, maxAttempts: 5, lost: 1, ranFor: threshold) == .handedBack(ranFor: threshold))
        #expect(decide(attempt: 2, lost: 1, ranFor: threshold, cancel: true) == .cancelled)
    }

    @Test("an attempt that ran for just under 10 leases still spends its attempt, backs off and counts")
    func justUnderTheThreshold() {
        let under = lease * 10 - .milliseconds(1)
        guard case .retry(let delay) = decide(attempt: 2, lost: 2, ranFor: under) else {
            Issue.record("a lost lease under the threshold was not backed off"); return
        }
        #expect((1.0...2.0).contains(delay.seconds), "\(delay)")
        #expect(decide(attempt: 3, lost: 3, ranFor: under) == .failedLostLeases)
        #expect(decide(attempt: 2, maxAttempts: 2, lost: 1, ranFor: under) == .failedOutOfAttempts)
    }

    @Test("last_error says the worker died, how often, and that it is not retried again")
    func messages() {
        let failed = LostLease.message(.failedLostLeases, worker: "h:42:w", lostInARow: 3)
        #expect(failed == "the worker running it stopped without finishing (killed, crashed or frozen past its lease) "
                    + "3 times in a row; not retried again (last: worker h:42:w)")
        #expect(LostLease.message(.retry(after: .milliseconds(1540)), worker: "h:42:w", lostInARow: 1)
                == "lease expired: worker h:42:w stopped renewing it (1 of 3 in a row before it fails); retried in 1.5 s")
        #expect(LostLease.message(.failedOutOfAttempts, worker: nil, lostInARow: 1)
                == "lease expired: its worker stopped renewing it; that was its last attempt")
        #expect(LostLease.message(.handedBack(ranFor: .seconds(3600)), worker: "h:42:w", lostInARow: 2)
                == "lease expired: worker h:42:w stopped renewing it after the attempt had run for 3600 s; "
                    + "handed back at once, attempt not spent")
        #expect(LostLease.formatted(.seconds(95.4)) == "95 s")
    }
}
