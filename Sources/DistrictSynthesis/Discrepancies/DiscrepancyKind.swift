public import PASIModel

/// A difference between the SIS district and the provincial data set that the
/// generator plants on purpose, so the initial synchronization has known conflicts to
/// find. Each planted student carries at most one kind, so the kinds never mask each
/// other.
public enum DiscrepancyKind: String, Sendable, Hashable, CaseIterable, Comparable {
    /// The SIS holds the student under an ASN PASI does not have (PASI holds the same
    /// student, with the same enrolments, under the correct ASN).
    case unmatchedASN
    /// The legal last name differs.
    case legalName
    /// The gender differs.
    case gender
    /// The birth date differs.
    case birthDate
    /// The mailing street address differs.
    case mailingAddress
    /// The home phone number differs.
    case phone
    /// One school enrolment's exit date differs.
    case enrolmentExitDate
    /// The SIS holds the current-year enrolment; PASI does not.
    case enrolmentMissingInPASI
    /// PASI holds an extra current-year enrolment at another school; the SIS does not.
    case enrolmentMissingInSIS

    /// The conflict type the initial synchronization should raise for it.
    public var conflictType: ConflictType {
        switch self {
        case .unmatchedASN: .unmatchedASN
        case .legalName: .legalNameAndIdentification
        case .gender: .gender
        case .birthDate: .birthDate
        case .mailingAddress: .mailingAddress
        case .phone: .phoneNumber
        case .enrolmentExitDate: .enrolmentExitDate
        case .enrolmentMissingInPASI: .schoolEnrolment
        case .enrolmentMissingInSIS: .missingEnrolment
        }
    }

    /// Whether the discrepancy is about a school enrolment rather than the student.
    public var isEnrolmentKind: Bool {
        switch self {
        case .enrolmentExitDate, .enrolmentMissingInPASI, .enrolmentMissingInSIS: true
        default: false
        }
    }

    /// Declaration order.
    public static func < (lhs: DiscrepancyKind, rhs: DiscrepancyKind) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
