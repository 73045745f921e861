-- Periodic schedules, snooze, and per-kind settings of the queue. Still nothing of PASI here.
--   SELECT * FROM queue.schedule_list;                                  -- what runs when, in local time
--   INSERT INTO queue.schedules (name, kind, calendar) VALUES ('nightly', 'noop', 'daily at 02:00');
--   UPDATE queue.schedules SET enabled = false WHERE name = 'nightly';  -- takes effect at once
--   UPDATE queue.cluster SET time_zone = 'America/Edmonton';           -- every calendar rule moves with it
--
-- Exactly once per slot (docs/schedules.md says why it is built this way): a worker fires a due
-- schedule in one transaction that locks the schedule's row (FOR UPDATE SKIP LOCKED), inserts the
-- job carrying (schedule, scheduled_for) under a unique index, and moves next_run_at past the slot.
-- A second firer skips the locked row, or finds next_run_at already moved; a firer killed mid-way
-- rolls the whole transaction back, so the slot is still due for the others.

-- One row: what the whole cluster shares. The time zone of every calendar rule (the authority's).
CREATE TABLE queue.cluster (
    only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    time_zone  text NOT NULL DEFAULT 'America/Edmonton'
);
INSERT INTO queue.cluster DEFAULT VALUES;

CREATE FUNCTION queue.before_change_cluster() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.time_zone) THEN
        RAISE EXCEPTION 'time zone "%" is not known to PostgreSQL', NEW.time_zone
            USING ERRCODE = 'check_violation',
                  HINT = 'use a name of pg_timezone_names, e.g. America/Edmonton';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER cluster_before_change BEFORE INSERT OR UPDATE ON queue.cluster
    FOR EACH ROW EXECUTE FUNCTION queue.before_change_cluster();

-- Kinds: a family (the sync side marks its kinds 'sync' and keeps their attempts and history
-- with its settings), the history kept (NULL: the worker's --keep-history), and the title of the
-- jobs a schedule makes ("Hash Sync – Scheduled" beside "Hash Sync – Manual").
ALTER TABLE queue.job_kinds
    ADD COLUMN family text,
    ADD COLUMN keep_history integer CHECK (keep_history BETWEEN 1 AND 1000000),
    ADD COLUMN scheduled_title text;

-- Jobs: which schedule made it and for which slot; how often it was snoozed.
ALTER TABLE queue.jobs
    ADD COLUMN schedule text,
    ADD COLUMN scheduled_for timestamptz,
    ADD COLUMN snoozes integer NOT NULL DEFAULT 0 CHECK (snoozes >= 0),
    ADD CONSTRAINT scheduled_jobs_name_their_slot CHECK ((schedule IS NULL) = (scheduled_for IS NULL));
-- The second line of defence: even a slot whose next_run_at someone set back by hand fires once
-- while its job is kept.
CREATE UNIQUE INDEX jobs_schedule_slot ON queue.jobs (schedule, scheduled_for) WHERE schedule IS NOT NULL;

CREATE TABLE queue.schedules (
    name         text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]*$'),
    -- No foreign key: a schedule of a kind no worker runs yet stays visible, but does not fire.
    kind         text NOT NULL CHECK (kind ~ '^[a-z][a-z0-9_.-]*$'),
    args         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(args) = 'object'),
    priority     integer NOT NULL DEFAULT 0,
    enabled      boolean NOT NULL DEFAULT true,
    -- Either a fixed interval on a grid from the epoch (every '1 minute' fires at :00 of each
    -- minute), or a calendar rule in the cluster's time zone:
    --   daily at HH:MM | hourly at :MM [from HH to HH] | weekly on WEEKDAY at HH:MM | monthly on DAY at HH:MM
    every        interval,
    calendar     text,
    -- Always filled in: the next slot, or NULL only while disabled.
    next_run_at  timestamptz,
    last_run_at  timestamptz,
    last_job_id  bigint,
    -- Set for the schedules the sync settings own (e.g. 'hash_synchronization, hash_schedule');
    -- those change through their settings, not by hand.
    follows      text,
    note         text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT every_or_calendar CHECK ((every IS NULL) <> (calendar IS NULL)),
    CONSTRAINT enabled_has_next_run CHECK (NOT enabled OR next_run_at IS NOT NULL)
);
CREATE INDEX schedules_due ON queue.schedules (next_run_at) WHERE enabled;

-- A calendar rule, read: (kind, minute, hour from, hour to, weekday 1-7 ISO, day of month), or
-- an error that names the schedule and the forms allowed.
CREATE FUNCTION queue.parse_calendar(schedule text, rule text,
    OUT unit text, OUT minute int, OUT hour_from int, OUT hour_to int, OUT weekday int, OUT day int)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    r text := lower(btrim(regexp_replace(rule, '\s+', ' ', 'g')));
    m text[];
    days constant text[] := ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
BEGIN
    m := regexp_match(r, '^daily at ([0-9]{1,2}):([0-9]{2})$');
    IF m IS NOT NULL THEN
        unit := 'daily'; hour_from := m[1]::int; hour_to := hour_from; minute := m[2]::int;
    END IF;
    m := regexp_match(r, '^hourly at :([0-9]{2})(?: from ([0-9]{1,2})(?::[0-9]{2})? to ([0-9]{1,2})(?::[0-9]{2})?)?$');
    IF m IS NOT NULL THEN
        unit := 'hourly'; minute := m[1]::int; hour_from := coalesce(m[2]::int, 0); hour_to := coalesce(m[3]::int, 23);
    END IF;
    m := regexp_match(r, '^weekly on ([a-z]+) at ([0-9]{1,2}):([0-9]{2})$');
    IF m IS NOT NULL THEN
        unit := 'weekly'; weekday := array_position(days, m[1]);
        IF weekday IS NULL THEN
            SELECT i INTO weekday FROM generate_series(1, 7) i WHERE left(days[i], 3) = m[1];
        END IF;
        hour_from := m[2]::int; hour_to := hour_from; minute := m[3]::int;
    END IF;
    m := regexp_match(r, '^monthly on (?:day )?([0-9]{1,2}) at ([0-9]{1,2}):([0-9]{2})$');
    IF m IS NOT NULL THEN
        unit := 'monthly'; day := m[1]::int; hour_from := m[2]::int; hour_to := hour_from; minute := m[3]::int;
    END IF;
    IF unit IS NULL OR minute > 59 OR hour_from > 23 OR hour_to > 23 OR hour_from > hour_to
       OR (unit = 'weekly' AND weekday IS NULL) OR (unit = 'monthly' AND day NOT BETWEEN 1 AND 31) THEN
        RAISE EXCEPTION 'schedule "%": calendar rule "%" is not valid', schedule, rule
            USING ERRCODE = 'check_violation',
                  HINT = 'write one of: daily at HH:MM; hourly at :MM from HH to HH; weekly on WEEKDAY at HH:MM; '
                      || 'monthly on DAY at HH:MM (DAY 1-31; the last day of a shorter month)';
    END IF;
END $$;

-- The first slot of a rule strictly after `after`. Calendar slots are wall-clock times in `zone`:
-- on the day clocks spring forward a time that does not exist runs an hour later (02:30 → 03:30),
-- and on the day they fall back a time that happens twice runs once.
CREATE FUNCTION queue.next_slot(schedule text, every interval, calendar text, after timestamptz, zone text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    rule record;
    step double precision;
    local_day date;
    found timestamptz;
BEGIN
    IF every IS NOT NULL THEN
        step := extract(epoch FROM every);
        IF step < 1 OR extract(month FROM every) <> 0 OR extract(year FROM every) <> 0 THEN
            RAISE EXCEPTION 'schedule "%": every must be at least 1 second and hold no months or years, got %', schedule, every
                USING ERRCODE = 'check_violation', HINT = 'use a calendar rule for monthly runs: monthly on DAY at HH:MM';
        END IF;
        RETURN to_timestamp((floor(extract(epoch FROM after) / step) + 1) * step);
    END IF;
    rule := queue.parse_calendar(schedule, calendar);
    local_day := (after AT TIME ZONE zone)::date;
    SELECT min(slot) INTO found
    FROM (SELECT ((d::date + make_time(h, rule.minute, 0)) AT TIME ZONE zone) AS slot
          FROM generate_series(local_day - 1, local_day + 62, interval '1 day') AS d,
               generate_series(rule.hour_from, rule.hour_to) AS h
          WHERE (rule.unit <> 'weekly' OR extract(isodow FROM d) = rule.weekday)
            AND (rule.unit <> 'monthly' OR extract(day FROM d) =
                 least(rule.day, extract(day FROM date_trunc('month', d) + interval '1 month - 1 day')))) AS c
    WHERE slot > after;
    RETURN found;
END $$;

-- The next `count` slots of a schedule after `after`, for people and tests:
--   SELECT * FROM queue.upcoming_runs('hash_sync', 5);
CREATE FUNCTION queue.upcoming_runs(schedule_name text, count integer, after timestamptz DEFAULT now())
RETURNS TABLE (slot timestamptz, local_time timestamp)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    s queue.schedules;
    zone text := (SELECT time_zone FROM queue.cluster);
    t timestamptz := after;
BEGIN
    SELECT * INTO s FROM queue.schedules WHERE name = schedule_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no schedule "%"', schedule_name USING ERRCODE = 'no_data_found';
    END IF;
    FOR i IN 1..count LOOP
        t := queue.next_slot(s.name, s.every, s.calendar, t, zone);
        slot := t;
        local_time := t AT TIME ZONE zone;
        RETURN NEXT;
    END LOOP;
END $$;

-- Checks the rule and keeps next_run_at filled in: recomputed when the rule, the kind or the
-- switch changes; left alone when only next_run_at changes (the firer moving it, or a person
-- setting it to now() to run a schedule at once).
CREATE FUNCTION queue.before_change_schedule() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    by_owner boolean := coalesce(current_setting('pasisync.system', true), '') = 'on';
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.follows IS NOT NULL AND NOT by_owner
       AND (NEW.kind, NEW.args, NEW.enabled, NEW.every, NEW.calendar, NEW.follows)
           IS DISTINCT FROM (OLD.kind, OLD.args, OLD.enabled, OLD.every, OLD.calendar, OLD.follows) THEN
        RAISE EXCEPTION 'schedule "%" follows the settings %: change them instead', OLD.name, OLD.follows
            USING ERRCODE = 'restrict_violation',
                  HINT = 'pasisync settings set KEY VALUE, or UPDATE sync.settings SET value = ... WHERE key = ...';
    END IF;
    IF TG_OP = 'INSERT'
       OR (NEW.every, NEW.calendar, NEW.enabled, NEW.kind) IS DISTINCT FROM (OLD.every, OLD.calendar, OLD.enabled, OLD.kind)
       OR (NEW.enabled AND NEW.next_run_at IS NULL) THEN
        -- Computed even while disabled, so that a bad rule is refused when it is written.
        NEW.next_run_at := queue.next_slot(NEW.name, NEW.every, NEW.calendar, now(), (SELECT time_zone FROM queue.cluster));
    END IF;
    IF NOT NEW.enabled THEN NEW.next_run_at := NULL; END IF;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE TRIGGER schedules_before_change BEFORE INSERT OR UPDATE ON queue.schedules
    FOR EACH ROW EXECUTE FUNCTION queue.before_change_schedule();

-- Firers sleep until the earliest next_run_at: tell them when any schedule changes.
CREATE FUNCTION queue.notify_schedules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pasisync_queue', 'schedules');
    RETURN NULL;
END $$;

CREATE TRIGGER schedules_notify AFTER INSERT OR UPDATE OR DELETE ON queue.schedules
    FOR EACH STATEMENT EXECUTE FUNCTION queue.notify_schedules();

-- A new time zone moves every calendar rule.
CREATE FUNCTION queue.after_change_cluster() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue.schedules
    SET next_run_at = queue.next_slot(name, every, calendar, now(), NEW.time_zone)
    WHERE enabled AND calendar IS NOT NULL;
    RETURN NULL;
END $$;

CREATE TRIGGER cluster_after_change AFTER UPDATE OF time_zone ON queue.cluster
    FOR EACH ROW WHEN (NEW.time_zone IS DISTINCT FROM OLD.time_zone)
    EXECUTE FUNCTION queue.after_change_cluster();

-- Fires every due schedule of a registered kind, once per slot (see the head of this file), and
-- returns what it fired. `firer_lease` is how long a worker may go between heartbeats.
--
-- Which slot comes next: the one after the fired slot while some worker was alive when it fell
-- due and its kind was registered (so a slot missed by a slow or killed firer is fired at once,
-- and none is skipped), else the first one after now (after the whole cluster was down, or
-- before any worker could run the kind, the missed slots fire once, not once per slot missed).
CREATE FUNCTION queue.fire_due_schedules(firer_lease interval, max_count integer DEFAULT 100)
RETURNS TABLE (schedule text, scheduled_for timestamptz, job_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    s record;
    zone text := (SELECT time_zone FROM queue.cluster);
    following timestamptz;
    inserted bigint;
BEGIN
    FOR s IN
        SELECT sc.* FROM queue.schedules sc
        WHERE sc.enabled AND sc.next_run_at <= now()
          AND EXISTS (SELECT 1 FROM queue.job_kinds k WHERE k.name = sc.kind)
        ORDER BY sc.next_run_at
        LIMIT max_count
        FOR UPDATE OF sc SKIP LOCKED
    LOOP
        INSERT INTO queue.jobs (kind, args, priority, schedule, scheduled_for)
        VALUES (s.kind, s.args, s.priority, s.name, s.next_run_at)
        ON CONFLICT (schedule, scheduled_for) WHERE schedule IS NOT NULL DO NOTHING
        RETURNING id INTO inserted;
        following := queue.next_slot(s.name, s.every, s.calendar, s.next_run_at, zone);
        IF following <= now() AND NOT (
               EXISTS (SELECT 1 FROM queue.workers w
                       WHERE w.started_at <= following AND w.heartbeat_at >= following - firer_lease)
               AND EXISTS (SELECT 1 FROM queue.job_kinds k WHERE k.name = s.kind AND k.registered_at <= following)) THEN
            following := queue.next_slot(s.name, s.every, s.calendar, now(), zone);
        END IF;
        UPDATE queue.schedules
        SET next_run_at = following, last_run_at = s.next_run_at, last_job_id = coalesce(inserted, last_job_id)
        WHERE name = s.name;
        schedule := s.name;
        scheduled_for := s.next_run_at;
        job_id := inserted;
        RETURN NEXT;
    END LOOP;
END $$;

-- The schedules as people read them: the next run in the cluster's local time, and whether a
-- worker can run the kind at all.
CREATE VIEW queue.schedule_list AS
SELECT s.name,
       s.kind,
       coalesce(nullif(k.scheduled_title, ''), nullif(k.title, ''), s.kind) AS title,
       coalesce(s.calendar, 'every ' || s.every::text) AS rule,
       s.enabled,
       CASE WHEN k.name IS NULL THEN 'kind not registered: does not fire'
            WHEN NOT s.enabled THEN 'disabled'
            ELSE 'scheduled' END AS status,
       to_char(s.next_run_at AT TIME ZONE c.time_zone, 'YYYY-MM-DD HH24:MI:SS') AS next_run_local,
       c.time_zone,
       s.next_run_at,
       s.last_run_at,
       s.last_job_id,
       s.follows,
       s.args
FROM queue.schedules s
CROSS JOIN queue.cluster c
LEFT JOIN queue.job_kinds k ON k.name = s.kind;

-- The queue view gains the schedule that made a job (and takes its scheduled title).
CREATE OR REPLACE VIEW queue.job_list AS
SELECT j.id,
       j.kind,
       CASE WHEN j.schedule IS NOT NULL THEN coalesce(nullif(k.scheduled_title, ''), nullif(k.title, ''), j.kind)
            ELSE coalesce(nullif(k.title, ''), j.kind) END AS title,
       j.state AS status,
       j.attempt || '/' || j.max_attempts AS attempts,
       j.priority,
       CASE WHEN j.progress_total > 0
            THEN j.progress_done || '/' || j.progress_total || ' ('
                 || round(100.0 * j.progress_done / j.progress_total) || '%)'
            WHEN j.progress_done IS NOT NULL THEN j.progress_done::text
       END AS progress,
       j.progress_message,
       date_trunc('second', now() - j.created_at) AS age,
       CASE WHEN j.state = 'running' THEN date_trunc('second', now() - j.started_at)
            WHEN j.finished_at IS NOT NULL AND j.started_at IS NOT NULL
            THEN date_trunc('millisecond', j.finished_at - j.started_at)
       END AS runtime,
       CASE WHEN j.run_at > now() AND j.state IN ('pending', 'retrying')
            THEN date_trunc('second', j.run_at - now()) END AS starts_in,
       j.lease_owner AS worker,
       j.parent_id,
       j.unique_key,
       j.last_error,
       j.progress_done,
       j.progress_total,
       j.schedule,
       j.scheduled_for,
       j.snoozes
FROM queue.jobs j
LEFT JOIN queue.job_kinds k ON k.name = j.kind;
