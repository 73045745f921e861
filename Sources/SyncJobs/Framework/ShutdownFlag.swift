import Synchronization

/// Set once the worker running a long-lived job begins a graceful shutdown: the job then hands
/// itself back to the queue (snoozed, no attempt spent) instead of holding the grace period.
/// A class, so the job's loop and the tasks it starts can all read the one flag.
final class ShutdownFlag: Sendable {
    private let raised = Atomic(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    func raise() { raised.store(true, ordering: .relaxed) }
}
