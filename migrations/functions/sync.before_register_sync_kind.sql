-- Sync kinds: Maximum Attempts and Keep Synchronization History, whenever a kind is registered.
CREATE OR REPLACE FUNCTION sync.before_register_sync_kind() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.family = 'sync' THEN
        NEW.max_attempts := sync.setting('maximum_attempts')::int;
        NEW.keep_history := sync.setting('keep_synchronization_history')::int;
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER job_kinds_follow_sync_settings BEFORE INSERT OR UPDATE ON queue.job_kinds
    FOR EACH ROW EXECUTE FUNCTION sync.before_register_sync_kind();
