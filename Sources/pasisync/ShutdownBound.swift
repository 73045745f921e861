import Foundation
import JobQueue
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// Ends the process if its graceful shutdown outlasts `limit`.
///
/// A worker's shutdown is bounded by its own logic (the grace period, then the leases), but the
/// database client's is not: closing a connection waits for the server to answer, and a server
/// behind a cut link or a frozen backend never does, so the process would outlive its SIGTERM
/// for ever (the chaos run found one). By the time this bound strikes, the worker has released
/// or given up its jobs (their leases lapse to the reaper in any case), so ending the process
/// loses nothing; the kernel closes the sockets the client could not.
///
/// Place it last in the service group: services are told to shut down in reverse order, so it
/// hears of the shutdown first, arms its timer on a thread of its own and returns at once.
struct ShutdownBound: Service {
    let limit: Duration
    let logger: Logger

    /// The bound for a worker: its grace period, then at most one lease while it waits for the
    /// database to take its releases, then the statements that unregister it, with some slack.
    static func forWorker(gracePeriod: Duration, lease: Duration, statementDeadline: Duration) -> Duration {
        gracePeriod + lease + statementDeadline * 2 + .seconds(5)
    }

    func run() async {
        // Throws only when the group is cancelled instead; then there is nothing to bound.
        guard (try? await gracefulShutdown()) != nil else { return }
        let limit = self.limit, logger = self.logger
        // A thread, not a task: the bound must strike even if the cooperative pool is wedged.
        Thread.detachNewThread {
            Thread.sleep(forTimeInterval: limit.seconds)
            logger.error("""
                shutdown did not finish within \(limit.seconds) s of the signal (a database connection \
                did not close); exiting anyway: the jobs this worker held were released or their leases lapse
                """)
            _exit(EXIT_FAILURE)
        }
    }
}
