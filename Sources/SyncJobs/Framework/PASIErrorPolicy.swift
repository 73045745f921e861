import JobQueue
public import PASICore

extension PASICoreError {
    /// What a job does with this error: a transient failure is thrown as it is, so the
    /// queue retries the job with backoff up to its attempts; a rejection or an
    /// authorization failure fails the job once (``JobError/permanent(_:)``), since
    /// retrying cannot change PASI's answer. An authorization failure is named as one,
    /// so a person sees it at once in `queue.job_list`.
    ///
    /// PASI's 9014 ("resubmit later") is not a failure at all: the job is snoozed, spending no
    /// attempt, and comes back after ``resubmitDelay``.
    public var forJob: any Error {
        switch category {
        case .transient where isResubmitRequested:
            JobSnooze(for: Self.resubmitDelay, reason: "PASI asked to resubmit later (9014)")
        case .transient: self
        case .rejection: JobError.permanent("PASI rejected it: \(message)")
        case .authorization: JobError.permanent("PASI refused the caller (check the certificate and the Caller Information settings): \(message)")
        }
    }
}

extension PASICoreError {
    /// How long a job waits after PASI's "resubmit later" (9014).
    public static let resubmitDelay: Duration = .seconds(10)
}
