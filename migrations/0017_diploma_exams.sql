-- Diploma exams (issue 11 items 4 and 5): the seed's "Synchronizing Diploma Exam Courses" and
-- "Diploma Exam and Official Marks Updates". docs/diploma-exams.md says what each column holds.
-- People read them with
--   SELECT * FROM pasi.diploma_exam_marks WHERE asn = '…';               -- what the DER download brought
--   SELECT * FROM sync.diploma_section_facts WHERE NOT is_diploma_in_sis; -- what validate diploma-sections reads
--   SELECT * FROM sync.exam_marks_updates ORDER BY id DESC;              -- each Exam Marks Updates run

-- A sitting is an exam's date at a writing centre (PASI's DiplomaExamSitting), not a student's:
-- the student is on the mark. The year is the change feed's (DiplomaExamSitting.2026).
ALTER TABLE pasi.diploma_exam_sittings ALTER COLUMN asn DROP NOT NULL;
ALTER TABLE pasi.diploma_exam_sittings
    ADD COLUMN school_year integer,
    ADD COLUMN sitting_date date,
    ADD CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100);
CREATE INDEX diploma_exam_sittings_year ON pasi.diploma_exam_sittings (school_year);
CREATE INDEX diploma_exams_year ON pasi.diploma_exams (school_year);
CREATE INDEX diploma_exam_marks_year ON pasi.diploma_exam_marks (school_year);

-- The official (blended) mark and the credits PASI awards come with the exam mark.
ALTER TABLE pasi.diploma_exam_marks
    ADD COLUMN official_mark integer,
    ADD COLUMN credits_awarded integer,
    ADD CONSTRAINT official_mark_is_a_percent CHECK (official_mark BETWEEN 0 AND 100),
    ADD CONSTRAINT credits_awarded_are_not_negative CHECK (credits_awarded >= 0);
CREATE INDEX diploma_exam_marks_version ON pasi.diploma_exam_marks (pasi_core_version);

-- What the Diploma Exam and Official Marks Updates write into a stored grade beside the
-- school-awarded mark (mark), which they leave alone: is_diploma_mark (Transcript or Diploma
-- Mark PS_UPDATED) is set when they wrote it.
ALTER TABLE sis.stored_grades
    ADD COLUMN diploma_exam_mark integer,
    ADD COLUMN official_mark integer,
    ADD CONSTRAINT diploma_exam_mark_is_a_percent CHECK (diploma_exam_mark BETWEEN 0 AND 100),
    ADD CONSTRAINT official_mark_is_a_percent CHECK (official_mark BETWEEN 0 AND 100);

-- Each completed run of the Diploma Exam and Official Marks Updates: the highest PASI version of
-- pasi.diploma_exam_marks it looked at (the next run reads only marks above it) and its counts.
CREATE TABLE sync.exam_marks_updates (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job_id           bigint,
    school_year      integer NOT NULL,              -- PASI's (the year the school year ends)
    after_version    bigint NOT NULL,               -- the marks read were above this version
    high_water       bigint NOT NULL,               -- ... and at most this one
    marks_read       integer NOT NULL,
    grades_updated   integer NOT NULL,
    credits_updated  integer NOT NULL,
    completed_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT high_water_not_below_start CHECK (high_water >= after_version)
);
