-- Regular synchronization (issue 10): Event Monitoring becomes the seed's switch, every data event
-- keeps what became of it, a record that PASI cannot take for now waits on its own, and the
-- changes the synchronization itself writes into sis.* (PASI's side coming in) are not sent back.
--   UPDATE sync.settings SET value = 'on' WHERE key = 'event_monitoring';   -- triggers write events
--   SELECT * FROM sync.data_event_backlog;                                  -- what waits, per table
--   SELECT * FROM sync.data_event_outcomes;                                 -- what became of them

SELECT set_config('pasisync.system', 'on', true);

-- Event Monitoring is the switch of the seed's "Enable Event Monitoring" (there it is flipped on
-- another page and needs a restart). Here the triggers read it once per statement, so it takes
-- effect from the next statement on, without a restart.
UPDATE sync.settings
SET read_only = false, needs_restart = false,
    note = 'On: the triggers of sis.* write data events from the next statement on (no restart needed). '
        || 'Keep it off during a district Initial Synchronization, which is refused while it is on.'
WHERE key = 'event_monitoring';

-- What became of an event: Pending until regular synchronization has handled it; then Sent (PASI
-- accepted the record's state at pasi_version), Rejected (a business rule; PASI's messages in
-- detail and a Rejection alert), Conflict (PASI's copy changed since ours: a Conflict alert for a
-- person, nothing overwritten), Failed (Maximum Attempts spent: a Failure alert) or Skipped (not
-- sent, detail says why: a one-way item, a switch that is off, an Inactive school, ...).
ALTER TABLE sync.data_events
    ADD COLUMN status text NOT NULL DEFAULT 'Pending',
    ADD COLUMN handled_at timestamptz,
    ADD COLUMN pasi_version bigint,
    ADD COLUMN detail text,
    ADD CONSTRAINT status_is_known CHECK (status IN ('Pending', 'Sent', 'Rejected', 'Conflict', 'Failed', 'Skipped')),
    ADD CONSTRAINT handled_when_not_pending CHECK ((status = 'Pending') = (handled_at IS NULL));
CREATE INDEX data_events_pending ON sync.data_events (id) WHERE status = 'Pending';
CREATE INDEX data_events_record ON sync.data_events (table_name, row_key, id);

ALTER TABLE sync.data_events_archive
    ADD COLUMN status text NOT NULL DEFAULT 'Sent',
    ADD COLUMN handled_at timestamptz,
    ADD COLUMN pasi_version bigint,
    ADD COLUMN detail text;

-- A record whose last submit failed for a reason a retry may fix (an outage, a timeout, PASI's
-- 9001 or 9014): its events stay Pending and wait until retry_at, while the other records' events
-- go on. The row goes when the record is sent, or when Maximum Attempts are spent (Failed).
CREATE TABLE sync.outbound_retries (
    table_name    text NOT NULL,
    row_key       text NOT NULL,
    attempts      integer NOT NULL,
    retry_at      timestamptz NOT NULL,
    last_error    text NOT NULL,
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, row_key),
    CONSTRAINT attempts_is_positive CHECK (attempts > 0)
);

-- What was sent to PASI for a record and not yet settled: the digest of each record content
-- submitted (its version left out). When a submit is answered "stale version" (3004), PASI's copy
-- is compared with these: if PASI holds what we sent (an earlier submit whose answer was lost to a
-- crash or a timeout), the change is ours, not a Conflict, and is not applied twice.
CREATE TABLE sync.outbound_in_flight (
    table_name  text NOT NULL,
    row_key     text NOT NULL,
    digest      text NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, row_key, digest)
);

-- The data events waiting, per table (Pending ones only; handled ones are in sync.data_event_outcomes).
CREATE OR REPLACE VIEW sync.data_event_backlog AS
SELECT table_name, count(*) AS events, min(id) AS first_id, max(id) AS last_id,
       min(occurred_at) AS oldest, max(occurred_at) AS newest
FROM sync.data_events
WHERE status = 'Pending'
GROUP BY table_name
ORDER BY table_name;

-- What became of the events, per table and status.
CREATE VIEW sync.data_event_outcomes AS
SELECT table_name, status, count(*) AS events, max(handled_at) AS last_handled_at
FROM sync.data_events
GROUP BY table_name, status
ORDER BY table_name, status;

-- The events of the synchronization's own writes into sis.* are not written: a change that came
-- from PASI must not go back to it. Such a transaction says so with
-- SET LOCAL pasisync.origin = 'pasi'. Otherwise as migration 0005.
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
           OR (r ->> school_column)::integer IN
              (SELECT id FROM sis.schools WHERE course_mark_integration_status = 'Active')
        ORDER BY r -> key_column;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns)
        SELECT table_label, r ->> key_column, 'D', '{}'
        FROM (SELECT to_jsonb(o) AS r FROM old_rows o) AS s
        WHERE school_column IS NULL
           OR (r ->> school_column)::integer IN
              (SELECT id FROM sis.schools WHERE course_mark_integration_status = 'Active')
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
               OR (r ->> school_column)::integer IN
                  (SELECT id FROM sis.schools WHERE course_mark_integration_status = 'Active'))
        ORDER BY r -> key_column;
    END IF;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written > 0 THEN
        PERFORM pg_notify('pasisync_events', '');
    END IF;
    RETURN NULL;
END $$;

-- The processes that run for as long as a switch is on (Regular Synchronization: regular_sync and
-- pasi_data_available) are one job each, kept by a unique key. Turning the switch on starts it
-- (a kind not yet registered is left out); the job itself ends when it sees the switch off.
-- Workers call this at start too, so a job that failed for good is started again by a restart.
CREATE FUNCTION sync.start_switched_jobs() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    started integer := 0;
    n integer;
BEGIN
    IF sync.setting('regular_synchronization') = 'on' THEN
        INSERT INTO queue.jobs (kind, args, unique_key)
        SELECT k.name, '{}', k.name FROM queue.job_kinds k
        WHERE k.name IN ('regular_sync', 'pasi_data_available')
          AND NOT EXISTS (SELECT 1 FROM queue.jobs j WHERE j.unique_key = k.name
                          AND j.state IN ('waiting', 'pending', 'running', 'retrying'))
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        started := started + n;
    END IF;
    RETURN started;
END $$;

CREATE FUNCTION sync.after_switch_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.start_switched_jobs();
    RETURN NULL;
END $$;

CREATE TRIGGER start_switched_jobs AFTER UPDATE OF value ON sync.settings
    FOR EACH ROW WHEN (NEW.key = 'regular_synchronization' AND NEW.value = 'on' AND OLD.value IS DISTINCT FROM NEW.value)
    EXECUTE FUNCTION sync.after_switch_change();
