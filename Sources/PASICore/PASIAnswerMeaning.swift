public import PASIContract

// What PASI's codes mean, said once, here in the client: the jobs ask what happened
// (`isStaleVersion`, `isRecordNotFound`, `isResubmitRequested`, `category`) and never compare
// numbers, so a corrected reading of a code changes only this mapping and `PASIFault.Handling`.
//
// The Knowledge Base is the specification:
// https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html
// - 9014 PASI Core Out of Date (rule_9014.html): resubmit later.
// - 3004 PASI Core Version Mismatch (rule_3004.html): the record changed since it was read.
// - "PASI holds no such record" is read from the documented not-found rules only
//   (`PASIRule.notFoundRules`): 9002 Invalid ASN (rule_9002.html), 9006 Invalid Reference ID
//   (rule_9006.html: "doesn't exist within PASI"), 9033 Course Enrolment Not Found, 9034
//   Evaluated Mark Not Found, 9035 Section Not Found. 3001 is Request Doesn't Match Schema
//   (rule_3001.html), a defect of our request, and never means "gone".

extension PASICoreError {
    /// PASI asked for the call to be made again later: Rule 9014 "PASI Core Out of Date" ("Data
    /// Unavailable ... Resubmit your request", rule_9014.html), as a fault or as a submit's
    /// rejection. A retry needs no attempt spent on it.
    public var isResubmitRequested: Bool {
        faultCode == PASIFault.Code.coreOutOfDate.rawValue || rejections.contains { $0.code == PASIFault.Code.coreOutOfDate.rawValue }
    }

    /// PASI's rule numbers and messages, for a person: "Rule 9035 Section Not Found: Invalid
    /// Reference ID. …; Rule 10103: …". A fault without rejections shows its own code.
    public var ruleText: String {
        if rejections.isEmpty { return message }
        return rejections.map(\.ruleText).joined(separator: "; ")
    }
}

extension Rejection {
    /// The version sent is not the one PASI holds: Rule 3004 "PASI Core Version Mismatch".
    /// Someone, or an earlier submit whose answer was lost, changed PASI's copy since it was read.
    public var isStaleVersion: Bool { code == PASIFault.Code.versionMismatch.rawValue }

    /// PASI holds no such record: one of the documented not-found rules (9002, 9006, 9033, 9034,
    /// 9035; see the head of this file).
    public var isRecordNotFound: Bool { PASIRule(rawValue: code).map(PASIRule.notFoundRules.contains) ?? false }

    /// "Rule 9035 Section Not Found: Invalid Reference ID. …": the rule's number (and its name
    /// when this project knows it) and PASI's message, as a Rejection alert shows them.
    public var ruleText: String {
        let name = PASIRule(rawValue: code)?.name ?? PASIFault.Code(rawValue: code)?.name
        return "Rule \(code)\(name.map { " \($0)" } ?? ""): \(message)"
    }
}
