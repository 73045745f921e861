/// An attempt ran longer than its kind allows.
public struct JobTimeout: Error, CustomStringConvertible {
    public let limit: Duration
    public var description: String { "timed out after \(limit)" }
}

/// Runs `operation`, cancelling it and throwing ``JobTimeout`` if it outlives `limit`.
func withTimeout(_ limit: Duration?, _ operation: @escaping @Sendable () async throws -> Void) async throws {
    guard let limit else { return try await operation() }
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw JobTimeout(limit: limit)
        }
        defer { group.cancelAll() }
        try await group.next()
    }
}
