/// Every table the generator produces, in a stable order, so a loader (or a digest)
/// can walk them all without naming each sequence.
public enum DistrictTable: String, Sendable, CaseIterable {
    /// ``SISSchoolRow``.
    case sisSchools
    /// ``SISCourseRow``.
    case sisCourses
    /// ``SISTermRow``.
    case sisTerms
    /// ``SISSectionRow``.
    case sisSections
    /// ``SISStudentRow``.
    case sisStudents
    /// ``SISEnrolmentRow``.
    case sisEnrolments
    /// ``SISCourseEnrolmentRow``.
    case sisCourseEnrolments
    /// ``SISStoredGradeRow``.
    case sisStoredGrades
    /// ``PASISchoolRow``.
    case pasiSchools
    /// ``PASIStudentRow``.
    case pasiStudents
    /// ``PASIEnrolmentRow``.
    case pasiEnrolments

    /// Whether the table belongs to the provincial data set.
    public var isProvincial: Bool { rawValue.hasPrefix("pasi") }

    /// The table's column names.
    public var header: [String] {
        switch self {
        case .sisSchools: SISSchoolRow.header
        case .sisCourses: SISCourseRow.header
        case .sisTerms: SISTermRow.header
        case .sisSections: SISSectionRow.header
        case .sisStudents: SISStudentRow.header
        case .sisEnrolments: SISEnrolmentRow.header
        case .sisCourseEnrolments: SISCourseEnrolmentRow.header
        case .sisStoredGrades: SISStoredGradeRow.header
        case .pasiSchools: PASISchoolRow.header
        case .pasiStudents: PASIStudentRow.header
        case .pasiEnrolments: PASIEnrolmentRow.header
        }
    }
}

extension DistrictGenerator {
    /// Streams a table's rows as tab-separated lines (COPY text format, no line break),
    /// in order, without collecting them.
    /// - Parameters:
    ///   - table: Which table.
    ///   - body: Called once per row.
    public func forEachLine(of table: DistrictTable, _ body: (String) throws -> Void) rethrows {
        switch table {
        case .sisSchools: for row in schools() { try body(row.line) }
        case .sisCourses: for row in courses() { try body(row.line) }
        case .sisTerms: for row in terms() { try body(row.line) }
        case .sisSections: for row in sections() { try body(row.line) }
        case .sisStudents: for row in students() { try body(row.line) }
        case .sisEnrolments: for row in enrolments() { try body(row.line) }
        case .sisCourseEnrolments: for row in courseEnrolments() { try body(row.line) }
        case .sisStoredGrades: for row in storedGrades() { try body(row.line) }
        case .pasiSchools: for row in pasiSchools() { try body(row.line) }
        case .pasiStudents: for row in pasiStudents() { try body(row.line) }
        case .pasiEnrolments: for row in pasiEnrolments() { try body(row.line) }
        }
    }
}
