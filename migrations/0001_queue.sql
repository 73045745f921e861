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

-- Before insert: refuse unknown kinds by name, fill defaults, and hold the job back while its
-- dependencies are unfinished (or fail it at once if one of them already failed).
CREATE FUNCTION queue.before_insert_job() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kind_row queue.job_kinds;
    dep record;
    missing bigint[];
BEGIN
    SELECT * INTO kind_row FROM queue.job_kinds WHERE name = NEW.kind;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'unknown job kind "%"', NEW.kind
            USING ERRCODE = 'foreign_key_violation',
                  HINT = 'registered kinds: ' || (SELECT string_agg(name, ', ' ORDER BY name) FROM queue.job_kinds);
    END IF;
    NEW.max_attempts := coalesce(NEW.max_attempts, kind_row.max_attempts);

    IF NEW.parent_id IS NOT NULL THEN
        UPDATE queue.jobs SET has_children = true WHERE id = NEW.parent_id AND NOT has_children;
    END IF;

    IF cardinality(NEW.depends_on) > 0 AND NEW.state = 'pending' THEN
        -- Marking the dependencies locks them, so their state read here cannot change until we commit.
        UPDATE queue.jobs SET has_dependents = true WHERE id = ANY (NEW.depends_on);
        SELECT array_agg(d) INTO missing FROM unnest(NEW.depends_on) d
        WHERE NOT EXISTS (SELECT 1 FROM queue.jobs j WHERE j.id = d);
        IF missing IS NOT NULL THEN
            RAISE EXCEPTION 'job depends on unknown job(s) %', missing USING ERRCODE = 'foreign_key_violation';
        END IF;
        SELECT id, state INTO dep FROM queue.jobs
        WHERE id = ANY (NEW.depends_on) AND state IN ('failed', 'cancelled') LIMIT 1;
        IF FOUND THEN
            NEW.state := 'failed';
            NEW.finished_at := now();
            NEW.last_error := format('dependency %s %s', dep.id, dep.state);
        ELSIF EXISTS (SELECT 1 FROM queue.jobs WHERE id = ANY (NEW.depends_on) AND state <> 'completed') THEN
            NEW.state := 'waiting';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER jobs_before_insert BEFORE INSERT ON queue.jobs
    FOR EACH ROW EXECUTE FUNCTION queue.before_insert_job();

-- Wake idle workers: once per statement, so a bulk insert costs one notification.
CREATE FUNCTION queue.notify_jobs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pasisync_queue', '');
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_notify_insert AFTER INSERT ON queue.jobs
    FOR EACH STATEMENT EXECUTE FUNCTION queue.notify_jobs();

-- Before a parent is marked finished: while any of its children is unfinished it waits instead;
-- a failed or cancelled child fails it.
CREATE FUNCTION queue.before_finish_parent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    bad record;
BEGIN
    IF EXISTS (SELECT 1 FROM queue.jobs WHERE parent_id = NEW.id
               AND state IN ('waiting', 'pending', 'running', 'retrying')) THEN
        NEW.state := 'waiting';
        NEW.finished_at := NULL;
        NEW.lease_owner := NULL;
        NEW.lease_expires_at := NULL;
        RETURN NEW;
    END IF;
    SELECT id, state INTO bad FROM queue.jobs
    WHERE parent_id = NEW.id AND state IN ('failed', 'cancelled') LIMIT 1;
    IF FOUND THEN
        NEW.state := 'failed';
        NEW.last_error := format('child job %s %s', bad.id, bad.state);
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER jobs_before_finish_parent BEFORE UPDATE OF state ON queue.jobs
    FOR EACH ROW
    WHEN (NEW.has_children AND NEW.state = 'completed' AND OLD.state = 'running')
    EXECUTE FUNCTION queue.before_finish_parent();

-- After a job finishes: release or fail the jobs that depend on it, finish a waiting parent
-- whose last child this was, and cancel the live children of a cancelled job.
CREATE FUNCTION queue.after_finish_job() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parent_state queue.job_state;
    bad record;
BEGIN
    IF NEW.has_dependents THEN
        IF NEW.state = 'completed' THEN
            UPDATE queue.jobs w SET state = 'pending', run_at = greatest(w.run_at, now())
            WHERE w.state = 'waiting' AND w.depends_on @> ARRAY[NEW.id]
              AND NOT EXISTS (SELECT 1 FROM queue.jobs d
                              WHERE d.id = ANY (w.depends_on) AND d.state <> 'completed');
            IF FOUND THEN
                PERFORM pg_notify('pasisync_queue', '');
            END IF;
        ELSE
            UPDATE queue.jobs w SET state = 'failed', finished_at = now(),
                last_error = format('dependency %s %s', NEW.id, NEW.state)
            WHERE w.state = 'waiting' AND w.depends_on @> ARRAY[NEW.id];
        END IF;
    END IF;

    IF NEW.state = 'cancelled' AND NEW.has_children THEN
        UPDATE queue.jobs SET state = 'cancelled', finished_at = now()
        WHERE parent_id = NEW.id AND state IN ('waiting', 'pending', 'retrying');
        UPDATE queue.jobs SET cancel_requested = true
        WHERE parent_id = NEW.id AND state = 'running' AND NOT cancel_requested;
    END IF;

    IF NEW.parent_id IS NOT NULL THEN
        -- Lock the parent first: its own completion runs the check above under the same lock,
        -- so exactly one of the two sees the last child finished.
        SELECT state INTO parent_state FROM queue.jobs WHERE id = NEW.parent_id FOR UPDATE;
        IF parent_state = 'waiting' AND NOT EXISTS (
               SELECT 1 FROM queue.jobs WHERE parent_id = NEW.parent_id
               AND state IN ('waiting', 'pending', 'running', 'retrying')) THEN
            SELECT c.id, c.state INTO bad FROM queue.jobs c
            WHERE c.parent_id = NEW.parent_id AND c.state IN ('failed', 'cancelled') LIMIT 1;
            IF FOUND THEN
                UPDATE queue.jobs SET state = 'failed', finished_at = now(),
                    last_error = format('child job %s %s', bad.id, bad.state)
                WHERE id = NEW.parent_id;
            ELSE
                UPDATE queue.jobs SET state = 'completed', finished_at = now() WHERE id = NEW.parent_id;
            END IF;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_after_finish AFTER UPDATE OF state ON queue.jobs
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          AND NEW.state IN ('completed', 'failed', 'cancelled')
          AND (NEW.has_dependents OR NEW.has_children OR NEW.parent_id IS NOT NULL))
    EXECUTE FUNCTION queue.after_finish_job();

-- Cancelling a running job from psql (UPDATE … SET cancel_requested = true) reaches the worker
-- that runs it at once.
CREATE FUNCTION queue.notify_cancel() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pasisync_queue', 'cancel:' || NEW.id);
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_notify_cancel AFTER UPDATE OF cancel_requested ON queue.jobs
    FOR EACH ROW WHEN (NEW.cancel_requested AND NOT OLD.cancel_requested AND NEW.state = 'running')
    EXECUTE FUNCTION queue.notify_cancel();

-- Views for psql ------------------------------------------------------------------------------

-- The queue as people read it: newest first, with progress, age and runtime.
CREATE VIEW queue.job_list AS
SELECT j.id,
       j.kind,
       coalesce(nullif(k.title, ''), j.kind) AS title,
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
       j.last_error
FROM queue.jobs j
LEFT JOIN queue.job_kinds k ON k.name = j.kind;

-- Counts per kind and state.
CREATE VIEW queue.kind_counts AS
SELECT kind,
       count(*) FILTER (WHERE state = 'waiting')   AS waiting,
       count(*) FILTER (WHERE state = 'pending')   AS pending,
       count(*) FILTER (WHERE state = 'running')   AS running,
       count(*) FILTER (WHERE state = 'retrying')  AS retrying,
       count(*) FILTER (WHERE state = 'completed') AS completed,
       count(*) FILTER (WHERE state = 'failed')    AS failed,
       count(*) FILTER (WHERE state = 'cancelled') AS cancelled,
       count(*) AS total
FROM queue.jobs
GROUP BY kind;

-- Workers whose heartbeat is recent, with what each one is running now.
CREATE VIEW queue.live_workers AS
SELECT w.id,
       w.host,
       w.pid,
       w.slots,
       (SELECT count(*) FROM queue.jobs j WHERE j.state = 'running' AND j.lease_owner = w.id) AS running,
       w.stopping,
       date_trunc('second', now() - w.started_at) AS up,
       date_trunc('millisecond', now() - w.heartbeat_at) AS last_heartbeat
FROM queue.workers w
WHERE w.heartbeat_at > now() - interval '60 seconds';
