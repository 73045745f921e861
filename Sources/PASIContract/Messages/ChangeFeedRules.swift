import PASIModel

/// The rules PASI applies to an `IsDataAvailable` request before answering it, shared by the
/// simulator (which answers with them) and tests. Each is "returned as a Rule 3001 - Request
/// Doesn't Match Schema exception": the fault's code is 3001 and its text names the rule, its
/// message and the types that broke it.
/// - https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3005.html
/// - https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3006.html
/// - https://extranet.education.alberta.ca/pasidevnet/Docs/Business/rule_3008.html
/// - rule 3007 (Invalid Wait Time In Minutes) is listed in
///   https://extranet.education.alberta.ca/pasidevnet/Docs/Business/validation_rules_between_1_and_9999.html;
///   its page is not in the copies, so the range is this project's (``waitRange``).
public enum ChangeFeedRules {
    /// The wait times accepted, in minutes: 0 (answer at once, what a client catching up asks)
    /// to 30, the most the PASI Data Available Wait Time setting allows (the seed: 1 to 30).
    public static let waitRange: ClosedRange<Double> = 0...30

    /// The first rule `request` breaks, in the order 3005, 3006, 3008, 3007, with the types
    /// (as written) that broke it; `nil` when PASI answers it.
    public static func broken(by request: IsDataAvailableRequest) -> (rule: PASIFault.Code, types: [String])? {
        let written = request.notification.map(\.written)
        let invalid = written.filter { parse($0) == nil }
        if !invalid.isEmpty { return (.notificationTypeInvalid, invalid) }
        let parsed = written.compactMap { text in parse(text).map { (text, $0) } }
        let unexpected = parsed.filter { $0.1.year != nil && $0.1.name.yearFilter == .forbidden }.map(\.1.name.rawValue)
        if !unexpected.isEmpty { return (.unexpectedSchoolYearFilter, unexpected) }
        let missing = parsed.filter { $0.1.year == nil && $0.1.name.yearFilter == .required }.map(\.0)
        if !missing.isEmpty { return (.missingSchoolYearFilter, missing) }
        let wait = request.waitTimeInMinutes
        if !wait.isFinite || !waitRange.contains(wait) { return (.invalidWaitTime, [formatted(wait)]) }
        return nil
    }

    /// The fault PASI answers `request` with, if it breaks a rule.
    public static func fault(for request: IsDataAvailableRequest) -> PASIFault? {
        broken(by: request).map { fault($0.rule, $0.types) }
    }

    /// Rule `rule`'s message about `types`, as fault 3001 carries it.
    public static func fault(_ rule: PASIFault.Code, _ types: [String]) -> PASIFault {
        let list = types.joined(separator: ", ")
        let message = switch rule {
        case .notificationTypeInvalid:
            "Invalid Type and/or School Year. The Type must be a valid Type and if a School Year is provided it must be between 1905 and 2100. (\(list))"
        case .unexpectedSchoolYearFilter:
            "Unexpected School Year. The School Year must not be provided with the following Types: (\(list))"
        case .missingSchoolYearFilter:
            "Missing School Year. The School Year must be provided with the following Types: (\(list))"
        default:
            "Invalid Wait Time In Minutes. The Wait Time In Minutes must be from \(formatted(waitRange.lowerBound)) to \(formatted(waitRange.upperBound)). (\(list))"
        }
        // 3001's documented message (rule_3001.html) with the rule as its additional details.
        return PASIFault(code: schemaFault, message: "Invalid Request. The following errors were found in the request: Rule \(rule.rawValue) - \(message)")
    }

    /// Rule 3001, Request Doesn't Match Schema: the code the four rules are answered with.
    public static let schemaFault = 3001

    /// The rule a fault 3001 names in its text (`Rule 3005 - …`), if it names one of the four.
    public static func rule(of fault: PASIFault) -> PASIFault.Code? {
        guard fault.code == schemaFault, let range = fault.message.firstRange(of: "Rule ") else { return nil }
        let digits = fault.message[range.upperBound...].prefix { $0.isNumber }
        return Int(digits).flatMap(PASIFault.Code.init(rawValue:))
    }

    /// `{synctype}` or `{synctype}.{schoolyear}`: a name PASI knows (case-sensitive) and, if
    /// given, a year 1905–2100 (rule 3005); whether the name takes the year is 3006/3008's.
    private static func parse(_ text: String) -> (name: NotificationName, year: SchoolYear?)? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let name = NotificationName(rawValue: String(parts[0])) else { return nil }
        guard parts.count == 2 else { return (name, nil) }
        guard parts[1].allSatisfy(\.isASCII), let end = Int(parts[1]), let year = try? SchoolYear(endYear: end) else { return nil }
        return (name, year)
    }

    private static func formatted(_ minutes: Double) -> String {
        minutes == minutes.rounded() && minutes.isFinite ? String(Int(minutes)) : String(minutes)
    }
}
