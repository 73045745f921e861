/// The seed's Upload Type of an Initial Upload ("Select the School and the Upload Type").
public enum InitialUploadType: String, Sendable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    case sections = "sections"
    case courseEnrolments = "course-enrolments"
    case evaluatedMarks = "evaluated-marks"

    /// Reads the type as `pasisync run` and a psql INSERT give it: `sections`,
    /// `course-enrolments` (or the seed's spelling `course-enrollments`), `evaluated-marks`, in
    /// any letter case, with `_` or `-`.
    /// - Throws: ``PASIModelError`` naming the types for anything else.
    public init(typed text: String) throws(PASIModelError) {
        let word = String(text.lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
        switch word {
        case "sections": self = .sections
        case "course-enrolments", "course-enrollments": self = .courseEnrolments
        case "evaluated-marks": self = .evaluatedMarks
        default:
            throw PASIModelError(.invalidFormat, field: "type", expectation: "must be sections, course-enrolments or evaluated-marks",
                                 value: text)
        }
    }

    /// The seed's name of the type ("Course Enrollments").
    public var seedName: String {
        switch self {
        case .sections: "Sections"
        case .courseEnrolments: "Course Enrollments"
        case .evaluatedMarks: "Evaluated Marks"
        }
    }

    /// The PASI record type it submits.
    public var recordType: RecordType {
        switch self {
        case .sections: .section
        case .courseEnrolments: .courseEnrolment
        case .evaluatedMarks: .evaluatedMark
        }
    }

    public var description: String { rawValue }
}

/// What an Initial Upload checks before it sends anything, in the seed's words where it has them.
public enum InitialUploadCheck {
    /// Why the upload of `type` for a school is refused, or `nil` when it may run.
    /// - Parameters:
    ///   - schoolCode: The school.
    ///   - isHighSchool: Only high schools are listed on the Initial Upload page.
    ///   - status: Its Course Mark Integration Status (blank read as Inactive).
    ///   - failedRules: The PASI Data Validations (School Terms Validations) that fail for it.
    ///   - sectionsUploaded: Whether its Sections upload completed.
    public static func refusal(
        schoolCode: String, isHighSchool: Bool, status: CourseMarkIntegrationStatus, failedRules: [String],
        type: InitialUploadType, sectionsUploaded: Bool
    ) -> String? {
        guard isHighSchool else {
            return "Initial Upload refused: school \(schoolCode) is not a high school; the Initial Upload page lists the high schools available for upload"
        }
        guard status == .inactive else {
            return "Initial Upload refused: the Course Mark Integration Status of school \(schoolCode) is \(status); it must be set to inactive prior to the Initial Upload to PASI (pasisync schools set-integration-status \(schoolCode) Inactive)"
        }
        guard failedRules.isEmpty else {
            return "Initial Upload refused: the PASI Data Validations of school \(schoolCode) fail (\(failedRules.joined(separator: ", "))); validation errors need to be corrected prior to the Initial Upload (pasisync validate school-terms --school \(schoolCode))"
        }
        if type == .courseEnrolments, !sectionsUploaded {
            return "Initial Upload refused: all sections must be uploaded before course enrolments can be uploaded; run the Sections upload of school \(schoolCode) first (pasisync run initial-upload --school \(schoolCode) --type sections)"
        }
        return nil
    }
}

extension InitialUploadCheck {
    /// Why the school may not be set Active yet (SCM Step 6: "After you have run the Initial
    /// Upload"), or `nil`: its Initial Upload must have completed for the three Upload Types.
    /// Evaluated Marks "can be loaded independently" of the order of the other two, but are part
    /// of the upload all the same: once Active only changes are sent, so a mark never uploaded
    /// would never reach PASI. The trigger of `sync.before_school_set_active` refuses the psql UPDATE the same way.
    /// - Parameter completed: The Upload Types whose upload completed for the school.
    public static func activeRefusal(schoolCode: String, completed: Set<InitialUploadType>) -> String? {
        let missing = InitialUploadType.allCases.filter { !completed.contains($0) }
        guard !missing.isEmpty else { return nil }
        let commands = missing.map { "pasisync run initial-upload --school \(schoolCode) --type \($0.rawValue) --wait" }
        return "refused: school \(schoolCode) cannot be set Active: its Initial Upload has not completed for "
            + missing.map(\.seedName).joined(separator: ", ") + "; run it first (" + commands.joined(separator: "; ")
            + "), then set the school Active"
    }
}

/// A SIS section as the Initial Upload reads it.
public struct UploadSection: Sendable, Hashable {
    public var id: Int
    public var schoolCode: String
    /// The SIS's school year (the year it starts).
    public var sisStartYear: Int
    public var courseNumber: String
    public var creditsOffered: Int?
    /// Its term's Alternate Term Code.
    public var alternateTermCode: String?
    /// Its term's First Day (YYYY-MM-DD).
    public var firstDay: String

    public init(id: Int, schoolCode: String, sisStartYear: Int, courseNumber: String, creditsOffered: Int?,
                alternateTermCode: String?, firstDay: String) {
        self.id = id
        self.schoolCode = schoolCode
        self.sisStartYear = sisStartYear
        self.courseNumber = courseNumber
        self.creditsOffered = creditsOffered
        self.alternateTermCode = alternateTermCode
        self.firstDay = firstDay
    }
}

/// A SIS course enrolment (CC) as the Initial Upload reads it.
public struct UploadCourseEnrolment: Sendable, Hashable {
    public var id: Int
    public var sectionID: Int
    public var schoolCode: String
    public var sisStartYear: Int
    public var courseNumber: String
    /// The student's ASN; `nil` while the student has none.
    public var asn: String?
    public var dateEnrolled: String
    public var dateLeft: String?
    /// `Active`, `Completed`, `Withdrawn` or `Dropped`.
    public var status: String
    public var creditsAttempted: Int?

    public init(id: Int, sectionID: Int, schoolCode: String, sisStartYear: Int, courseNumber: String, asn: String?,
                dateEnrolled: String, dateLeft: String?, status: String, creditsAttempted: Int?) {
        self.id = id
        self.sectionID = sectionID
        self.schoolCode = schoolCode
        self.sisStartYear = sisStartYear
        self.courseNumber = courseNumber
        self.asn = asn
        self.dateEnrolled = dateEnrolled
        self.dateLeft = dateLeft
        self.status = status
        self.creditsAttempted = creditsAttempted
    }
}

/// A SIS stored grade as the Initial Upload reads it.
public struct UploadStoredGrade: Sendable, Hashable {
    public var id: Int
    public var schoolCode: String
    public var sisStartYear: Int
    public var courseNumber: String
    public var asn: String?
    /// The percent; `nil` for a grade stored without one.
    public var mark: Int?
    public var earnedCredits: Int?
    /// The last day of the section's term (YYYY-MM-DD), `nil` for a grade without a section.
    public var termLastDay: String?

    public init(id: Int, schoolCode: String, sisStartYear: Int, courseNumber: String, asn: String?, mark: Int?,
                earnedCredits: Int?, termLastDay: String?) {
        self.id = id
        self.schoolCode = schoolCode
        self.sisStartYear = sisStartYear
        self.courseNumber = courseNumber
        self.asn = asn
        self.mark = mark
        self.earnedCredits = earnedCredits
        self.termLastDay = termLastDay
    }
}

/// The PASI records an Initial Upload submits, built from the SIS rows (pure).
public enum InitialUploadRecords {
    /// The evaluation method of a mark stored in the SIS: the school's own final mark for the course.
    public static let evaluationMethod = "Course"

    /// A section: its term is known to PASI by the term's Alternate Term Code.
    /// - Throws: ``PASIModelError`` for a term without an Alternate Term Code, or a value PASI refuses.
    public static func section(_ row: UploadSection, refId: RefId) throws(PASIModelError) -> Section {
        guard let term = row.alternateTermCode, !term.allSatisfy(\.isWhitespace) else {
            throw PASIModelError(.invalidFormat, field: "section \(row.id): its term's Alternate Term Code",
                                 expectation: "must be set (required for sections)", value: row.alternateTermCode ?? "")
        }
        return try Section(
            refId: refId, schoolCode: OrganizationNumber(row.schoolCode, field: "Section.schoolCode"),
            schoolYear: SchoolYear(sisStartYear: row.sisStartYear), courseCode: row.courseNumber,
            creditsOffered: row.creditsOffered, termCode: term, startDate: PASIDate(row.firstDay))
    }

    /// A course enrolment in the section PASI knows by `sectionRefId`.
    /// - Throws: ``PASIModelError`` for a student without an ASN, or a value PASI refuses.
    public static func courseEnrolment(_ row: UploadCourseEnrolment, refId: RefId, sectionRefId: RefId) throws(PASIModelError) -> CourseEnrolment {
        return try CourseEnrolment(
            refId: refId, asn: asn(row.asn, what: "course enrolment \(row.id)"), sectionRefId: sectionRefId,
            schoolCode: OrganizationNumber(row.schoolCode, field: "CourseEnrolment.schoolCode"),
            schoolYear: SchoolYear(sisStartYear: row.sisStartYear), courseCode: row.courseNumber,
            creditsAttempted: row.creditsAttempted, entryDate: PASIDate(row.dateEnrolled),
            exitDate: row.dateLeft.map { text throws(PASIModelError) in try PASIDate(text) }, status: row.status)
    }

    /// An evaluated mark: the stored grade's percent and earned credits, evaluated on the last day
    /// of its section's term (or, without a section, on the school year's last day, June 30).
    /// - Throws: ``PASIModelError`` for a grade without a percent, a student without an ASN, or a
    ///   value PASI refuses.
    public static func evaluatedMark(_ row: UploadStoredGrade, refId: RefId) throws(PASIModelError) -> EvaluatedMark {
        guard let mark = row.mark else {
            throw PASIModelError(.invalidFormat, field: "stored grade \(row.id): its percent", expectation: "must be set for an evaluated mark", value: "")
        }
        let year = try SchoolYear(sisStartYear: row.sisStartYear)
        let day: PASIDate
        if let last = row.termLastDay { day = try PASIDate(last) } else { day = try PASIDate(year: year.endYear, month: 6, day: 30) }
        return try EvaluatedMark(
            refId: refId, asn: asn(row.asn, what: "stored grade \(row.id)"),
            schoolCode: OrganizationNumber(row.schoolCode, field: "EvaluatedMark.schoolCode"), schoolYear: year,
            courseCode: row.courseNumber, credits: row.earnedCredits, markValue: mark, isMarkValueApproved: true,
            evaluationMethod: evaluationMethod, evaluationDate: day)
    }

    private static func asn(_ text: String?, what: String) throws(PASIModelError) -> ASN {
        guard let text else {
            throw PASIModelError(.invalidFormat, field: "\(what): the student's ASN",
                                 expectation: "must be set (match the student in PASI with Initial Synchronization first)", value: "")
        }
        return try ASN(text, checkDigit: .ignored)
    }
}
