public import PASIContract

// What PASI's codes mean, said once, here in the client: the jobs ask what happened
// (`isStaleVersion`, `isRecordNotFound`, `isResubmitRequested`) and never compare numbers, so a
// corrected reading of a code changes only this mapping.
//
// The Knowledge Base is the specification:
// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
// 9014 and 3004 below follow it. 3001 does NOT: the Knowledge Base's 3001 is "Request Doesn't
// Match Schema" (rule_3001.html, a defect of the request), while this project's client and
// simulator still read it as "record not found". That reading is kept here unchanged (issue 25
// moved the comparison, it did not change meanings); issue 20 corrects it, in this file.

extension PASICoreError {
    /// PASI asked for the call to be made again later: Rule 9014 "PASI Core Out of Date" ("Data
    /// Unavailable ... Resubmit your request", rule_9014.html). A retry needs no attempt spent on it.
    public var isResubmitRequested: Bool { faultCode == PASIFault.Code.resubmit.rawValue }
}

extension Rejection {
    /// The version sent is not the one PASI holds: Rule 3004 "PASI Core Version Mismatch".
    /// Someone, or an earlier submit whose answer was lost, changed PASI's copy since it was read.
    public var isStaleVersion: Bool { code == PASIFault.Code.versionConflict.rawValue }

    /// PASI holds no such record, as this project reads 3001 today (see the head of this file:
    /// the Knowledge Base's 3001 is "Request Doesn't Match Schema"; issue 20 corrects it).
    public var isRecordNotFound: Bool { code == PASIFault.Code.recordNotFound.rawValue }
}
