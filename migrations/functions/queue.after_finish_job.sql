-- After a job finishes: release or fail the jobs that depend on it, finish a waiting parent
-- whose last child this was, and cancel the live children of a cancelled job.
--
-- The waiting jobs are locked before the check: otherwise a job waiting for several dependencies
-- stays waiting when two of them finish at the same moment in different transactions, each one's
-- check seeing the other unfinished (READ COMMITTED). Found by scripts/bench-getting-ready: an
-- Initial Synchronization report step waiting on 200 completed batches.
CREATE OR REPLACE FUNCTION queue.after_finish_job() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    parent_state queue.job_state;
    bad record;
BEGIN
    IF NEW.has_dependents THEN
        IF NEW.state = 'completed' THEN
            -- Lock the waiting jobs first, in id order: of two dependencies finishing at once, the
            -- second waits here for the first to commit, and its check below (a new statement,
            -- so a new snapshot) sees it completed. Without the lock each saw the other unfinished
            -- and neither released the job.
            PERFORM 1 FROM queue.jobs w WHERE w.state = 'waiting' AND w.depends_on @> ARRAY[NEW.id]
            ORDER BY w.id FOR UPDATE;
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

CREATE OR REPLACE TRIGGER jobs_after_finish AFTER UPDATE OF state ON queue.jobs
    FOR EACH ROW
    WHEN (OLD.state IS DISTINCT FROM NEW.state
          AND NEW.state IN ('completed', 'failed', 'cancelled')
          AND (NEW.has_dependents OR NEW.has_children OR NEW.parent_id IS NOT NULL))
    EXECUTE FUNCTION queue.after_finish_job();
