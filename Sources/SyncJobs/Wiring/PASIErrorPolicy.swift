public import JobQueue
public import PASICore

extension PASICoreError {
    /// What a job does with this error: a transient failure is thrown as it is, so the
    /// queue retries the job with backoff up to its attempts; a rejection or an
    /// authorization failure fails the job once (``JobError/permanent(_:)``), since
    /// retrying cannot change PASI's answer. An authorization failure is named as one,
    /// so a person sees it at once in `queue.job_list`.
    public var forJob: any Error {
        switch category {
        case .transient: self
        case .rejection: JobError.permanent("PASI rejected it: \(message)")
        case .authorization: JobError.permanent("PASI refused the caller (check the certificate and the Caller Information settings): \(message)")
        }
    }
}
