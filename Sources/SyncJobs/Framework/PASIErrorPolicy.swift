import Foundation
import JobQueue
public import PASICore

extension PASICoreError {
    /// What a job does with this error, by the documented handling of PASI's code
    /// (`docs/pasi-protocol.md`, "Faults"):
    /// - an outage is thrown as it is, so the queue retries the job with backoff up to its
    ///   Maximum Attempts; PASI's 9014 ("resubmit later") snoozes the job instead, spending no
    ///   attempt, and it comes back after ``resubmitDelay``;
    /// - a configuration fault (certificate, client, organization) fails the job at once
    ///   (``JobError/permanent(_:)``): its Failure alert names the cause and what to check;
    /// - our own defect fails it at once, naming the ClientMessageID under which the request is in
    ///   the message log;
    /// - a business rule fails it at once with PASI's rule number and message.
    public var forJob: any Error {
        if isResubmitRequested { return JobSnooze(for: Self.resubmitDelay, reason: "PASI asked to resubmit later (9014)") }
        switch category {
        case .transient: return self
        case .rejection: return JobError.permanent("PASI rejected it: \(ruleText)")
        case .configuration:
            return JobError.permanent("PASI refused the caller: \(whatToCheck ?? "check the PASI settings") (\(message))")
        case .defect:
            return JobError.permanent("PASI could not read our request, a defect of this software: \(message)\(messageLogReference)")
        }
    }

    /// " (request in the message log as ClientMessageID …)", when the call was made.
    var messageLogReference: String {
        clientMessageID.map { " (request in the message log as ClientMessageID \($0.uuidString.lowercased()))" } ?? ""
    }
}

extension PASICoreError {
    /// How long a job waits after PASI's "resubmit later" (9014).
    public static let resubmitDelay: Duration = .seconds(10)
}
