/// The three kinds of PASIprep export the Reconciliation Process compares, as the seed names them
/// in its pop-up menu: Course Marks (CM), Evaluated Marks (EM) and Sections (SE).
public enum ExportType: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Course Marks: the course enrolments of a school (Manage / List Course Enrolments).
    case courseMarks = "CM"
    /// Evaluated Marks.
    case evaluatedMarks = "EM"
    /// Sections.
    case sections = "SE"

    /// The two letters of the menu and of the file name (`YYYY-NNNN-XX-BeforeDelete.csv`).
    public var code: String { rawValue }

    /// The menu's name, e.g. `Course Marks (CM)`.
    public var title: String {
        switch self {
        case .courseMarks: "Course Marks (CM)"
        case .evaluatedMarks: "Evaluated Marks (EM)"
        case .sections: "Sections (SE)"
        }
    }

    public var description: String { title }

    /// The columns the seed requires for the type ("Required Columns for the Reconciliation
    /// Process"), spelled and ordered as the seed lists them.
    public var requiredColumns: [String] {
        switch self {
        case .sections:
            ["Courses Offered", "Credit Offered", "School Year", "Section Term", "Primary Delivery Method",
             "Language of Instruction", "Delivery Schedule", "Instructional Mins Offered", "Start Date"]
        case .evaluatedMarks:
            ["ASN", "Code", "Credits", "School Year", "Mark Value", "Mark Value Approved?", "Evaluation Method",
             "Mark Evaluation Date", "Funding Requested?"]
        case .courseMarks:
            ["ASN", "Code", "Credits Attempted", "Section Description", "Term", "Exit Date", "Value", "Assignment Date",
             "Approved?", "Status", "Funding Requested?", "Entry Date"]
        }
    }

    /// The columns whose values together name one record, so that a record of the Before Delete
    /// file pairs with the same record of the After Upload file (docs/reconciliation.md says why).
    public var keyColumns: [String] {
        switch self {
        case .courseMarks: ["ASN", "Code", "Term"]
        case .evaluatedMarks: ["ASN", "Code", "School Year", "Evaluation Method"]
        case .sections: ["Courses Offered", "School Year", "Section Term"]
        }
    }

    /// The required columns that are not part of the key: those a pair is compared on.
    public var comparedColumns: [String] {
        let key = Set(keyColumns)
        return requiredColumns.filter { !key.contains($0) }
    }

    /// The columns that hold dates, which a spreadsheet program rewrites when it saves the file.
    public var dateColumns: [String] {
        switch self {
        case .courseMarks: ["Exit Date", "Assignment Date", "Entry Date"]
        case .evaluatedMarks: ["Mark Evaluation Date"]
        case .sections: ["Start Date"]
        }
    }

    /// The column holding the student's ASN, when the type has one.
    public var asnColumn: String? { self == .sections ? nil : "ASN" }

    /// The type of a two-letter code (`CM`, `EM`, `SE`), in any case.
    public init?(code: String) {
        self.init(rawValue: code.uppercased())
    }
}

/// Which of the two exports a file is.
public enum ExportRole: String, Sendable, Hashable, CustomStringConvertible {
    /// Exported before the course enrolments were deleted from PASIprep.
    case beforeDelete = "BeforeDelete"
    /// Exported after the Initial Upload.
    case afterUpload = "AfterUpload"

    public var description: String { rawValue }
}

/// The value of the `Match Status` column, exactly as the seed spells it.
public enum MatchStatus: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Only in the After Upload file.
    case addedNewToPASI = "Added New to PASI"
    /// In both files, with a different value in at least one compared column.
    case matchedWithDataDifferences = "Matched with Data Differences"
    /// In both files with the same value in every compared column.
    case perfectlyMatched = "Perfectly Matched"
    /// Only in the Before Delete file.
    case missingFromPASI = "Missing from PASI"

    public var description: String { rawValue }

    /// The title of the column that holds the status.
    public static let columnTitle = "Match Status"
    /// The title of the column, beyond the seed, that names the columns that differ with both values.
    public static let differencesColumnTitle = "Differences"
}
