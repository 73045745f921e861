-- Before a parent is marked finished: while any of its children is unfinished it waits instead;
-- a failed or cancelled child fails it.
CREATE OR REPLACE FUNCTION queue.before_finish_parent() RETURNS trigger
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

CREATE OR REPLACE TRIGGER jobs_before_finish_parent BEFORE UPDATE OF state ON queue.jobs
    FOR EACH ROW
    WHEN (NEW.has_children AND NEW.state = 'completed' AND OLD.state = 'running')
    EXECUTE FUNCTION queue.before_finish_parent();
