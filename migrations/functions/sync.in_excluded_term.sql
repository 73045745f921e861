-- Exclude Events (Term Setup: "Check box to exclude events"): the sections of a term that
-- excludes events, their course enrolments and their marks write no data events, as those of an
-- Inactive school write none. A row finds its term through its section; a stored grade without a
-- section, or a row whose section is already gone (the cascade of a section's delete), has none
-- and is not excluded.
CREATE OR REPLACE FUNCTION sync.in_excluded_term(trigger_table text, row_data jsonb) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM sis.terms t
        WHERE t.exclude_events
          AND t.id = CASE WHEN trigger_table = 'sections' THEN (row_data ->> 'term_id')::integer
                          ELSE (SELECT s.term_id FROM sis.sections s WHERE s.id = (row_data ->> 'section_id')::integer) END)
$$;
