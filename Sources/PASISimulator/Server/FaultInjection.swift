public import Foundation

/// Faults the simulator adds on purpose, for tests and demos. Change it while the
/// simulator runs (``SimulatorServer/faults`` in process, `POST /admin/faults` over HTTPS).
public struct FaultPlan: Codable, Sendable, Hashable {
    /// Added to every answer.
    public var latencyMilliseconds: Int = 0
    /// The share of requests (0…1) answered with fault 9001, a transient failure.
    public var transientShare: Double = 0
    /// Until this moment every request is answered HTTP 503 (an outage).
    public var outageUntil: Date?
    /// Record ids whose submits are rejected with 3002.
    public var rejectIDs: Set<String> = []

    /// No faults.
    public init() {}

    /// Checks the plan's ranges.
    /// - Throws: ``FaultPlanError`` naming the bad field.
    public func validate() throws(FaultPlanError) {
        guard (0...600_000).contains(latencyMilliseconds) else {
            throw FaultPlanError(description: "latencyMilliseconds must be from 0 to 600000, got \(latencyMilliseconds)")
        }
        guard (0...1).contains(transientShare) else {
            throw FaultPlanError(description: "transientShare must be from 0 to 1, got \(transientShare)")
        }
    }
}

/// A fault plan out of range.
public struct FaultPlanError: Error, CustomStringConvertible, Sendable {
    public let description: String
}
