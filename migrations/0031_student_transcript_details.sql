-- Student Transcript Detail Synchronization (issue 20, item 8): the local copy of PASI's
-- GetStudentTranscriptDetail, the get of the StudentTranscriptDetail notification type
-- (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_student_transcript_detail.html):
-- a student's official marks, credentials with their credential numbers, credential requirement
-- exemptions and external credentials. One row per student (ref_id = the ASN), kept while the
-- switch student_transcript_detail_synchronization is on; each part keeps its own PASI version.
-- People read it through the view, one row per part:
--   SELECT * FROM sync.student_transcript_details WHERE asn = '…';
CREATE TABLE pasi.student_transcript_details (
    ref_id                             char(9) PRIMARY KEY,
    pasi_core_version                  bigint NOT NULL,
    -- [{course_code, school_year, credits_awarded, mark_value, mark_format, mark_status, mark_calculation_method, pasi_core_version}]
    official_marks                     jsonb NOT NULL DEFAULT '[]',
    -- [{credential_type, achievement_status, credential_number, awarded_on_date, school_year, pasi_core_version}]
    credentials                        jsonb NOT NULL DEFAULT '[]',
    -- [{credential_requirement_code, exemption_reason, exemption_status, pasi_core_version}]
    credential_requirement_exemptions  jsonb NOT NULL DEFAULT '[]',
    -- [{external_credential_code, awarded_date, is_deleted, pasi_core_version}]
    external_credentials               jsonb NOT NULL DEFAULT '[]',
    fetched_at                         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT asn_is_nine_digits CHECK (ref_id ~ '^[0-9]{9}$'),
    CONSTRAINT parts_are_lists CHECK (jsonb_typeof(official_marks) = 'array' AND jsonb_typeof(credentials) = 'array'
        AND jsonb_typeof(credential_requirement_exemptions) = 'array' AND jsonb_typeof(external_credentials) = 'array'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
