/// Grades as the generator indexes them: 0 is kindergarten, 1–12 are grades one to
/// twelve. The SIS stores the index itself (PowerSchool's `grade_level`, 0 for
/// kindergarten); PASI stores a two-character grade code.
public enum SyntheticGrade {
    /// The PASI grade code of a grade index: `KG`, `01` … `12`.
    /// - Parameter index: 0–12.
    public static func pasiCode(_ index: Int) -> String { index == 0 ? "KG" : pad(index, 2) }
}

/// The three kinds of school the district has, by the grades they teach.
public enum SchoolBand: Int, Sendable, CaseIterable {
    /// Kindergarten to grade 6.
    case elementary
    /// Grades 7 to 9.
    case juniorHigh
    /// Grades 10 to 12; the only band with sections, course enrolments and marks.
    case highSchool

    /// The grade indices the band teaches.
    public var grades: ClosedRange<Int> {
        switch self {
        case .elementary: 0...6
        case .juniorHigh: 7...9
        case .highSchool: 10...12
        }
    }

    /// The band teaching a grade index.
    /// - Parameter grade: 0–12.
    static func of(grade: Int) -> SchoolBand { grade <= 6 ? .elementary : grade <= 9 ? .juniorHigh : .highSchool }

    /// The school level shown in the SIS and in school names (not the School Type switch).
    var typeName: String {
        switch self {
        case .elementary: "Elementary"
        case .juniorHigh: "Junior High"
        case .highSchool: "High School"
        }
    }
}
