-- Regular Synchronization switched on: its jobs start at once (sync.start_switched_jobs).
CREATE OR REPLACE FUNCTION sync.after_switch_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.start_switched_jobs();
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER start_switched_jobs AFTER UPDATE OF value ON sync.settings
    FOR EACH ROW WHEN (NEW.key = 'regular_synchronization' AND NEW.value = 'on' AND OLD.value IS DISTINCT FROM NEW.value)
    EXECUTE FUNCTION sync.after_switch_change();
