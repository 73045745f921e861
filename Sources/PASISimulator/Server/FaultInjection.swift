public import Foundation
import PASIContract

/// Faults the simulator adds on purpose, for tests and demos. Change it while the
/// simulator runs (``SimulatorServer/faults`` in process, `POST /admin/faults` over HTTPS
/// with JSON such as `{"latencyMilliseconds": 200, "transientShare": 0.1,
/// "outageSeconds": 30, "rejectIDs": ["…"], "faultCode": 2001, "faultOperations": ["GetCodeValues"],
/// "faultCount": 2, "answerReplacements": {"old": "new"}}`; a missing field means no such fault).
///
/// The codes are the Knowledge Base's (validation_rules_between_1_and_9999.html): the transient
/// share answers 9001 Unexpected Problem in PASI, an outage HTTP 503, a refused id rule 9020, and
/// `faultCode` any documented code (2001 PASI Core Not Available, 1008, 3002, …) PASI answers as a
/// fault.
public struct FaultPlan: Sendable, Hashable {
    /// Added to every answer.
    public var latencyMilliseconds: Int = 0
    /// The share of requests (0…1) answered with fault 9001 Unexpected Problem in PASI.
    public var transientShare: Double = 0
    /// Until this moment every request is answered HTTP 503 (an outage).
    public var outageUntil: Date?
    /// Record ids whose submits are rejected with rule 9020 Unauthorized Organization Code
    /// (rule_9020.html), a business rule.
    public var rejectIDs: Set<String> = []
    /// A fault code answered (as a SOAP fault, HTTP 500) instead of ``faultOperations``' answers.
    public var faultCode: Int?
    /// The operations (`GetCodeValues`, `SubmitSection`, …) answered with ``faultCode``; empty: all.
    public var faultOperations: Set<String> = []
    /// How many requests are answered with ``faultCode`` before the fault ends by itself
    /// (an outage that ends); `nil`: until the plan changes.
    public var faultCount: Int?
    /// Every call is answered HTTP 308 to this address (a moved or hijacked endpoint): a client
    /// must not follow it with the request (`"redirectTo": "http://…"`).
    public var redirectTo: String?
    /// Text replaced in every answer's body, each key by its value: a PASI answer the client
    /// cannot read (`"answerReplacements": {"<BirthDate>2012-02-29<": "<BirthDate>2012-02-30<"}`).
    public var answerReplacements: [String: String] = [:]

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
        if let faultCode, !(1000...99_999).contains(faultCode) {
            throw FaultPlanError(description: "faultCode must be a PASI code from 1000 to 99999, got \(faultCode)")
        }
        if let faultCount, faultCount < 0 {
            throw FaultPlanError(description: "faultCount must be 0 or more, got \(faultCount)")
        }
    }
}

/// JSON for the admin endpoint: every field optional; an outage is given in seconds from now.
extension FaultPlan: Codable {
    private enum CodingKeys: String, CodingKey {
        case latencyMilliseconds, transientShare, outageSeconds, rejectIDs, faultCode, faultOperations, faultCount, redirectTo
        case answerReplacements
    }

    /// Reads a plan; absent fields mean no such fault.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        latencyMilliseconds = try c.decodeIfPresent(Int.self, forKey: .latencyMilliseconds) ?? 0
        transientShare = try c.decodeIfPresent(Double.self, forKey: .transientShare) ?? 0
        outageUntil = try c.decodeIfPresent(Double.self, forKey: .outageSeconds).map { Date().addingTimeInterval($0) }
        rejectIDs = try c.decodeIfPresent(Set<String>.self, forKey: .rejectIDs) ?? []
        faultCode = try c.decodeIfPresent(Int.self, forKey: .faultCode)
        faultOperations = try c.decodeIfPresent(Set<String>.self, forKey: .faultOperations) ?? []
        faultCount = try c.decodeIfPresent(Int.self, forKey: .faultCount)
        redirectTo = try c.decodeIfPresent(String.self, forKey: .redirectTo)
        answerReplacements = try c.decodeIfPresent([String: String].self, forKey: .answerReplacements) ?? [:]
    }

    /// Writes the plan; an outage as the seconds that remain.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(latencyMilliseconds, forKey: .latencyMilliseconds)
        try c.encode(transientShare, forKey: .transientShare)
        try c.encodeIfPresent(outageUntil.map { max(0, $0.timeIntervalSinceNow) }, forKey: .outageSeconds)
        try c.encode(rejectIDs.sorted(), forKey: .rejectIDs)
        try c.encodeIfPresent(faultCode, forKey: .faultCode)
        try c.encode(faultOperations.sorted(), forKey: .faultOperations)
        try c.encodeIfPresent(faultCount, forKey: .faultCount)
        try c.encodeIfPresent(redirectTo, forKey: .redirectTo)
        try c.encode(answerReplacements, forKey: .answerReplacements)
    }
}

extension FaultPlan {
    /// The fault to answer a request for `operation` with, if the plan injects one, and the plan
    /// that follows (its ``faultCount`` spent by one).
    func injectedFault(for operation: String) -> (fault: PASIFault, next: FaultPlan)? {
        guard let faultCode, faultOperations.isEmpty || faultOperations.contains(operation), faultCount != 0 else { return nil }
        var next = self
        next.faultCount = faultCount.map { $0 - 1 }
        let name = PASIFault.Code(rawValue: faultCode)?.name ?? "Rule \(faultCode)"
        return (PASIFault(code: faultCode, message: "\(name) (simulated fault)"), next)
    }

    /// `answer` with the plan's ``answerReplacements`` made.
    func edited(_ answer: Data) -> Data {
        guard !answerReplacements.isEmpty else { return answer }
        var text = String(decoding: answer, as: UTF8.self)
        for (old, new) in answerReplacements where !old.isEmpty { text = text.replacingOccurrences(of: old, with: new) }
        return Data(text.utf8)
    }
}

/// A fault plan out of range.
public struct FaultPlanError: Error, CustomStringConvertible, Sendable {
    /// The field, its range and the value given.
    public let description: String
}
