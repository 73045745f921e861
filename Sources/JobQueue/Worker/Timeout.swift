public import PostgresNIO
import Synchronization

/// An attempt ran longer than its kind allows.
public struct JobTimeout: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "timed out after \(limit)" }
}

/// A database statement got no answer in time.
public struct StatementTimeout: Error, CustomStringConvertible {
    public let limit: Duration
    public init(limit: Duration) { self.limit = limit }
    public var description: String { "no answer from the database within \(limit)" }
}

/// Runs `operation`, cancelling it and throwing ``JobTimeout`` if it outlives `limit`.
func withTimeout(_ limit: Duration?, _ operation: @escaping @Sendable () async throws -> Void) async throws {
    guard let limit else { return try await operation() }
    try await withDeadline(limit, timeout: JobTimeout(limit: limit), operation)
}

/// Runs `operation` and returns its result, or throws `timeout` once `limit` has passed.
/// - Parameters:
///   - limit: how long to wait for the operation.
///   - timeout: the error thrown at the deadline.
///
/// Unlike a task group, this returns at the deadline even when the operation ignores its
/// cancellation: a statement stuck on a connection that died under it (seen while PostgreSQL
/// restarts) must not wedge the worker's loops. The abandoned operation is cancelled and left
/// to end on its own; anything it writes late is fenced out by the attempt number.
public func withDeadline<T: Sendable>(
    _ limit: Duration, timeout: any Error, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await race(operation) {
        try await Task.sleep(for: limit)
        return timeout
    }
}

/// Runs `operation` and returns its result, or throws the error `abandon` gives once it gives one
/// (asked every `interval`), the operation then abandoned as ``withDeadline(_:timeout:_:)``
/// abandons it. For work on a connection that has no deadline of its own (a handler's transaction
/// may rightly run for minutes) but must not outlive the connection: PostgresNIO 1.33 never
/// answers a statement written on a channel that has closed, so without this a PostgreSQL restart
/// at the wrong moment left the attempt waiting, its lease renewed, until its stall limit.
public func withWatch<T: Sendable>(
    every interval: Duration, abandonIf abandon: @escaping @Sendable () -> (any Error)?,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await race(operation) {
        while true {
            try await Task.sleep(for: interval)
            if let error = abandon() { return error }
        }
    }
}

/// Runs `operation`, which works on `connection`, and gives up on it with `closed` once the
/// connection has closed (``withWatch(every:abandonIf:_:)``, asked every 250 ms): what a handler's
/// transaction is run under, so that it never outlives its connection.
public func whileOpen<T: Sendable>(
    _ connection: PostgresConnection, orThrow closed: @escaping @Sendable @autoclosure () -> any Error,
    _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withWatch(every: .milliseconds(250), abandonIf: { connection.isClosed ? closed() : nil }, operation)
}

/// `operation` against `watcher`, which returns the error to give up with: whichever ends first
/// decides, and the other is cancelled and left to end on its own.
private func race<T: Sendable>(
    _ operation: @escaping @Sendable () async throws -> T, watcher: @escaping @Sendable () async throws -> any Error
) async throws -> T {
    let outcome = FirstOutcome<T>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            outcome.setContinuation(continuation)
            let timer = Task {
                outcome.finish(.failure(try await watcher()))
            }
            let work = Task {
                do {
                    outcome.finish(.success(try await operation()))
                } catch {
                    outcome.finish(.failure(error))
                }
                timer.cancel()
            }
            outcome.setCancel { work.cancel(); timer.cancel() }
        }
    } onCancel: {
        outcome.cancel()
    }
}

/// Resumes a continuation with whichever outcome comes first; later ones are dropped.
///
/// The outcome may come before the continuation exists: when the calling task is already
/// cancelled, `withTaskCancellationHandler` runs its handler before the body, so the cancellation
/// is kept here and handed over the moment the continuation is set.
private final class FirstOutcome<T: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<T, any Error>?
        /// The first outcome, while no continuation waits for it.
        var early: Result<T, any Error>?
        var done = false
        var cancelWork: (@Sendable () -> Void)?
    }
    private let state = Mutex(State())

    func setContinuation(_ continuation: CheckedContinuation<T, any Error>) {
        let early = state.withLock { state -> Result<T, any Error>? in
            if let early = state.early {
                state.early = nil
                return early
            }
            state.continuation = continuation
            return nil
        }
        if let early { continuation.resume(with: early) }
    }

    func setCancel(_ cancel: @escaping @Sendable () -> Void) {
        let cancelNow = state.withLock { state -> Bool in
            state.cancelWork = cancel
            return state.done
        }
        if cancelNow { cancel() }
    }

    func finish(_ result: Result<T, any Error>) {
        let (continuation, cancelWork) = state.withLock { state -> (CheckedContinuation<T, any Error>?, (@Sendable () -> Void)?) in
            guard !state.done else { return (nil, nil) }
            state.done = true
            guard let continuation = state.continuation else {
                state.early = result
                return (nil, state.cancelWork)
            }
            state.continuation = nil
            return (continuation, state.cancelWork)
        }
        continuation?.resume(with: result)
        // Whichever side lost is stopped: the timer after a result, the operation after a timeout.
        cancelWork?()
    }

    func cancel() {
        finish(.failure(CancellationError()))
    }
}
