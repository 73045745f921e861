-- The incidents of every failed rule, one row per term: the viewer's Results table with its rule
-- and Steps to Correct. The same rules as PASIModel's SchoolTermValidations (a test runs both on
-- one district); no row means "No validations". Filter by school_code for the school level.
CREATE OR REPLACE VIEW sync.school_term_validations AS
WITH f AS MATERIALIZED (SELECT * FROM sync.school_term_facts),
incidents AS (
    SELECT 'ALTERNATE_TERM_CODE_MISSING' AS rule_code, f.term_id,
           f.sections || ' section' || CASE WHEN f.sections = 1 THEN '' ELSE 's' END AS detail
    FROM f WHERE f.sections > 0 AND f.alternate_term_code IS NULL
    UNION ALL
    SELECT 'FINAL_MARK_STORE_CODE_MISSING', f.term_id,
           f.sections || ' section' || CASE WHEN f.sections = 1 THEN '' ELSE 's' END || ', '
           || f.course_enrolments || ' course enrolment' || CASE WHEN f.course_enrolments = 1 THEN '' ELSE 's' END
    FROM f WHERE f.sections > 0 AND f.final_mark_store_code IS NULL
    UNION ALL
    SELECT 'ALTERNATE_TERM_CODE_SHARED', f.term_id,
           'Alternate Term Code ' || f.alternate_term_code || ' is also that of '
           || string_agg(o.abbreviation, ', ' ORDER BY o.first_day, o.abbreviation, o.term_id)
    FROM f JOIN f o ON o.school_code = f.school_code AND o.school_year = f.school_year
                   AND o.alternate_term_code = f.alternate_term_code AND o.term_id <> f.term_id
    GROUP BY f.term_id, f.alternate_term_code
    UNION ALL
    SELECT 'TERM_OUTSIDE_SCHOOL_YEAR', f.term_id,
           to_char(f.first_day, 'YYYY-MM-DD') || ' to ' || to_char(f.last_day, 'YYYY-MM-DD')
           || ' is not within the year ' || y.abbreviation
           || ' (' || to_char(y.first_day, 'YYYY-MM-DD') || ' to ' || to_char(y.last_day, 'YYYY-MM-DD') || ')'
    FROM f
    CROSS JOIN LATERAL (SELECT * FROM f y WHERE y.is_year AND y.school_code = f.school_code AND y.school_year = f.school_year
                        ORDER BY y.first_day, y.abbreviation, y.term_id LIMIT 1) y
    WHERE NOT f.is_year
      AND NOT EXISTS (SELECT 1 FROM f z WHERE z.is_year AND z.school_code = f.school_code AND z.school_year = f.school_year
                                          AND z.first_day <= f.first_day AND f.last_day <= z.last_day))
SELECT r.position, r.code AS rule_code, r.name AS rule, f.school_code, f.school_year, f.abbreviation AS term,
       f.term_name, f.term_id, i.detail, r.steps_to_correct
FROM incidents i
JOIN sync.school_term_rules r ON r.code = i.rule_code
JOIN f ON f.term_id = i.term_id
ORDER BY r.position, f.school_code, f.school_year, f.first_day, f.abbreviation, f.term_id;
