-- Wake idle workers: once per statement, so a bulk insert costs one notification.
CREATE OR REPLACE FUNCTION queue.notify_jobs() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pasisync_queue', '');
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER jobs_notify_insert AFTER INSERT ON queue.jobs
    FOR EACH STATEMENT EXECUTE FUNCTION queue.notify_jobs();
