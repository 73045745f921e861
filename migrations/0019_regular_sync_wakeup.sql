-- Regular Sync's wake-up without serializing the SIS's commits (issue 10: the burst target).
--   SELECT * FROM sync.regular_sync_draining;   -- until when Regular Sync says it is draining
--
-- The event-monitoring triggers used to NOTIFY pasisync_events from every SIS transaction that
-- wrote a data event. PostgreSQL serializes the commits of notifying transactions: it takes a
-- database-wide lock when the notification is queued and holds it through the commit's WAL flush,
-- so those commits cannot share a flush. With Event Monitoring on, the SIS's own edits ran at half
-- the rate (4 pgbench clients updating a phone, same run: 294 edits/s with the NOTIFY, 551 without,
-- 606 with Event Monitoring off).
--
-- A NOTIFY is only needed when Regular Sync may be waiting. While it drains (it reads the next
-- round as soon as one is done) it says so here, renewing a short lease every round, and the
-- triggers send no NOTIFY. When a round finds nothing it ends the lease and, before its long wait,
-- looks again after 50 ms, 100 ms, 200 ms, ... (RegularSync.idleRecheck): a transaction that wrote
-- its event during the lease and committed after the last round read is found by one of those looks.
-- A lease left by a worker that died ends by itself within seconds.

CREATE TABLE sync.regular_sync_draining (
    only_row       boolean PRIMARY KEY DEFAULT true,
    -- Regular Sync is draining until then; NULL or past: it may be waiting, so wake it.
    draining_until timestamptz,
    CONSTRAINT one_row CHECK (only_row)
);
INSERT INTO sync.regular_sync_draining DEFAULT VALUES;

-- NOTIFY pasisync_events unless Regular Sync is draining.
CREATE FUNCTION sync.wake_regular_sync() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sync.regular_sync_draining WHERE draining_until > clock_timestamp()) THEN
        PERFORM pg_notify('pasisync_events', '');
    END IF;
END $$;

-- As migration 0014, waking Regular Sync through sync.wake_regular_sync().
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
        PERFORM sync.wake_regular_sync();
    END IF;
    RETURN NULL;
END $$;
