public import Foundation

/// Faults the simulator adds on purpose, for tests and demos. Change it while the
/// simulator runs (``SimulatorServer/faults`` in process, `POST /admin/faults` over HTTPS
/// with JSON such as `{"latencyMilliseconds": 200, "transientShare": 0.1,
/// "outageSeconds": 30, "rejectIDs": ["…"]}`; a missing field means no such fault).
public struct FaultPlan: Sendable, Hashable {
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
    /// - Throws: ``FaultPlanError`` naming the bad field and its range.
    public func validate() throws(FaultPlanError) {
        guard (0...600_000).contains(latencyMilliseconds) else {
            throw FaultPlanError(description: "latencyMilliseconds must be from 0 to 600000, got \(latencyMilliseconds)")
        }
        guard (0...1).contains(transientShare) else {
            throw FaultPlanError(description: "transientShare must be from 0 to 1, got \(transientShare)")
        }
    }
}

/// JSON for the admin endpoint: every field optional; an outage is given in seconds from now.
extension FaultPlan: Codable {
    private enum CodingKeys: String, CodingKey { case latencyMilliseconds, transientShare, outageSeconds, rejectIDs }

    /// Reads a plan; absent fields mean no such fault.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        transientShare = try c.decodeIfPresent(Double.self, forKey: .transientShare) ?? 0
        outageUntil = try c.decodeIfPresent(Double.self, forKey: .outageSeconds).map { Date().addingTimeInterval($0) }
        rejectIDs = try c.decodeIfPresent(Set<String>.self, forKey: .rejectIDs) ?? []
    }

    /// Writes the plan; an outage as the seconds that remain.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
        try c.encode(transientShare, forKey: .transientShare)
        try c.encodeIfPresent(outageUntil.map { max(0, $0.timeIntervalSinceNow) }, forKey: .outageSeconds)
        try c.encode(rejectIDs.sorted(), forKey: .rejectIDs)
    }
}

/// A fault plan out of range.
public struct FaultPlanError: Error, CustomStringConvertible, Sendable {
    /// The field, its range and the value given.
    public let description: String
}
