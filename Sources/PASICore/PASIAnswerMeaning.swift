public import PASIContract

// What PASI's codes mean, said once, here in the client: the jobs ask what happened
// (`isStaleVersion`, `isRecordNotFound`, `isResubmitRequested`) and never compare numbers, so a
// corrected reading of a code changes only this mapping.

extension PASICoreError {
    /// PASI asked for the call to be made again later ("resubmit", 9014): a retry needs no
    /// attempt spent on it.
    public var isResubmitRequested: Bool { faultCode == PASIFault.Code.resubmit.rawValue }
}

extension Rejection {
    /// The version sent is not the one PASI holds (3004): someone, or an earlier submit whose
    /// answer was lost, changed PASI's copy since it was read.
    public var isStaleVersion: Bool { code == PASIFault.Code.versionConflict.rawValue }

    /// PASI holds no such record (3001).
    public var isRecordNotFound: Bool { code == PASIFault.Code.recordNotFound.rawValue }
}
