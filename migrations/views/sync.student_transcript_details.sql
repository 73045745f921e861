-- The local copy of PASI's student transcript details (pasi.student_transcript_details, kept while
-- Student Transcript Detail Synchronization is on), one row per part: an official mark, a
-- credential (with its credential number when awarded), a credential requirement exemption or an
-- external credential. `code` is the course, credential type, requirement or external credential;
-- school_year is PASI's (the year the school year ends).
CREATE OR REPLACE VIEW sync.student_transcript_details AS
SELECT t.ref_id::text AS asn, 'Official Mark' AS part, m.course_code AS code, m.school_year,
       m.mark_value AS value, m.credits_awarded, m.mark_status AS status, NULL::date AS part_date,
       m.pasi_core_version AS part_version, t.pasi_core_version AS transcript_version, t.fetched_at
FROM pasi.student_transcript_details t,
     jsonb_to_recordset(t.official_marks) AS m (course_code text, school_year integer, credits_awarded integer, mark_value text,
                                                mark_status text, pasi_core_version bigint)
UNION ALL
SELECT t.ref_id::text, 'Credential', c.credential_type, c.school_year, c.credential_number, NULL, c.achievement_status,
       c.awarded_on_date, c.pasi_core_version, t.pasi_core_version, t.fetched_at
FROM pasi.student_transcript_details t,
     jsonb_to_recordset(t.credentials) AS c (credential_type text, achievement_status text, credential_number text,
                                             awarded_on_date date, school_year integer, pasi_core_version bigint)
UNION ALL
SELECT t.ref_id::text, 'Credential Requirement Exemption', e.credential_requirement_code, NULL, e.exemption_reason, NULL,
       e.exemption_status, NULL, e.pasi_core_version, t.pasi_core_version, t.fetched_at
FROM pasi.student_transcript_details t,
     jsonb_to_recordset(t.credential_requirement_exemptions) AS e (credential_requirement_code text, exemption_reason text,
                                                                   exemption_status text, pasi_core_version bigint)
UNION ALL
SELECT t.ref_id::text, 'External Credential', x.external_credential_code, NULL, NULL, NULL,
       CASE WHEN x.is_deleted THEN 'Deleted' ELSE 'Awarded' END, x.awarded_date, x.pasi_core_version, t.pasi_core_version, t.fetched_at
FROM pasi.student_transcript_details t,
     jsonb_to_recordset(t.external_credentials) AS x (external_credential_code text, awarded_date date, is_deleted boolean,
                                                      pasi_core_version bigint);
