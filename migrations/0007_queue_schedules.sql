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
