-- What `pasisync validate diploma-sections` reads: every section of a course that PASI says is
-- a diploma course, that the SIS says is one, or whose section carries diploma exam fields (taught
-- as one), with the course's Diploma Course field and the section's Alberta Information. A course
-- in PASI's list without sections has one row with NULL section fields. school_year is the SIS's
-- (the year the school year starts).
CREATE OR REPLACE VIEW sync.diploma_section_facts AS
WITH diploma_courses AS (
    SELECT c.course_number, c.course_name, c.is_diploma_course AS is_diploma_in_sis,
           coalesce(p.is_diploma_course, false) AS is_diploma_in_pasi
    FROM sis.courses c
    LEFT JOIN pasi.courses p ON p.ref_id = c.course_number
)
SELECT d.course_number, d.course_name, d.is_diploma_in_sis, d.is_diploma_in_pasi,
       sc.id AS section_id, s.school_code::text AS school_code, t.school_year, t.abbreviation AS term,
       sc.section_number, sc.exam_registration_date,
       CASE WHEN sc.exam_writing_centre ~ '^\s*$' THEN NULL ELSE sc.exam_writing_centre END AS exam_writing_centre
FROM diploma_courses d
LEFT JOIN sis.sections sc ON sc.course_number = d.course_number
LEFT JOIN sis.schools s ON s.id = sc.school_id
LEFT JOIN sis.terms t ON t.id = sc.term_id
WHERE d.is_diploma_in_sis OR d.is_diploma_in_pasi
   OR sc.exam_registration_date IS NOT NULL OR sc.exam_writing_centre !~ '^\s*$';
