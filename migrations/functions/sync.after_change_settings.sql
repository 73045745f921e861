-- Any change of a value: the schedules and the sync kinds follow.
CREATE OR REPLACE FUNCTION sync.after_change_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.apply_schedules();
    UPDATE queue.job_kinds SET family = family WHERE family = 'sync';  -- the trigger above fills them in
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER settings_move_schedules AFTER UPDATE OF value ON sync.settings
    FOR EACH STATEMENT EXECUTE FUNCTION sync.after_change_settings();
