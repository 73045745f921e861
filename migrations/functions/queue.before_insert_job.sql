-- Before insert: refuse unknown kinds by name, fill defaults, and hold the job back while its
-- dependencies are unfinished (or fail it at once if one of them already failed).
CREATE OR REPLACE FUNCTION queue.before_insert_job() RETURNS trigger
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

CREATE OR REPLACE TRIGGER jobs_before_insert BEFORE INSERT ON queue.jobs
    FOR EACH ROW EXECUTE FUNCTION queue.before_insert_job();
