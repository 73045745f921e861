/// What becomes of a job whose lease expired: its worker was killed, crashed, froze past its
/// lease, or lost PostgreSQL for longer than the lease.
///
/// A lost lease early in its attempt is a spent attempt, put off by the kind's ``RetryPolicy`` like
/// a failure, so a job that crashes every worker it meets does not take the cluster down in a
/// tight loop. After ``limit`` such lost leases in a row it is failed with an error that says so
/// (for a sync kind, the failure raises a Failure alert).
///
/// An attempt that had run for ``longRunningLeases`` leases or more before its lease expired did
/// not kill its worker: something around it did (a PostgreSQL restart, a network cut, a deploy).
/// The jobs that run for as long as a switch is on (Regular Sync, PASI Data Available) lose their
/// leases that way, over weeks, and must not be failed for it. Such a job is handed back at once
/// without spending the attempt, and its run of lost leases starts again. A worker that shuts
/// down gracefully releases its jobs instead: that spends nothing and counts nothing.
public enum LostLease {
    /// Lost leases in a row after which a job is failed. Three: one death is ordinary (a deploy, an
    /// OOM kill of a neighbour, a PostgreSQL restart), two can be bad luck, three in a row on the
    /// same job is the job. A job's `max_attempts` still bounds it (each early lost lease is an attempt).
    public static let limit = 3

    /// How many leases an attempt must have run for (from its start until its lease expired) for
    /// its lost lease not to be blamed on it: 10, i.e. 5 minutes at the default 30 s lease. A job
    /// that kills its worker (a crash on its input, the OOM killer on what it loads) does so soon
    /// after it starts, at the same early point each time; one that renewed its lease 30 times
    /// first has shown that it runs, and its worker was more likely taken by something around it.
    /// A job that always kills its worker later than that is never failed by this rule, but it
    /// can take a worker at most once per 10 leases, not in a tight loop. Measured from `started_at` to
    /// `lease_expires_at` (both on the database's clock), which overstates the time the attempt
    /// was alive by at most one lease.
    public static let longRunningLeases = 10

    /// The reaper's decision for one expired lease.
    public enum Outcome: Equatable, Sendable {
        /// A cancel was asked for while it ran: it ends cancelled.
        case cancelled
        /// Back to the queue, due after this delay.
        case retry(after: Duration)
        /// Back to the queue at once, the attempt not spent and the run of lost leases ended: the
        /// attempt had run for this long, so it was not the job that killed its worker.
        case handedBack(ranFor: Duration)
        /// Failed for good: `lostInARow` reached ``limit``.
        case failedLostLeases
        /// Failed for good: that was its last attempt.
        case failedOutOfAttempts
    }

    /// Decides the fate of a job whose lease expired.
    /// - Parameters:
    ///   - attempt: the attempt that lost its lease (1-based, already spent).
    ///   - maxAttempts: the job's `max_attempts`.
    ///   - lostInARow: lost leases in a row, this one included.
    ///   - ranFor: how long the attempt ran: from its `started_at` to its `lease_expires_at`.
    ///   - lease: the lease length; an attempt that ran for ``longRunningLeases`` of them is handed back.
    ///   - cancelRequested: whether a cancel was asked for.
    ///   - policy: the kind's retry policy (its delays; the job's own `maxAttempts` wins).
    ///   - limit: lost leases in a row that fail the job.
    public static func decide(
        attempt: Int, maxAttempts: Int, lostInARow: Int, ranFor: Duration, lease: Duration, cancelRequested: Bool,
        policy: RetryPolicy, limit: Int = LostLease.limit, using generator: inout some RandomNumberGenerator
    ) -> Outcome {
        if cancelRequested { return .cancelled }
        if ranFor >= lease * longRunningLeases { return .handedBack(ranFor: ranFor) }
        if lostInARow >= limit { return .failedLostLeases }
        if attempt >= maxAttempts { return .failedOutOfAttempts }
        return .retry(after: policy.delay(afterAttempt: attempt, using: &generator))
    }

    /// The job's `last_error` for `outcome`: what happened, in words for whoever reads the job or
    /// (a sync kind) its Failure alert.
    public static func message(_ outcome: Outcome, worker: String?, lostInARow: Int, limit: Int = LostLease.limit) -> String {
        let who = worker.map { "worker \($0)" } ?? "its worker"
        switch outcome {
        case .failedLostLeases:
            return "the worker running it stopped without finishing (killed, crashed or frozen past its lease) "
                + "\(lostInARow) times in a row; not retried again (last: \(who))"
        case .failedOutOfAttempts:
            return "lease expired: \(who) stopped renewing it; that was its last attempt"
        case .retry(let delay):
            return "lease expired: \(who) stopped renewing it (\(lostInARow) of \(limit) in a row before it fails); "
                + "retried in \(formatted(delay))"
        case .handedBack(let ranFor):
            return "lease expired: \(who) stopped renewing it after the attempt had run for \(formatted(ranFor)); "
                + "handed back at once, attempt not spent"
        case .cancelled:
            return "lease expired: \(who) stopped renewing it; cancelled as asked"
        }
    }

    /// A delay in seconds, with tenths under a minute.
    static func formatted(_ delay: Duration) -> String {
        let seconds = delay.seconds
        return seconds < 60 ? "\((seconds * 10).rounded() / 10) s" : "\(Int(seconds.rounded())) s"
    }
}
