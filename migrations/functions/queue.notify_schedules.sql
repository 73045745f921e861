-- Firers sleep until the earliest next_run_at: tell them when any schedule changes.
CREATE OR REPLACE FUNCTION queue.notify_schedules() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pasisync_queue', 'schedules');
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER schedules_notify AFTER INSERT OR UPDATE OR DELETE ON queue.schedules
    FOR EACH STATEMENT EXECUTE FUNCTION queue.notify_schedules();
