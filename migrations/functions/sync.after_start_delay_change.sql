-- The Start Delay changed: the jobs waiting for it decide again from the new value.
CREATE OR REPLACE FUNCTION sync.after_start_delay_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.wake_start_delay_waits();
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER start_delay_wakes_waits AFTER UPDATE OF value ON sync.settings
    FOR EACH ROW WHEN (NEW.key = 'start_delay_minutes' AND OLD.value IS DISTINCT FROM NEW.value)
    EXECUTE FUNCTION sync.after_start_delay_change();
