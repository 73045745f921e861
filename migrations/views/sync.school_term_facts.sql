-- What the validations read of each term: its fields (a blank code as NULL), its school, and how
-- many sections and course enrolments it has. `pasisync validate school-terms` reads this view.
-- school_year is the SIS's (the year the school year starts).
CREATE OR REPLACE VIEW sync.school_term_facts AS
SELECT t.id AS term_id, s.school_code::text AS school_code, t.school_year, t.name AS term_name, t.abbreviation,
       t.first_day, t.last_day, t.is_year,
       CASE WHEN t.alternate_term_code ~ '^\s*$' THEN NULL ELSE t.alternate_term_code END AS alternate_term_code,
       CASE WHEN t.final_mark_store_code ~ '^\s*$' THEN NULL ELSE t.final_mark_store_code END AS final_mark_store_code,
       t.exclude_events,
       coalesce(x.sections, 0)::integer AS sections, coalesce(x.course_enrolments, 0)::integer AS course_enrolments
FROM sis.terms t
JOIN sis.schools s ON s.id = t.school_id
LEFT JOIN (SELECT sc.term_id, count(DISTINCT sc.id) AS sections, count(ce.id) AS course_enrolments
           FROM sis.sections sc LEFT JOIN sis.course_enrolments ce ON ce.section_id = sc.id
           GROUP BY sc.term_id) x ON x.term_id = t.id;
