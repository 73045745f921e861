-- A new time zone moves every calendar rule.
CREATE OR REPLACE FUNCTION queue.after_change_cluster() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE queue.schedules
    SET next_run_at = queue.next_slot(name, every, calendar, now(), NEW.time_zone)
    WHERE enabled AND calendar IS NOT NULL;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER cluster_after_change AFTER UPDATE OF time_zone ON queue.cluster
    FOR EACH ROW WHEN (NEW.time_zone IS DISTINCT FROM OLD.time_zone)
    EXECUTE FUNCTION queue.after_change_cluster();
