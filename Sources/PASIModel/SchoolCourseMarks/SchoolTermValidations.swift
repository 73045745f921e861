/// A term of Years & Terms as the School Terms Validations (the seed's Alberta PASI Data
/// Validations, Step 4 of Getting Ready for School Course Marks) read it: the term's fields,
/// its school, and how many sections and course enrolments hang on it.
///
/// Texts are kept as the SIS holds them (no PASI string rule): a validation must report a bad
/// term, not refuse to read it.
public struct SchoolTermSetup: Sendable, Hashable {
    /// `sis.terms.id`, what a correction names.
    public var termID: Int
    /// The school's four-digit code.
    public var schoolCode: String
    /// The school year the term belongs to.
    public var schoolYear: SchoolYear
    /// Name of Term.
    public var name: String
    /// Abbreviation.
    public var abbreviation: String
    /// First Day of Term.
    public var firstDay: PASIDate
    /// Last Day of Term.
    public var lastDay: PASIDate
    /// Whether the term is the school year itself (PowerSchool's year term).
    public var isYear: Bool
    /// Alternate Term Code (required for sections); `nil` when blank.
    public var alternateTermCode: String?
    /// Final Mark Store Code (required for marks); `nil` when blank.
    public var finalMarkStoreCode: String?
    /// Exclude Events.
    public var excludesEvents: Bool
    /// Sections taught in the term.
    public var sections: Int
    /// Course enrolments in those sections.
    public var courseEnrolments: Int

    /// Creates a term setup; a blank (empty or spaces only) code is kept as `nil`.
    public init(
        termID: Int, schoolCode: String, schoolYear: SchoolYear, name: String, abbreviation: String,
        firstDay: PASIDate, lastDay: PASIDate, isYear: Bool = false, alternateTermCode: String? = nil,
        finalMarkStoreCode: String? = nil, excludesEvents: Bool = false, sections: Int = 0, courseEnrolments: Int = 0
    ) {
        func unlessBlank(_ text: String?) -> String? {
            guard let text, !text.allSatisfy(\.isWhitespace) else { return nil }
            return text
        }
        self.termID = termID
        self.schoolCode = schoolCode
        self.schoolYear = schoolYear
        self.name = name
        self.abbreviation = abbreviation
        self.firstDay = firstDay
        self.lastDay = lastDay
        self.isYear = isYear
        self.alternateTermCode = unlessBlank(alternateTermCode)
        self.finalMarkStoreCode = unlessBlank(finalMarkStoreCode)
        self.excludesEvents = excludesEvents
        self.sections = sections
        self.courseEnrolments = courseEnrolments
    }
}

/// A business rule of the School Terms Validations, with the name the viewer's Choose
/// Validations menu shows, the rule, and its Steps to Correct. `docs/school-course-marks.md`
/// lists them; `sync.school_term_rules` holds the same texts for psql (a test keeps the two equal).
public enum SchoolTermRule: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A term with sections has no Alternate Term Code.
    case alternateTermCodeMissing = "ALTERNATE_TERM_CODE_MISSING"
    /// A term with sections has no Final Mark Store Code.
    case finalMarkStoreCodeMissing = "FINAL_MARK_STORE_CODE_MISSING"
    /// Two terms of one school year at one school share an Alternate Term Code.
    case alternateTermCodeShared = "ALTERNATE_TERM_CODE_SHARED"
    /// A term's days are not within its school year's year term.
    case termOutsideSchoolYear = "TERM_OUTSIDE_SCHOOL_YEAR"

    /// The rule's stable code, e.g. `ALTERNATE_TERM_CODE_MISSING`.
    public var code: String { rawValue }

    /// The name in the Choose Validations menu.
    public var name: String {
        switch self {
        case .alternateTermCodeMissing: return "Term with sections has no Alternate Term Code"
        case .finalMarkStoreCodeMissing: return "Term with sections has no Final Mark Store Code"
        case .alternateTermCodeShared: return "Alternate Term Code used by two terms of a school year"
        case .termOutsideSchoolYear: return "Term outside its school year"
        }
    }

    /// The Business Rule as the viewer states it.
    public var businessRule: String {
        switch self {
        case .alternateTermCodeMissing:
            return "Every term that has sections must have an Alternate Term Code (required for sections): "
                + "PASI knows a section's term only by that code, so a section of a term without one cannot be uploaded or synchronized."
        case .finalMarkStoreCodeMissing:
            return "Every term that has sections must have a Final Mark Store Code (required for marks): "
                + "a section's evaluated marks are the stored grades under its term's Final Mark Store Code, so without one "
                + "no mark of the term's sections reaches PASI."
        case .alternateTermCodeShared:
            return "The terms of one school year at one school must each have their own Alternate Term Code: "
                + "PASI would take the sections of a course in the two terms for one another."
        case .termOutsideSchoolYear:
            return "A term must lie within its school year: its First Day and Last Day of Term within those of the "
                + "year term of the same school and school year."
        }
    }

    /// The Steps to Correct.
    public var stepsToCorrect: String {
        let editTerms = "From the School's Start page, under Setup, click School; under Scheduling, click Years & Terms; "
            + "select the school year and click Edit Terms; edit the term"
        let rerun = "Then run the validations again (pasisync validate school-terms --school CODE)."
        switch self {
        case .alternateTermCodeMissing:
            return "\(editTerms) and, under Alberta Information Required for PASI Direct Connect, select its Alternate Term Code; "
                + "click Submit. In psql: UPDATE sis.terms SET alternate_term_code = 'CODE' WHERE id = TERM_ID; \(rerun)"
        case .finalMarkStoreCodeMissing:
            return "\(editTerms) and, under Alberta Information Required for PASI Direct Connect, enter the store code its "
                + "final marks are stored under as the Final Mark Store Code; click Submit. "
                + "In psql: UPDATE sis.terms SET final_mark_store_code = 'CODE' WHERE id = TERM_ID; \(rerun)"
        case .alternateTermCodeShared:
            return "\(editTerms) and give it an Alternate Term Code no other term of that school year uses; click Submit. "
                + "In psql: UPDATE sis.terms SET alternate_term_code = 'CODE' WHERE id = TERM_ID; \(rerun)"
        case .termOutsideSchoolYear:
            return "\(editTerms) and correct its First Day of Term or Last Day of Term (or the year term's) so that the term "
                + "lies within the school year; click Submit. "
                + "In psql: UPDATE sis.terms SET first_day = 'YYYY-MM-DD', last_day = 'YYYY-MM-DD' WHERE id = TERM_ID; \(rerun)"
        }
    }

    /// The code.
    public var description: String { rawValue }
}

/// One term that breaks a rule: a row of the viewer's Results table.
public struct SchoolTermIncident: Sendable, Hashable {
    /// The rule broken.
    public var rule: SchoolTermRule
    /// The term.
    public var term: SchoolTermSetup
    /// What is wrong with it, e.g. `12 sections`.
    public var detail: String
}

/// A rule that failed, with every incident of it (the viewer with that rule chosen).
public struct SchoolTermFailure: Sendable, Hashable {
    /// The rule.
    public var rule: SchoolTermRule
    /// Its incidents, by school, school year, first day and abbreviation.
    public var incidents: [SchoolTermIncident]
}

/// The School Terms Validations: pure logic over the terms of a school (school level) or of
/// every school (district level).
public enum SchoolTermValidations {
    /// Checks every rule against `terms`.
    /// - Parameter terms: The terms to check; a rule that compares terms (shared codes, the year
    ///   term) compares those of the same school and school year among them, so pass every term of
    ///   each school and year checked.
    /// - Returns: The rules that failed, in ``SchoolTermRule`` order, each with its incidents;
    ///   empty when there are "No validations".
    public static func validate(_ terms: [SchoolTermSetup]) -> [SchoolTermFailure] {
        let ordered = terms.sorted(by: order)
        let groups = Dictionary(grouping: ordered) { Group(schoolCode: $0.schoolCode, schoolYear: $0.schoolYear) }
        return SchoolTermRule.allCases.compactMap { rule -> SchoolTermFailure? in
            let incidents = ordered.compactMap { term -> SchoolTermIncident? in
                detail(of: rule, for: term, among: groups[Group(schoolCode: term.schoolCode, schoolYear: term.schoolYear)] ?? [])
                    .map { SchoolTermIncident(rule: rule, term: term, detail: $0) }
            }
            return incidents.isEmpty ? nil : SchoolTermFailure(rule: rule, incidents: incidents)
        }
    }

    /// The terms of one school year at one school.
    private struct Group: Hashable {
        let schoolCode: String
        let schoolYear: SchoolYear
    }

    private static func order(_ a: SchoolTermSetup, _ b: SchoolTermSetup) -> Bool {
        (a.schoolCode, a.schoolYear.endYear, a.firstDay, a.abbreviation, a.termID)
            < (b.schoolCode, b.schoolYear.endYear, b.firstDay, b.abbreviation, b.termID)
    }

    /// What breaks `rule` in `term`, or `nil` when it keeps the rule.
    private static func detail(of rule: SchoolTermRule, for term: SchoolTermSetup, among group: [SchoolTermSetup]) -> String? {
        switch rule {
        case .alternateTermCodeMissing:
            guard term.sections > 0, term.alternateTermCode == nil else { return nil }
            return count(term.sections, "section")
        case .finalMarkStoreCodeMissing:
            guard term.sections > 0, term.finalMarkStoreCode == nil else { return nil }
            return "\(count(term.sections, "section")), \(count(term.courseEnrolments, "course enrolment"))"
        case .alternateTermCodeShared:
            guard let code = term.alternateTermCode else { return nil }
            let others = group.filter { $0.termID != term.termID && $0.alternateTermCode == code }
            guard !others.isEmpty else { return nil }
            return "Alternate Term Code \(code) is also that of \(others.map(\.abbreviation).joined(separator: ", "))"
        case .termOutsideSchoolYear:
            guard !term.isYear else { return nil }
            let years = group.filter(\.isYear)
            // Without a year term there is nothing to hold the term to; with several (a setup
            // error of its own), the term must fit in one of them.
            guard !years.isEmpty, !years.contains(where: { $0.firstDay <= term.firstDay && term.lastDay <= $0.lastDay }) else {
                return nil
            }
            let year = years[0]
            return "\(term.firstDay) to \(term.lastDay) is not within the year \(year.abbreviation) (\(year.firstDay) to \(year.lastDay))"
        }
    }

    private static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}
