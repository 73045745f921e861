/// How sure a match between a SIS record and a PASI record is: the grade a student
/// lookup gives each candidate, kept with the match (`sync.student_matches.quality`).
public enum MatchQuality: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every compared field agrees.
    case high = "High"
    /// Most compared fields agree.
    case medium = "Medium"
    /// Few compared fields agree; a person should confirm.
    case low = "Low"
}

extension MatchQuality: Comparable {
    private var rank: Int {
        switch self {
        case .high: 0
        case .medium: 1
        case .low: 2
        }
    }

    /// Best first: High < Medium < Low, so sorting puts the surest candidates first.
    public static func < (lhs: MatchQuality, rhs: MatchQuality) -> Bool { lhs.rank < rhs.rank }
}
