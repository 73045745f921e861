-- The job queue: jobs, the kinds a cluster can run, workers, and the views people read in psql.
-- Nothing here knows of PASI: the sync side registers its kinds like any other user.

CREATE SCHEMA queue;

-- waiting: held back until its dependencies complete, or (a parent) until its children finish.
CREATE TYPE queue.job_state AS ENUM
    ('waiting', 'pending', 'running', 'retrying', 'completed', 'failed', 'cancelled');

-- A kind is registered by `pasisync migrate` and by every worker at start, so an insert from
-- psql can be checked at once instead of sitting in the queue forever.
CREATE TABLE queue.job_kinds (
    name            text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_.-]*$'),
    title           text NOT NULL DEFAULT '',
    max_attempts    integer NOT NULL DEFAULT 25 CHECK (max_attempts BETWEEN 1 AND 1000),
    timeout_seconds integer CHECK (timeout_seconds > 0),
    registered_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE queue.jobs (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind              text NOT NULL REFERENCES queue.job_kinds (name),
    args              jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(args) = 'object'),
    state             queue.job_state NOT NULL DEFAULT 'pending',
    priority          integer NOT NULL DEFAULT 0,
    run_at            timestamptz NOT NULL DEFAULT now(),
    attempt           integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
    -- NULL at insert means "the kind's default"; the insert trigger fills it in.
    max_attempts      integer CHECK (max_attempts BETWEEN 1 AND 1000),
    lease_owner       text,
    lease_expires_at  timestamptz,
    unique_key        text,
    parent_id         bigint REFERENCES queue.jobs (id) ON DELETE SET NULL,
    depends_on        bigint[] NOT NULL DEFAULT '{}',
    -- Set when another job names this one in depends_on or parent_id, so that finishing an
    -- ordinary job never has to look for dependents.
    has_dependents    boolean NOT NULL DEFAULT false,
    has_children      boolean NOT NULL DEFAULT false,
    cancel_requested  boolean NOT NULL DEFAULT false,
    progress_done     bigint,
    progress_total    bigint,
    progress_message  text,
    last_error        text,
    errors            jsonb NOT NULL DEFAULT '[]',
    created_at        timestamptz NOT NULL DEFAULT now(),
    started_at        timestamptz,
    finished_at       timestamptz
);

-- The claim query walks this index in order; finished rows are not in it, so history never
-- slows claiming down.
CREATE INDEX jobs_ready ON queue.jobs (priority DESC, run_at, id)
    WHERE state IN ('pending', 'retrying');
-- Lease expiry scan.
CREATE INDEX jobs_running ON queue.jobs (lease_expires_at) WHERE state = 'running';
-- At most one live job per unique key.
CREATE UNIQUE INDEX jobs_unique_live ON queue.jobs (unique_key)
    WHERE unique_key IS NOT NULL AND state IN ('waiting', 'pending', 'running', 'retrying');
CREATE INDEX jobs_parent ON queue.jobs (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX jobs_depends_on ON queue.jobs USING gin (depends_on) WHERE state = 'waiting';
-- History pruning and the per-kind views.
CREATE INDEX jobs_finished ON queue.jobs (kind, finished_at DESC)
    WHERE state IN ('completed', 'failed', 'cancelled');

CREATE TABLE queue.workers (
    id            text PRIMARY KEY,
    host          text NOT NULL,
    pid           integer NOT NULL,
    slots         integer NOT NULL,
    kinds         text[] NOT NULL,
    started_at    timestamptz NOT NULL DEFAULT now(),
    heartbeat_at  timestamptz NOT NULL DEFAULT now(),
    stopping      boolean NOT NULL DEFAULT false
);

-- What the diagnostic `noop` kind writes when asked to (args.record = true): one row per
-- attempt that ran to the end, so tests can prove that no job ran twice at once.
CREATE TABLE queue.noop_runs (
    job_id       bigint NOT NULL,
    attempt      integer NOT NULL,
    worker       text NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

INSERT INTO queue.job_kinds (name, title, max_attempts)
VALUES ('noop', 'Diagnostic no-op', 25);

-- Views for psql ------------------------------------------------------------------------------
