-- Initial Upload (issue 11 item 3): the seed's "Getting Ready for Synchronization for School
-- Course Marks", Step 5. People read it with
--   SELECT * FROM sync.initial_upload_records WHERE school_code = '1042';   -- what was sent, with PASI's version
--   SELECT * FROM sync.initial_uploads ORDER BY completed_at DESC;          -- each finished upload and its counts

-- The RefId this client chose for each SIS section, course enrolment and stored grade it
-- uploads. Chosen once and kept, so a resubmitted record (a retried attempt, a second run) is
-- the same record to PASI, as sync.enrolment_matches does for school enrolments; the course
-- enrolments find their section's RefId here. pasi_version is PASI's version once PASI accepted
-- the record (NULL while it was not sent or was rejected): a retried attempt skips those.
CREATE TABLE sync.initial_upload_records (
    record_type   text NOT NULL,               -- 'Section', 'CourseEnrolment', 'EvaluatedMark' (PASI's record type)
    sis_id        integer NOT NULL,            -- sis.sections.id, sis.course_enrolments.id, sis.stored_grades.id
    school_code   char(4) NOT NULL,
    ref_id        uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    pasi_version  bigint,
    rejection     text,                        -- PASI's (or this client's) reason for the last refusal
    job_id        bigint,                      -- the upload (its initial_upload job) that last sent it
    last_run      bigint,                      -- the upload that last looked at it (sent it or found it accepted)
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (record_type, sis_id),
    CONSTRAINT record_type_is_uploaded CHECK (record_type IN ('Section', 'CourseEnrolment', 'EvaluatedMark'))
);
CREATE INDEX initial_upload_records_school ON sync.initial_upload_records (school_code, record_type);

-- Each Initial Upload that completed: the seed's order (Sections before Course Enrollments) is
-- checked here, not in queue.jobs, whose finished jobs Keep Synchronization History prunes.
CREATE TABLE sync.initial_uploads (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    school_code   char(4) NOT NULL,
    upload_type   text NOT NULL,               -- 'Sections', 'Course Enrollments', 'Evaluated Marks' (the seed's Upload Type)
    job_id        bigint,
    accepted      integer NOT NULL,
    rejected      integer NOT NULL,
    completed_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT upload_type_is_known CHECK (upload_type IN ('Sections', 'Course Enrollments', 'Evaluated Marks'))
);
CREATE INDEX initial_uploads_school ON sync.initial_uploads (school_code, upload_type);
