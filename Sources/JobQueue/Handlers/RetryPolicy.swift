/// Retries with exponential backoff and full jitter, up to a number of attempts.
///
/// The delay before attempt `n + 1` is a random value between half and all of
/// `min(maximumDelay, initialDelay × 2^(n-1))`: the jitter spreads out jobs that failed together
/// (a PASI outage) so they do not all come back at the same instant.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts before the job fails for good; a job's own `max_attempts` overrides it.
    public var maxAttempts: Int
    /// Delay after the first failed attempt.
    public var initialDelay: Duration
    /// Upper bound of any delay.
    public var maximumDelay: Duration

    /// - Parameters:
    ///   - maxAttempts: defaults to 25.
    ///   - initialDelay: defaults to 1 second.
    ///   - maximumDelay: defaults to 10 minutes.
    public init(maxAttempts: Int = 25, initialDelay: Duration = .seconds(1), maximumDelay: Duration = .seconds(600)) {
        precondition((1...1000).contains(maxAttempts), "maxAttempts must be from 1 to 1000")
        self.maxAttempts = maxAttempts
        self.initialDelay = initialDelay
        self.maximumDelay = maximumDelay
    }

    /// The upper bound of the delay after failed attempt `attempt` (1-based), before jitter.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 40)
        let seconds = initialDelay.seconds * Double(UInt64(1) << UInt64(exponent))
        return min(maximumDelay, .seconds(min(seconds, maximumDelay.seconds)))
    }

    /// The delay after failed attempt `attempt`, jittered into the upper half of its ceiling.
    public func delay(afterAttempt attempt: Int, using generator: inout some RandomNumberGenerator) -> Duration {
        let ceiling = ceiling(afterAttempt: attempt).seconds
        return .seconds(Double.random(in: (ceiling / 2)...ceiling, using: &generator))
    }

    public func delay(afterAttempt attempt: Int) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, using: &generator)
    }
}

extension Duration {
    /// The duration in seconds, as a floating-point number.
    public var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
