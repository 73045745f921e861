internal import PASIModel

/// What a planted discrepancy is attached to: a student (by ASN) or one of the
/// student's school enrolments (ASN, school code, PASI school year).
///
/// A student has at most one enrolment per school year and school, so the triple names
/// an enrolment on both sides without either side's ids.
public struct DiscrepancyKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The nine ASN digits as the SIS holds them (for an unmatched ASN, the one PASI lacks).
    public let asn: String
    /// The enrolment's four-digit school code; `nil` for a student discrepancy.
    public let schoolCode: String?
    /// The enrolment's school year as PASI writes it (end year); `nil` for a student discrepancy.
    public let schoolYear: Int?

    /// A student key.
    public init(asn: String) {
        self.asn = asn
        schoolCode = nil
        schoolYear = nil
    }

    /// An enrolment key.
    public init(asn: String, schoolCode: String, schoolYear: Int) {
        self.asn = asn
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
    }

    /// `ASN` or `ASN/school/year`.
    public var description: String {
        guard let schoolCode, let schoolYear else { return asn }
        return "\(asn)/\(schoolCode)/\(schoolYear)"
    }

    /// By ASN, then school, then year.
    public static func < (lhs: DiscrepancyKey, rhs: DiscrepancyKey) -> Bool {
        (lhs.asn, lhs.schoolCode ?? "", lhs.schoolYear ?? 0) < (rhs.asn, rhs.schoolCode ?? "", rhs.schoolYear ?? 0)
    }
}

/// The generator's own account of what it planted: for every kind, the exact keys.
public struct DiscrepancyReport: Sendable, Hashable {
    /// The affected keys per kind, sorted; every kind is present, possibly empty.
    public let keys: [DiscrepancyKind: [DiscrepancyKey]]

    /// Creates a report.
    public init(keys: [DiscrepancyKind: [DiscrepancyKey]]) {
        var all: [DiscrepancyKind: [DiscrepancyKey]] = [:]
        for kind in DiscrepancyKind.allCases { all[kind] = (keys[kind] ?? []).sorted() }
        self.keys = all
    }

    /// How many of each kind were planted.
    public var counts: [DiscrepancyKind: Int] { keys.mapValues(\.count) }

    /// All planted discrepancies.
    public var total: Int { keys.values.reduce(0) { $0 + $1.count } }

    /// One line per kind, `kind<TAB>conflict type<TAB>count`, for a command to print.
    public var summaryLines: [String] {
        DiscrepancyKind.allCases.map { "\($0.rawValue)\t\($0.conflictType.rawValue)\t\(keys[$0]?.count ?? 0)" }
    }
}
