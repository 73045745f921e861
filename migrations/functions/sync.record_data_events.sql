-- Event monitoring: the data events of the SIS's changes, which Regular Sync sends to PASI.
--
-- One statement-level trigger per operation and synchronized table (below): the Event Monitoring
-- setting is read once per statement and the events of a statement are written by one INSERT in
-- key order. Arguments: the key column and, for the school course mark tables, the school column:
-- those rows write events only while their school's Course Mark Integration Status is 'Active'
-- (Inactive or blank: no events, as the seed says), and not for a term that excludes events
-- (sync.in_excluded_term). An UPDATE that changes nothing writes no event. The synchronization's
-- own writes into sis.* write none: a change that came from PASI must not go back to it, and such
-- a transaction says so with SET LOCAL pasisync.origin = 'pasi'.
--
-- One-row UPDATEs take a path of their own. Most statements are a person changing one row; for
-- those the join of the transition tables, its three materialized CTEs and the sort cost more than
-- the comparison itself. A one-row UPDATE whose key did not change compares the two images
-- directly and writes its event with one INSERT ... VALUES; everything else (several rows, a key
-- changed, the course-mark tables with their school filter) takes the general path, and both paths
-- write the same event. Measured on the bench district (8,000 one-row UPDATEs of a student's phone
-- in one session, the backend's CPU time): the trigger went from about 0.15 ms to 0.11 ms an edit.
--
-- Waking Regular Sync: through sync.wake_regular_sync, which sends no NOTIFY while Regular Sync
-- is draining. PostgreSQL serializes the commits of notifying transactions (a database-wide lock
-- held through the commit's WAL flush), so a NOTIFY from every SIS transaction halved the rate of
-- the SIS's own edits (4 pgbench clients updating a phone: 294 edits/s with it, 551 without).
CREATE OR REPLACE FUNCTION sync.record_data_events() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    key_column     text := TG_ARGV[0];
    school_column  text := TG_ARGV[1];   -- NULL without a second argument
    table_label    text := TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME;
    written        bigint;
    new_image      jsonb;
    old_image      jsonb;
    new_count      bigint;
BEGIN
    IF sync.from_pasi() THEN
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
        -- One row changed, of a table without a school filter (a person's edit: the common
        -- case): its two images are compared directly, without the join of the transition tables.
        IF school_column IS NULL THEN
            SELECT to_jsonb(y), count(*) OVER () INTO new_image, new_count FROM new_rows y LIMIT 1;
            IF new_count = 1 THEN
                SELECT to_jsonb(x) INTO old_image FROM old_rows x;
                IF old_image -> key_column = new_image -> key_column THEN
                    IF old_image = new_image THEN
                        RETURN NULL;
                    END IF;
                    INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns)
                    VALUES (table_label, new_image ->> key_column, 'U',
                            ARRAY(SELECT k FROM jsonb_object_keys(new_image) AS k
                                  WHERE (old_image -> k) IS DISTINCT FROM (new_image -> k) ORDER BY k));
                    PERFORM sync.wake_regular_sync();
                    RETURN NULL;
                END IF;
            END IF;
        END IF;
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
        PERFORM sync.wake_regular_sync();
    END IF;
    RETURN NULL;
END $$;

-- The synchronized SIS tables. Schools and terms are not: schools come one way from PASI, and a
-- term reaches PASI through its sections.
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        ('students', 'id', NULL),
        ('enrolments', 'id', NULL),
        ('courses', 'course_number', NULL),
        ('sections', 'id', 'school_id'),
        ('course_enrolments', 'id', 'school_id'),
        ('stored_grades', 'id', 'school_id'),
        ('student_record_documents', 'id', NULL),
        ('classroom_accommodations', 'id', NULL)
    ) AS v (table_name, key_column, school_column)
    LOOP
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER INSERT ON sis.%I REFERENCING NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION sync.record_data_events(%L%s)',
                       t.table_name || '_events_insert', t.table_name, t.key_column,
                       coalesce(', ' || quote_literal(t.school_column), ''));
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER UPDATE ON sis.%I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION sync.record_data_events(%L%s)',
                       t.table_name || '_events_update', t.table_name, t.key_column,
                       coalesce(', ' || quote_literal(t.school_column), ''));
        EXECUTE format('CREATE OR REPLACE TRIGGER %I AFTER DELETE ON sis.%I REFERENCING OLD TABLE AS old_rows
                        FOR EACH STATEMENT EXECUTE FUNCTION sync.record_data_events(%L%s)',
                       t.table_name || '_events_delete', t.table_name, t.key_column,
                       coalesce(', ' || quote_literal(t.school_column), ''));
    END LOOP;
END $$;
