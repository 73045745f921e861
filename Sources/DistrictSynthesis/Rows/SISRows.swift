// The SIS side, shaped after PowerSchool's tables; column names follow PowerSchool
// (and the seed's extract headers) where it has one.

/// A school of the SIS district.
public struct SISSchoolRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "school_number", "name", "school_level", "school_type", "low_grade", "high_grade", "high_school",
        "course_mark_integration_status", "authority_code",
    ]
    /// Four-digit school code.
    public var schoolNumber: String
    /// The name.
    public var name: String
    /// `Elementary`, `Junior High` or `High School`.
    public var schoolLevel: String
    /// The School Type of the Edit School page, the switch of school-by-school initial
    /// synchronization: `Active`, `Inactive` or blank (empty, not NULL), which means Inactive.
    public var schoolType: String
    /// Lowest grade index taught (0 = kindergarten).
    public var lowGrade: Int
    /// Highest grade index taught.
    public var highGrade: Int
    /// Whether the school teaches grades 10–12 (and so has course mark data).
    public var isHighSchool: Bool
    /// `Active`, `Inactive` or blank (empty, not NULL), as the seed allows.
    public var courseMarkIntegrationStatus: String
    /// Four-digit authority number.
    public var authorityCode: String

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [schoolNumber, name, schoolLevel, schoolType, String(lowGrade), String(highGrade), Tabular.field(isHighSchool),
         courseMarkIntegrationStatus, authorityCode]
    }
}

/// A course of the district catalogue.
public struct SISCourseRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = ["course_number", "course_name", "credit_hours", "diploma_course", "grade_level"]
    /// The course number.
    public var courseNumber: String
    /// The course name.
    public var courseName: String
    /// `nil` for kindergarten to grade 9 courses.
    public var creditHours: Int?
    /// Whether the course ends in a diploma exam.
    public var isDiplomaCourse: Bool
    /// The grade index of the students who take it.
    public var gradeLevel: Int

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [courseNumber, courseName, Tabular.field(creditHours.map(String.init)), Tabular.field(isDiplomaCourse), String(gradeLevel)]
    }
}

/// A term of a school year at a school: the full year (`YR`) and, at high schools, two
/// semesters (`S1`, `S2`).
public struct SISTermRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "id", "schoolid", "school_year", "name", "abbreviation", "firstday", "lastday",
        "alternate_term_code", "final_mark_store_code",
    ]
    /// The row's id, unique in its table.
    public var id: Int
    /// Four-digit school code.
    public var schoolID: String
    /// The SIS's start year (2025 for 2025/2026).
    public var schoolYear: Int
    /// The name.
    public var name: String
    /// The abbreviation.
    public var abbreviation: String
    /// The first day.
    public var firstDay: String
    /// The last day.
    public var lastDay: String
    /// The alternate term code.
    public var alternateTermCode: String
    /// The final mark store code.
    public var finalMarkStoreCode: String

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [String(id), schoolID, String(schoolYear), name, abbreviation, firstDay, lastDay, alternateTermCode, finalMarkStoreCode]
    }
}

/// A section of a high school course in one term.
public struct SISSectionRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "id", "schoolid", "course_number", "section_number", "termid", "school_year",
        "exam_registration_date", "exam_writing_centre",
    ]
    /// The row's id, unique in its table.
    public var id: Int
    /// The school's four-digit code (PowerSchool's SchoolID).
    public var schoolID: String
    /// The course number.
    public var courseNumber: String
    /// The section number.
    public var sectionNumber: String
    /// The term's `id`.
    public var termID: Int
    /// The SIS's start year.
    public var schoolYear: Int
    /// Diploma courses only.
    public var examRegistrationDate: String?
    /// Diploma courses only: the school code of the writing centre.
    public var examWritingCentre: String?

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [String(id), schoolID, courseNumber, sectionNumber, String(termID), String(schoolYear),
         Tabular.field(examRegistrationDate), Tabular.field(examWritingCentre)]
    }
}

/// A student with the core demographic fields the initial synchronization compares.
public struct SISStudentRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "id", "student_number", "state_studentnumber", "last_name", "first_name", "middle_name",
        "pscore_legal_last_name", "pscore_legal_first_name", "pscore_legal_middle_name", "gender", "pscore_legal_gender",
        "dob", "schoolid", "grade_level", "enroll_status", "mailing_street", "mailing_city", "mailing_state",
        "mailing_zip", "home_phone",
    ]
    /// The row's id, unique in its table.
    public var id: Int
    /// The student number.
    public var studentNumber: Int
    /// The ASN, nine digits.
    public var stateStudentNumber: String
    /// The last name.
    public var lastName: String
    /// The first name.
    public var firstName: String
    /// The middle name; `nil` (NULL) when the student has none.
    public var middleName: String?
    /// The legal last name.
    public var legalLastName: String
    /// The legal first name.
    public var legalFirstName: String
    /// The legal middle name; `nil` (NULL) when the student has none.
    public var legalMiddleName: String?
    /// PowerSchool's code: `M`, `F` or `X` (unspecified).
    public var gender: String
    /// The legal gender.
    public var legalGender: String
    /// `YYYY-MM-DD`.
    public var dob: String
    /// The current school's code.
    public var schoolID: String
    /// Current grade index (0 = kindergarten).
    public var gradeLevel: Int
    /// 0: active.
    public var enrollStatus: Int
    /// The mailing street.
    public var mailingStreet: String
    /// The mailing city.
    public var mailingCity: String
    /// The mailing state.
    public var mailingState: String
    /// The mailing zip.
    public var mailingZip: String
    /// `NNN-NNN-NNNN`.
    public var homePhone: String

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [String(id), String(studentNumber), stateStudentNumber, lastName, firstName, Tabular.field(middleName),
         legalLastName, legalFirstName, Tabular.field(legalMiddleName), gender, legalGender, dob, schoolID,
         String(gradeLevel), String(enrollStatus), mailingStreet, mailingCity, mailingState, mailingZip, homePhone]
    }
}

/// A school enrolment, current or past (PowerSchool splits them between `students` and
/// `reenrollments`; one table here).
public struct SISEnrolmentRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "id", "studentid", "schoolid", "school_year", "grade_level", "entrydate", "exitdate", "entrycode",
        "exitcode", "enroll_status", "registration_type",
    ]
    /// PowerSchool's EnrollmentID.
    public var id: Int
    /// The student's `id`.
    public var studentID: Int
    /// The school's four-digit code (PowerSchool's SchoolID).
    public var schoolID: String
    /// The SIS's start year.
    public var schoolYear: Int
    /// The grade index (0 = kindergarten).
    public var gradeLevel: Int
    /// The entry date.
    public var entryDate: String
    /// `nil` while enrolled.
    public var exitDate: String?
    /// Always `800` since 2019.
    public var entryCode: String
    /// Not sent to PASI since 2019; kept empty.
    public var exitCode: String?
    /// 0 active (current year), 2 inactive (past years).
    public var enrollStatus: Int
    /// S_AB_STU_X.RegistrationType.
    public var registrationType: String

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [String(id), String(studentID), schoolID, String(schoolYear), String(gradeLevel), entryDate,
         Tabular.field(exitDate), entryCode, Tabular.field(exitCode), String(enrollStatus), registrationType]
    }
}

/// A student's enrolment in a section (PowerSchool's `cc`).
public struct SISCourseEnrolmentRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "id", "studentid", "sectionid", "schoolid", "course_number", "termid", "school_year", "dateenrolled", "dateleft",
    ]
    /// The row's id, unique in its table.
    public var id: Int
    /// The student's `id`.
    public var studentID: Int
    /// The section's `id`.
    public var sectionID: Int
    /// The school's four-digit code (PowerSchool's SchoolID).
    public var schoolID: String
    /// The course number.
    public var courseNumber: String
    /// The term's `id`.
    public var termID: Int
    /// The SIS's start year.
    public var schoolYear: Int
    /// The date enrolled.
    public var dateEnrolled: String
    /// The date left.
    public var dateLeft: String

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [String(id), String(studentID), String(sectionID), schoolID, courseNumber, String(termID),
         String(schoolYear), dateEnrolled, dateLeft]
    }
}

/// A final mark (PowerSchool's `storedgrades`); past years only.
public struct SISStoredGradeRow: TabularRow, Hashable {
    /// The column names, in the order of ``columns``.
    public static let header = [
        "id", "studentid", "sectionid", "schoolid", "course_number", "school_year", "storecode", "percent",
        "grade", "earnedcrhrs", "potentialcrhrs",
    ]
    /// The row's id, unique in its table.
    public var id: Int
    /// The student's `id`.
    public var studentID: Int
    /// The section's `id`.
    public var sectionID: Int
    /// The school's four-digit code (PowerSchool's SchoolID).
    public var schoolID: String
    /// The course number.
    public var courseNumber: String
    /// The SIS's start year.
    public var schoolYear: Int
    /// The term's final mark store code.
    public var storeCode: String
    /// The percent.
    public var percent: Int
    /// Letter grade.
    public var grade: String
    /// Credits earned: the course's credits at 50 % or more, else 0.
    public var earnedCredits: Int
    /// The potential credits.
    public var potentialCredits: Int

    /// The fields as COPY text, in ``header`` order.
    public var columns: [String] {
        [String(id), String(studentID), String(sectionID), schoolID, courseNumber, String(schoolYear), storeCode,
         String(percent), grade, String(earnedCredits), String(potentialCredits)]
    }
}
