-- Cancelling a running job from psql (UPDATE … SET cancel_requested = true) reaches the worker
-- that runs it at once.
CREATE OR REPLACE FUNCTION queue.notify_cancel() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pasisync_queue', 'cancel:' || NEW.id);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER jobs_notify_cancel AFTER UPDATE OF cancel_requested ON queue.jobs
    FOR EACH ROW WHEN (NEW.cancel_requested AND NOT OLD.cancel_requested AND NEW.state = 'running')
    EXECUTE FUNCTION queue.notify_cancel();
