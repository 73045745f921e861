-- The local PASI data store: the latest copy of every record PASI Core sent, one table per entity
-- (the plugin's AB_* tables). Nothing but the download and change-feed processes writes here;
-- the SIS is compared against these rows, never against PASI directly.
--
-- Every entity table has
--   ref_id             its key as PASI gives it: a uuid for the GUID-keyed entities, text where
--                      PASI keys by a code (student: ASN; school, authority: 4-digit code; course: code)
--   pasi_core_version  the PASICoreVersion of the copy held (a child row - name, address, phone -
--                      carries its student's version), for rule 3004 and the hash check
--   fetched_at         when the copy was stored
-- School years here are PASI's: the year the school year ends (2019 for 2018/2019).
-- Deep or rarely read detail is kept as jsonb (`detail`) rather than spelled out as columns: the
-- flat columns are those the matching, conflict and hash processes compare.

CREATE SCHEMA pasi;

CREATE TABLE pasi.students (
    ref_id                 char(9) PRIMARY KEY,       -- the ASN
    pasi_core_version      bigint NOT NULL,
    primary_asn            char(9),                   -- set on a secondary ASN: the one to use
    is_deactivated         boolean NOT NULL DEFAULT false,
    gender                 text,
    birth_date             date,
    citizenship_status     text,
    section23_eligibility  text,
    is_deceased            boolean NOT NULL DEFAULT false,
    deceased_date          date,
    maturity               text,
    -- {type, last4, issueDate}
    identification_document jsonb,
    -- [{code, details, effectiveDate, expiryDate}]
    disclosure_restrictions jsonb NOT NULL DEFAULT '[]',
    detail                 jsonb NOT NULL DEFAULT '{}',
    fetched_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (ref_id ~ '^[0-9]{9}$' AND primary_asn ~ '^[0-9]{9}$'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0),
    CONSTRAINT gender_is_pasi_gender CHECK (gender IN ('Male', 'Female', 'Unspecified', 'Unknown')),
    CONSTRAINT disclosure_restrictions_is_array CHECK (jsonb_typeof(disclosure_restrictions) = 'array')
);
CREATE INDEX students_primary_asn ON pasi.students (primary_asn) WHERE primary_asn IS NOT NULL;

CREATE TABLE pasi.student_names (
    ref_id             uuid PRIMARY KEY,
    pasi_core_version  bigint NOT NULL,
    asn                char(9) NOT NULL REFERENCES pasi.students (ref_id) ON DELETE CASCADE,
    name_type          text NOT NULL,
    last_name          varchar(50),
    first_name         varchar(50),
    middle_name        varchar(50),
    suffix             varchar(15),
    is_name_exact      boolean NOT NULL DEFAULT false,
    is_preferred       boolean NOT NULL DEFAULT false,
    effective_at       timestamptz,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT name_type_is_legal_or_alias CHECK (name_type IN ('Legal', 'Alias')),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX student_names_asn ON pasi.student_names (asn);
CREATE UNIQUE INDEX student_names_one_preferred ON pasi.student_names (asn) WHERE is_preferred;

CREATE TABLE pasi.student_addresses (
    ref_id             uuid PRIMARY KEY,
    pasi_core_version  bigint NOT NULL,
    asn                char(9) NOT NULL REFERENCES pasi.students (ref_id) ON DELETE CASCADE,
    address_type       text NOT NULL,
    street             text,
    city               text,
    province           text,
    country            text,
    postal_code        text,
    effective_date     date,
    expiry_date        date,
    is_preferred       boolean NOT NULL DEFAULT false,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT address_type_is_mailing_or_permanent CHECK (address_type IN ('Mailing', 'Permanent')),
    CONSTRAINT expiry_not_before_effective CHECK (expiry_date >= effective_date),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX student_addresses_asn ON pasi.student_addresses (asn);

CREATE TABLE pasi.student_phones (
    ref_id             uuid PRIMARY KEY,
    pasi_core_version  bigint NOT NULL,
    asn                char(9) NOT NULL REFERENCES pasi.students (ref_id) ON DELETE CASCADE,
    phone_number       text NOT NULL,
    extension          text,
    phone_type         text,
    is_listable        boolean NOT NULL DEFAULT true,
    is_preferred       boolean NOT NULL DEFAULT false,
    effective_date     date,
    expiry_date        date,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT expiry_not_before_effective CHECK (expiry_date >= effective_date),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX student_phones_asn ON pasi.student_phones (asn);

CREATE TABLE pasi.school_authorities (
    ref_id             char(4) PRIMARY KEY,       -- the authority code NNNN
    pasi_core_version  bigint NOT NULL,
    name               text NOT NULL,
    detail             jsonb NOT NULL DEFAULT '{}',
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT authority_code_is_four_digits CHECK (ref_id ~ '^[0-9]{4}$'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);

CREATE TABLE pasi.schools (
    ref_id             char(4) PRIMARY KEY,       -- the school code NNNN
    pasi_core_version  bigint NOT NULL,
    name               text NOT NULL,
    authority_code     char(4),                   -- not a foreign key: the feeds arrive in any order
    detail             jsonb NOT NULL DEFAULT '{}',
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT school_code_is_four_digits CHECK (ref_id ~ '^[0-9]{4}$' AND authority_code ~ '^[0-9]{4}$'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);

-- Enrolment, course and mark tables hold the ASN without a foreign key to pasi.students: each
-- notification type is fetched on its own, so an enrolment can arrive before its student.
CREATE TABLE pasi.school_enrolments (
    ref_id               uuid PRIMARY KEY,          -- chosen by the client at create
    pasi_core_version    bigint NOT NULL,
    asn                  char(9) NOT NULL,
    school_code          char(4) NOT NULL,
    school_year          integer NOT NULL,
    grade                text NOT NULL,
    entry_date           date NOT NULL,
    exit_date            date,
    registration_type    text,
    registration_status  text,
    -- {localStudentID, residentBoard, francophoneBoard, fnmiDeclaration, frenchHoursOfInstruction,
    --  enrolmentTypeCodes[], exceptionCodes[], grantsProgramCodes[]}
    extended_info        jsonb,
    fetched_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT school_code_is_four_digits CHECK (school_code ~ '^[0-9]{4}$'),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT grade_is_two_characters CHECK (grade ~ '^[A-Z0-9]{2}$'),
    CONSTRAINT exit_date_not_before_entry_date CHECK (exit_date >= entry_date),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX school_enrolments_asn ON pasi.school_enrolments (asn);
CREATE INDEX school_enrolments_school_year ON pasi.school_enrolments (school_code, school_year);

CREATE TABLE pasi.courses (
    ref_id             text PRIMARY KEY,          -- the course code
    pasi_core_version  bigint NOT NULL,
    name               text NOT NULL,
    credits            integer,
    is_diploma_course  boolean NOT NULL DEFAULT false,
    detail             jsonb NOT NULL DEFAULT '{}',
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT credits_are_not_negative CHECK (credits >= 0),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);

CREATE TABLE pasi.sections (
    ref_id                         uuid PRIMARY KEY,
    pasi_core_version              bigint NOT NULL,
    school_code                    char(4) NOT NULL,
    school_year                    integer NOT NULL,
    course_code                    text NOT NULL,
    credits_offered                integer,
    term_code                      text NOT NULL,
    primary_delivery_method        text,
    language_of_instruction        text,
    delivery_schedule              text,
    instructional_minutes_offered  integer,
    start_date                     date,
    fetched_at                     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT school_code_is_four_digits CHECK (school_code ~ '^[0-9]{4}$'),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT credits_are_not_negative CHECK (credits_offered >= 0),
    CONSTRAINT minutes_are_not_negative CHECK (instructional_minutes_offered >= 0),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX sections_school_year ON pasi.sections (school_code, school_year);

CREATE TABLE pasi.course_enrolments (
    ref_id                uuid PRIMARY KEY,
    pasi_core_version     bigint NOT NULL,
    asn                   char(9) NOT NULL,
    section_ref_id        uuid NOT NULL,
    school_code           char(4) NOT NULL,
    school_year           integer NOT NULL,
    course_code           text NOT NULL,
    credits_attempted     integer,
    entry_date            date NOT NULL,
    exit_date             date,
    status                text NOT NULL,
    mark_value            integer,
    is_mark_approved      boolean NOT NULL DEFAULT false,
    is_funding_requested  boolean NOT NULL DEFAULT false,
    fetched_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT school_code_is_four_digits CHECK (school_code ~ '^[0-9]{4}$'),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT exit_date_not_before_entry_date CHECK (exit_date >= entry_date),
    CONSTRAINT credits_are_not_negative CHECK (credits_attempted >= 0),
    CONSTRAINT mark_is_a_percent CHECK (mark_value BETWEEN 0 AND 100),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX course_enrolments_asn ON pasi.course_enrolments (asn);
CREATE INDEX course_enrolments_section ON pasi.course_enrolments (section_ref_id);

CREATE TABLE pasi.evaluated_marks (
    ref_id                  uuid PRIMARY KEY,
    pasi_core_version       bigint NOT NULL,
    asn                     char(9) NOT NULL,
    school_code             char(4) NOT NULL,
    school_year             integer NOT NULL,
    course_code             text NOT NULL,
    credits                 integer,
    mark_value              integer NOT NULL,
    is_mark_value_approved  boolean NOT NULL DEFAULT false,
    evaluation_method       text NOT NULL,
    evaluation_date         date NOT NULL,
    is_funding_requested    boolean NOT NULL DEFAULT false,
    fetched_at              timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT school_code_is_four_digits CHECK (school_code ~ '^[0-9]{4}$'),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT credits_are_not_negative CHECK (credits >= 0),
    CONSTRAINT mark_is_a_percent CHECK (mark_value BETWEEN 0 AND 100),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX evaluated_marks_asn ON pasi.evaluated_marks (asn);

-- A diploma exam offered in an exam period; PASI's key is kept as text.
CREATE TABLE pasi.diploma_exams (
    ref_id             text PRIMARY KEY,
    pasi_core_version  bigint NOT NULL,
    course_code        text NOT NULL,
    school_year        integer NOT NULL,
    exam_period        text,
    exam_date          date,
    -- sessions, languages, forms
    detail             jsonb NOT NULL DEFAULT '{}',
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);

CREATE TABLE pasi.diploma_exam_sittings (
    ref_id                uuid PRIMARY KEY,
    pasi_core_version     bigint NOT NULL,
    asn                   char(9) NOT NULL,
    diploma_exam_ref_id   text NOT NULL,
    writing_centre        text,
    registration_date     date,
    status                text,
    -- accommodations, language, form
    detail                jsonb NOT NULL DEFAULT '{}',
    fetched_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX diploma_exam_sittings_asn ON pasi.diploma_exam_sittings (asn);

CREATE TABLE pasi.diploma_exam_marks (
    ref_id             uuid PRIMARY KEY,
    pasi_core_version  bigint NOT NULL,
    asn                char(9) NOT NULL,
    course_code        text NOT NULL,
    school_year        integer NOT NULL,
    sitting_ref_id     uuid,
    exam_mark          integer,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT mark_is_a_percent CHECK (exam_mark BETWEEN 0 AND 100),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX diploma_exam_marks_asn ON pasi.diploma_exam_marks (asn);

CREATE TABLE pasi.student_record_documents (
    ref_id             uuid PRIMARY KEY,
    pasi_core_version  bigint NOT NULL,
    asn                char(9) NOT NULL,
    document_type      text NOT NULL,
    title              text NOT NULL,
    school_code        char(4),
    document_date      date,
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT school_code_is_four_digits CHECK (school_code ~ '^[0-9]{4}$'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX student_record_documents_asn ON pasi.student_record_documents (asn);

CREATE TABLE pasi.classroom_accommodations (
    ref_id              uuid PRIMARY KEY,
    pasi_core_version   bigint NOT NULL,
    asn                 char(9) NOT NULL,
    school_year         integer NOT NULL,
    accommodation_code  text NOT NULL,
    comment             text,
    fetched_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
CREATE INDEX classroom_accommodations_asn ON pasi.classroom_accommodations (asn);

-- GetCodeValues: not in the change feed; fetched daily with the last known version.
CREATE TABLE pasi.code_values (
    code_type          text NOT NULL,
    code               text NOT NULL,
    pasi_core_version  bigint NOT NULL,
    description        text,
    effective_date     date,
    expiry_date        date,
    detail             jsonb NOT NULL DEFAULT '{}',
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (code_type, code),
    CONSTRAINT expiry_not_before_effective CHECK (expiry_date >= effective_date),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);

-- The accepted registration years PASI reports (PASI's end years): one current, the
-- historical ones before it and the future one(s) after.
CREATE TABLE pasi.school_years (
    school_year  integer PRIMARY KEY,
    status       text NOT NULL,
    fetched_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT status_is_current_historical_or_future CHECK (status IN ('Current', 'Historical', 'Future'))
);
CREATE UNIQUE INDEX school_years_one_current ON pasi.school_years (status) WHERE status = 'Current';
