-- School course marks (issue 11): the seed's Getting Ready for Synchronization for School Course
-- Marks, steps 2 to 4 and 6. People read and change it with
--   SELECT * FROM sync.school_integration_status;        -- each school's Course Mark Integration Status
--   UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE school_code = '1042';
--   SELECT * FROM sync.school_term_validations;           -- the School Terms Validations that fail
--   SELECT * FROM sync.school_term_validations WHERE school_code = '1042';   -- at school level

-- Each school's Course Mark Integration Status as the PASI Configuration page lists it: blank
-- means Inactive ("By default, this field is set to blank which implies that the school is
-- Inactive"); stored_value shows the blank the seed's Step 2 asks to change to Inactive.
CREATE VIEW sync.school_integration_status AS
SELECT s.school_code::text AS school_code, s.name, s.is_high_school,
       coalesce(s.course_mark_integration_status, 'Inactive') AS course_mark_integration_status,
       s.course_mark_integration_status AS stored_value
FROM sis.schools s
ORDER BY s.school_code;

-- Exclude Events (Term Setup: "Check box to exclude events"): the sections of a term that
-- excludes events, their course enrolments and their marks write no data events, as those of an
-- Inactive school write none. A row finds its term through its section; a stored grade without a
-- section, or a row whose section is already gone (the cascade of a section's delete), has none
-- and is not excluded.
CREATE FUNCTION sync.in_excluded_term(trigger_table text, row_data jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM sis.terms t
        WHERE t.exclude_events
          AND t.id = CASE WHEN trigger_table = 'sections' THEN (row_data ->> 'term_id')::integer
                          ELSE (SELECT s.term_id FROM sis.sections s WHERE s.id = (row_data ->> 'section_id')::integer) END)
$$;

-- As migration 0011 (the pasisync.origin check, the Event Monitoring switch, the Active school),
-- and a school course mark row of a term that excludes events writes none.
CREATE OR REPLACE FUNCTION sync.record_data_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    key_column     text := TG_ARGV[0];
    school_column  text := TG_ARGV[1];   -- NULL without a second argument
    table_label    text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    written        bigint;
BEGIN
    IF coalesce(current_setting('pasisync.origin', true), '') = 'pasi' THEN
        RETURN NULL;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM sync.settings WHERE key = 'event_monitoring' AND value = 'on') THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns)
        SELECT table_label, r ->> key_column, 'I',
               ARRAY(SELECT k FROM jsonb_each(r) AS e (k, v) WHERE v <> 'null'::jsonb ORDER BY k)
        FROM (SELECT to_jsonb(n) AS r FROM new_rows n) AS s
        WHERE school_column IS NULL
           OR ((r ->> school_column)::integer IN
               (SELECT id FROM sis.schools WHERE course_mark_integration_status = 'Active')
               AND NOT sync.in_excluded_term(TG_TABLE_NAME, r))
        ORDER BY r -> key_column;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns)
        SELECT table_label, r ->> key_column, 'D', '{}'
        FROM (SELECT to_jsonb(o) AS r FROM old_rows o) AS s
        WHERE school_column IS NULL
           OR ((r ->> school_column)::integer IN
               (SELECT id FROM sis.schools WHERE course_mark_integration_status = 'Active')
               AND NOT sync.in_excluded_term(TG_TABLE_NAME, r))
        ORDER BY r -> key_column;
    ELSE
        WITH a AS MATERIALIZED (SELECT to_jsonb(x) AS o FROM old_rows x),
             b AS MATERIALIZED (SELECT to_jsonb(y) AS n FROM new_rows y),
             d AS MATERIALIZED (
                SELECT coalesce(b.n, a.o) AS r,
                       CASE WHEN a.o IS NULL THEN 'I' WHEN b.n IS NULL THEN 'D' ELSE 'U' END AS operation,
                       CASE WHEN b.n IS NULL OR a.o = b.n THEN '{}'::text[] ELSE
                           ARRAY(SELECT k FROM jsonb_object_keys(coalesce(b.n, a.o)) AS k
                                 WHERE (a.o -> k) IS DISTINCT FROM (b.n -> k) ORDER BY k) END AS changed
                FROM a FULL JOIN b ON a.o -> key_column = b.n -> key_column)
        INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns)
        SELECT table_label, r ->> key_column, operation, changed
        FROM d
        WHERE (operation = 'D' OR cardinality(changed) > 0)
          AND (school_column IS NULL
               OR ((r ->> school_column)::integer IN
                   (SELECT id FROM sis.schools WHERE course_mark_integration_status = 'Active')
                   AND NOT sync.in_excluded_term(TG_TABLE_NAME, r)))
        ORDER BY r -> key_column;
    END IF;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written > 0 THEN
        PERFORM pg_notify('pasisync_events', '');
    END IF;
    RETURN NULL;
END $$;

-- The business rules of the School Terms Validations (the seed's PASI Data Validation Viewer):
-- PASIModel's SchoolTermRule holds the same texts, and a test keeps the two equal.
CREATE TABLE sync.school_term_rules (
    code              text PRIMARY KEY,
    position          integer NOT NULL UNIQUE,
    name              text NOT NULL,
    business_rule     text NOT NULL,
    steps_to_correct  text NOT NULL
);
INSERT INTO sync.school_term_rules (position, code, name, business_rule, steps_to_correct) VALUES
    (1, 'ALTERNATE_TERM_CODE_MISSING', 'Term with sections has no Alternate Term Code',
     'Every term that has sections must have an Alternate Term Code (required for sections): PASI knows a section''s term only by that code, so a section of a term without one cannot be uploaded or synchronized.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and, under Alberta Information Required for PASI Direct Connect, select its Alternate Term Code; click Submit. In psql: UPDATE sis.terms SET alternate_term_code = ''CODE'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).'),
    (2, 'FINAL_MARK_STORE_CODE_MISSING', 'Term with sections has no Final Mark Store Code',
     'Every term that has sections must have a Final Mark Store Code (required for marks): a section''s evaluated marks are the stored grades under its term''s Final Mark Store Code, so without one no mark of the term''s sections reaches PASI.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and, under Alberta Information Required for PASI Direct Connect, enter the store code its final marks are stored under as the Final Mark Store Code; click Submit. In psql: UPDATE sis.terms SET final_mark_store_code = ''CODE'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).'),
    (3, 'ALTERNATE_TERM_CODE_SHARED', 'Alternate Term Code used by two terms of a school year',
     'The terms of one school year at one school must each have their own Alternate Term Code: PASI would take the sections of a course in the two terms for one another.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and give it an Alternate Term Code no other term of that school year uses; click Submit. In psql: UPDATE sis.terms SET alternate_term_code = ''CODE'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).'),
    (4, 'TERM_OUTSIDE_SCHOOL_YEAR', 'Term outside its school year',
     'A term must lie within its school year: its First Day and Last Day of Term within those of the year term of the same school and school year.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and correct its First Day of Term or Last Day of Term (or the year term''s) so that the term lies within the school year; click Submit. In psql: UPDATE sis.terms SET first_day = ''YYYY-MM-DD'', last_day = ''YYYY-MM-DD'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).');

-- What the validations read of each term: its fields (a blank code as NULL), its school, and how
-- many sections and course enrolments it has. `pasisync validate school-terms` reads this view.
-- school_year is the SIS's (the year the school year starts).
CREATE VIEW sync.school_term_facts AS
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

-- The incidents of every failed rule, one row per term: the viewer's Results table with its rule
-- and Steps to Correct. The same rules as PASIModel's SchoolTermValidations (a test runs both on
-- one district); no row means "No validations". Filter by school_code for the school level.
CREATE VIEW sync.school_term_validations AS
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
