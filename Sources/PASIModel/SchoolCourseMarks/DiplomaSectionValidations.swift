/// A course the Diploma Exam Course Section validations read (the seed's "Synchronizing Diploma
/// Exam Courses", Step 3), with one of its sections or none: its Diploma Course field in the SIS,
/// whether PASI says it is a diploma course, and the section's Alberta Information. Texts are kept
/// as the SIS holds them: a validation must report a bad section, not refuse to read it.
public struct DiplomaSectionFact: Sendable, Hashable {
    /// A section of the course.
    public struct Section: Sendable, Hashable {
        /// `sis.sections.id`, what a correction names.
        public var sectionID: Int
        public var schoolCode: String
        public var schoolYear: SchoolYear
        /// The term's abbreviation.
        public var term: String
        public var sectionNumber: String
        /// Exam Registration Date.
        public var examRegistrationDate: PASIDate?
        /// Exam Writing Center; `nil` when blank.
        public var examWritingCentre: String?

        public init(sectionID: Int, schoolCode: String, schoolYear: SchoolYear, term: String, sectionNumber: String,
                    examRegistrationDate: PASIDate? = nil, examWritingCentre: String? = nil) {
            self.sectionID = sectionID
            self.schoolCode = schoolCode
            self.schoolYear = schoolYear
            self.term = term
            self.sectionNumber = sectionNumber
            self.examRegistrationDate = examRegistrationDate
            self.examWritingCentre = examWritingCentre.flatMap { $0.allSatisfy(\.isWhitespace) ? nil : $0 }
        }

        /// Whether the section carries either diploma exam field (it is taught as a diploma course's).
        public var hasExamFields: Bool { examRegistrationDate != nil || examWritingCentre != nil }
    }

    /// The course number (PASI's course code).
    public var courseNumber: String
    public var courseName: String
    /// Alberta Report Information › Diploma Course = Yes.
    public var isDiplomaInSIS: Bool
    /// PASI's course says it is a diploma course (the local copy's).
    public var isDiplomaInPASI: Bool
    /// The section, or `nil` for a course without sections.
    public var section: Section?

    public init(courseNumber: String, courseName: String, isDiplomaInSIS: Bool, isDiplomaInPASI: Bool, section: Section? = nil) {
        self.courseNumber = courseNumber
        self.courseName = courseName
        self.isDiplomaInSIS = isDiplomaInSIS
        self.isDiplomaInPASI = isDiplomaInPASI
        self.section = section
    }

    /// Whether the course is a diploma course by any account: PASI's, the SIS's, or its section's.
    public var isDiplomaCourse: Bool { isDiplomaInSIS || isDiplomaInPASI || section?.hasExamFields == true }
}

/// A rule of the Diploma Exam Course Section validations: the seed's Step 3 ("Confirm Diploma
/// Exam Course Section Data is Correct"), its wording the Steps to Correct. `docs/diploma-exams.md`
/// lists them.
public enum DiplomaSectionRule: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A diploma course (PASI's, or taught as one) does not say Diploma Course = Yes.
    case diplomaCourseNotYes = "DIPLOMA_COURSE_NOT_YES"
    /// A diploma course's section has no Exam Registration Date.
    case examRegistrationDateMissing = "EXAM_REGISTRATION_DATE_MISSING"
    /// A diploma course's section has no Exam Writing Center.
    case examWritingCentreMissing = "EXAM_WRITING_CENTER_MISSING"

    public var code: String { rawValue }

    /// The name in the Choose Validations menu.
    public var name: String {
        switch self {
        case .diplomaCourseNotYes: return "Diploma exam course does not say Diploma Course = Yes"
        case .examRegistrationDateMissing: return "Diploma exam course section has no Exam Registration Date"
        case .examWritingCentreMissing: return "Diploma exam course section has no Exam Writing Center"
        }
    }

    /// The Business Rule.
    public var businessRule: String {
        switch self {
        case .diplomaCourseNotYes:
            return "A course that PASI says is a diploma course, or whose sections carry an Exam Registration Date or an Exam "
                + "Writing Center, must say Diploma Course = Yes under Alberta Report Information: only then are its diploma "
                + "exams, sittings and marks synchronized and its exam marks updated."
        case .examRegistrationDateMissing:
            return "Every section of a diploma exam course must carry an Exam Registration Date under Alberta Information."
        case .examWritingCentreMissing:
            return "Every section of a diploma exam course must carry an Exam Writing Center under Alberta Information."
        }
    }

    /// The Steps to Correct, in the seed's words, then the same in psql.
    public var stepsToCorrect: String {
        let rerun = "Then run the validations again (pasisync validate diploma-sections)."
        let section = "Navigate to the Course's section and, under Alberta Information, ensure there is a value in the Exam "
            + "Registration Date and Exam Writing Center fields."
        switch self {
        case .diplomaCourseNotYes:
            return "Navigate to a diploma exam course and, under Alberta Report Information, confirm that the Diploma Course "
                + "field is set to Yes. In psql: UPDATE sis.courses SET is_diploma_course = true WHERE course_number = 'CODE'; \(rerun)"
        case .examRegistrationDateMissing:
            return "\(section) In psql: UPDATE sis.sections SET exam_registration_date = 'YYYY-MM-DD' WHERE id = SECTION_ID; \(rerun)"
        case .examWritingCentreMissing:
            return "\(section) In psql: UPDATE sis.sections SET exam_writing_centre = 'CENTRE' WHERE id = SECTION_ID; \(rerun)"
        }
    }

    public var description: String { rawValue }
}

/// One course or section that breaks a rule: a row of the Results table.
public struct DiplomaSectionIncident: Sendable, Hashable {
    public var rule: DiplomaSectionRule
    public var courseNumber: String
    public var courseName: String
    /// The section, for the section rules.
    public var section: DiplomaSectionFact.Section?
    /// What is wrong, e.g. `PASI: diploma course; SIS: Diploma Course = No`.
    public var detail: String
}

/// A rule that failed, with every incident of it.
public struct DiplomaSectionFailure: Sendable, Hashable {
    public var rule: DiplomaSectionRule
    public var incidents: [DiplomaSectionIncident]
}

/// The Diploma Exam Course Section validations: pure, over the facts the store reads.
public enum DiplomaSectionValidations {
    /// Every failed rule, in rule order, with its incidents in the facts' order; empty when clean.
    public static func validate(_ facts: [DiplomaSectionFact]) -> [DiplomaSectionFailure] {
        var incidents: [DiplomaSectionRule: [DiplomaSectionIncident]] = [:]
        // Course level: one incident per course, whatever its number of sections.
        var seen: Set<String> = []
        let byCourse = Dictionary(grouping: facts, by: \.courseNumber)
        for fact in facts where !seen.contains(fact.courseNumber) {
            seen.insert(fact.courseNumber)
            let rows = byCourse[fact.courseNumber] ?? []
            guard !fact.isDiplomaInSIS else { continue }
            let taught = rows.filter { $0.section?.hasExamFields == true }.count
            guard fact.isDiplomaInPASI || taught > 0 else { continue }
            let why = fact.isDiplomaInPASI ? "PASI: diploma course" : "\(taught) section\(taught == 1 ? "" : "s") with diploma exam fields"
            incidents[.diplomaCourseNotYes, default: []].append(.init(
                rule: .diplomaCourseNotYes, courseNumber: fact.courseNumber, courseName: fact.courseName, section: nil,
                detail: "\(why); SIS: Diploma Course = No"))
        }
        // Section level: every section of a diploma course by any account.
        for fact in facts {
            guard let section = fact.section,
                  byCourse[fact.courseNumber]?.contains(where: \.isDiplomaCourse) == true else { continue }
            if section.examRegistrationDate == nil {
                incidents[.examRegistrationDateMissing, default: []].append(.init(
                    rule: .examRegistrationDateMissing, courseNumber: fact.courseNumber, courseName: fact.courseName,
                    section: section, detail: "Exam Registration Date is blank"))
            }
            if section.examWritingCentre == nil {
                incidents[.examWritingCentreMissing, default: []].append(.init(
                    rule: .examWritingCentreMissing, courseNumber: fact.courseNumber, courseName: fact.courseName,
                    section: section, detail: "Exam Writing Center is blank"))
            }
        }
        return DiplomaSectionRule.allCases.compactMap { rule in
            incidents[rule].map { DiplomaSectionFailure(rule: rule, incidents: $0) }
        }
    }
}
