import PASIModel

/// Where one SQL column's COPY field comes from.
enum FieldSource: Sendable {
    /// A generator column, copied as it is.
    case column(String)
    /// A generator column, rewritten by `transform` (a COPY text field in, one out).
    case transformed(String, @Sendable (Substring) -> String)
    /// The same COPY text field on every row (`\N` for NULL).
    case constant(String)
}

/// One target table of a load: a generator table streamed into `schema.table`, column by column.
struct TableLoad: Sendable {
    /// `sis` or `pasi`.
    let schema: String
    /// The table, unqualified.
    let table: String
    /// The generator table whose lines feed it.
    let source: DistrictTable
    /// `(SQL column, where its field comes from)`, in COPY order.
    let columns: [(sql: String, from: FieldSource)]

    var qualifiedName: String { "\(schema).\(table)" }
}

/// The one place where the generator's PowerSchool-style headers meet the columns of
/// `migrations/0003_sis.sql` and `0004_pasi_store.sql`: what `pasisync seed` (and the tests that
/// load a district) hand to the repository's `DistrictLoader`, which knows nothing of the generator.
///
/// Generator columns with no SQL home are left out (a student's current `schoolid`,
/// `grade_level` and `enroll_status` live on `sis.enrolments`; a course's grade level,
/// a school's authority code and band name, a stored grade's potential credits).
/// The adaptations:
/// - grade indices (0 = kindergarten) become the two-character codes the SQL requires
///   (`KG`, `01` … `12`), the same codes PASI uses;
/// - a blank Course Mark Integration Status or School Type becomes NULL (the SQL's "blank");
/// - a term's `is_year` and `portion` and an enrolment's `is_current` are derived from the
///   term abbreviation and the enrolment status;
/// - a PASI student row is split into `pasi.students` and its legal name, mailing address and
///   phone child rows; the address and phone RefIds, which the generator does not draw, are
///   built from the ASN (`a0000000-0000-4000-8000-000<ASN>`, `b0000000-…`), so they are
///   unique and the same on every load (the scheme `PASIStore` uses for position 0); the
///   phone is a `Home` phone.
enum DistrictColumnMap {
    static let loads: [TableLoad] = [
        TableLoad(schema: "sis", table: "schools", source: .sisSchools, columns: [
            ("id", .column("school_number")),  // integer input reads the leading zeros away
            ("school_code", .column("school_number")),
            ("name", .column("name")),
            ("school_type", .transformed("school_type", blankIsNull)),
            ("course_mark_integration_status", .transformed("course_mark_integration_status", blankIsNull)),
            ("is_high_school", .column("high_school")),
            ("low_grade", .transformed("low_grade", gradeCode)),
            ("high_grade", .transformed("high_grade", gradeCode)),
        ]),
        TableLoad(schema: "sis", table: "courses", source: .sisCourses, columns: [
            ("course_number", .column("course_number")),
            ("course_name", .column("course_name")),
            ("credit_hours", .column("credit_hours")),
            ("is_diploma_course", .column("diploma_course")),
        ]),
        TableLoad(schema: "sis", table: "terms", source: .sisTerms, columns: [
            ("id", .column("id")),
            ("school_id", .column("schoolid")),
            ("school_year", .column("school_year")),
            ("name", .column("name")),
            ("abbreviation", .column("abbreviation")),
            ("first_day", .column("firstday")),
            ("last_day", .column("lastday")),
            ("is_year", .transformed("abbreviation") { $0 == "YR" ? "t" : "f" }),
            ("portion", .transformed("abbreviation") { $0 == "YR" ? "1" : "2" }),
            ("alternate_term_code", .column("alternate_term_code")),
            ("final_mark_store_code", .column("final_mark_store_code")),
        ]),
        TableLoad(schema: "sis", table: "sections", source: .sisSections, columns: [
            ("id", .column("id")),
            ("school_id", .column("schoolid")),
            ("course_number", .column("course_number")),
            ("term_id", .column("termid")),
            ("section_number", .column("section_number")),
            ("exam_registration_date", .column("exam_registration_date")),
            ("exam_writing_centre", .column("exam_writing_centre")),
        ]),
        TableLoad(schema: "sis", table: "students", source: .sisStudents, columns: [
            ("id", .column("id")),
            ("student_number", .column("student_number")),
            ("asn", .column("state_studentnumber")),
            ("last_name", .column("last_name")),
            ("first_name", .column("first_name")),
            ("middle_name", .column("middle_name")),
            ("legal_last_name", .column("pscore_legal_last_name")),
            ("legal_first_name", .column("pscore_legal_first_name")),
            ("legal_middle_name", .column("pscore_legal_middle_name")),
            ("gender", .column("gender")),
            ("legal_gender", .column("pscore_legal_gender")),
            ("dob", .column("dob")),
            ("mailing_street", .column("mailing_street")),
            ("mailing_city", .column("mailing_city")),
            ("mailing_state", .column("mailing_state")),
            ("mailing_zip", .column("mailing_zip")),
            ("home_phone", .column("home_phone")),
        ]),
        TableLoad(schema: "sis", table: "enrolments", source: .sisEnrolments, columns: [
            ("id", .column("id")),
            ("student_id", .column("studentid")),
            ("school_id", .column("schoolid")),
            ("school_year", .column("school_year")),
            ("grade_level", .transformed("grade_level", gradeCode)),
            ("entry_date", .column("entrydate")),
            ("exit_date", .column("exitdate")),
            ("entry_code", .column("entrycode")),
            ("exit_code", .column("exitcode")),
            ("enroll_status", .column("enroll_status")),
            ("is_current", .transformed("enroll_status") { $0 == "0" ? "t" : "f" }),
            ("registration_type", .column("registration_type")),
        ]),
        TableLoad(schema: "sis", table: "course_enrolments", source: .sisCourseEnrolments, columns: [
            ("id", .column("id")),
            ("section_id", .column("sectionid")),
            ("school_id", .column("schoolid")),
            ("student_id", .column("studentid")),
            ("date_enrolled", .column("dateenrolled")),
            ("date_left", .column("dateleft")),
        ]),
        TableLoad(schema: "sis", table: "stored_grades", source: .sisStoredGrades, columns: [
            ("id", .column("id")),
            ("student_id", .column("studentid")),
            ("school_id", .column("schoolid")),
            ("course_number", .column("course_number")),
            ("section_id", .column("sectionid")),
            ("store_code", .column("storecode")),
            ("school_year", .column("school_year")),
            ("mark", .column("percent")),
            ("grade", .column("grade")),
            ("earned_credits", .column("earnedcrhrs")),
        ]),
        TableLoad(schema: "pasi", table: "schools", source: .pasiSchools, columns: [
            ("ref_id", .column("school_code")),
            ("pasi_core_version", .column("pasi_core_version")),
            ("name", .column("name")),
            ("authority_code", .column("authority_code")),
        ]),
        TableLoad(schema: "pasi", table: "students", source: .pasiStudents, columns: [
            ("ref_id", .column("asn")),
            ("pasi_core_version", .column("pasi_core_version")),
            ("gender", .column("gender")),
            ("birth_date", .column("birth_date")),
        ]),
        TableLoad(schema: "pasi", table: "student_names", source: .pasiStudents, columns: [
            ("ref_id", .column("legal_name_ref_id")),
            ("pasi_core_version", .column("pasi_core_version")),
            ("asn", .column("asn")),
            ("name_type", .constant("Legal")),
            ("last_name", .column("legal_last_name")),
            ("first_name", .column("legal_first_name")),
            ("middle_name", .column("legal_middle_name")),
            ("is_preferred", .constant("t")),
        ]),
        TableLoad(schema: "pasi", table: "student_addresses", source: .pasiStudents, columns: [
            ("ref_id", .transformed("asn") { "a0000000-0000-4000-8000-000" + $0 }),
            ("pasi_id", .transformed("asn") { String(PASIStudentRow.itemId($0, 1)) }),
            ("address_format", .constant(Address.defaultFormat)),
            ("pasi_core_version", .column("pasi_core_version")),
            ("asn", .column("asn")),
            ("address_type", .constant("Mailing")),
            ("street", .column("mailing_street")),
            ("city", .column("mailing_city")),
            ("province", .column("mailing_province")),
            ("country", .column("mailing_country")),
            ("postal_code", .column("mailing_postal_code")),
            ("is_preferred", .constant("t")),
        ]),
        TableLoad(schema: "pasi", table: "student_phones", source: .pasiStudents, columns: [
            ("ref_id", .transformed("asn") { "b0000000-0000-4000-8000-000" + $0 }),
            ("pasi_id", .transformed("asn") { String(PASIStudentRow.itemId($0, 2)) }),
            ("pasi_core_version", .column("pasi_core_version")),
            ("asn", .column("asn")),
            ("phone_number", .column("phone_number")),
            ("phone_type", .constant("Home")),
            ("is_preferred", .constant("t")),
        ]),
        TableLoad(schema: "pasi", table: "school_enrolments", source: .pasiEnrolments, columns: [
            ("ref_id", .column("ref_id")),
            ("pasi_core_version", .column("pasi_core_version")),
            ("asn", .column("asn")),
            ("school_code", .column("school_code")),
            ("school_year", .column("school_year")),
            ("grade", .column("grade")),
            ("entry_date", .column("entry_date")),
            ("exit_date", .column("exit_date")),
            ("registration_type", .column("registration_type")),
            ("is_deleted", .column("is_deleted")),
        ]),
    ]

    /// The grade code of a generator grade index: `KG`, `01` … `12`.
    @Sendable static func gradeCode(_ field: Substring) -> String {
        guard let index = Int(field) else { return String(field) }
        return SyntheticGrade.pasiCode(index)
    }

    /// An empty field (blank) as NULL.
    @Sendable static func blankIsNull(_ field: Substring) -> String { field.isEmpty ? Tabular.null : String(field) }
}
