-- Checks the rule and keeps next_run_at filled in: recomputed when the rule, the kind or the
-- switch changes; left alone when only next_run_at changes (the firer moving it, or a person
-- setting it to now() to run a schedule at once).
CREATE OR REPLACE FUNCTION queue.before_change_schedule() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    by_owner boolean := sync.system_mode();
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.follows IS NOT NULL AND NOT by_owner
       AND (NEW.kind, NEW.args, NEW.enabled, NEW.every, NEW.calendar, NEW.follows)
           IS DISTINCT FROM (OLD.kind, OLD.args, OLD.enabled, OLD.every, OLD.calendar, OLD.follows) THEN
        RAISE EXCEPTION 'schedule "%" follows the settings %: change them instead', OLD.name, OLD.follows
            USING ERRCODE = 'restrict_violation',
                  HINT = 'pasisync settings set KEY VALUE, or UPDATE sync.settings SET value = ... WHERE key = ...';
    END IF;
    IF TG_OP = 'INSERT'
       OR (NEW.every, NEW.calendar, NEW.enabled, NEW.kind) IS DISTINCT FROM (OLD.every, OLD.calendar, OLD.enabled, OLD.kind)
       OR (NEW.enabled AND NEW.next_run_at IS NULL) THEN
        -- Computed even while disabled, so that a bad rule is refused when it is written.
        NEW.next_run_at := queue.next_slot(NEW.name, NEW.every, NEW.calendar, now(), (SELECT time_zone FROM queue.cluster));
    END IF;
    IF NOT NEW.enabled THEN NEW.next_run_at := NULL; END IF;
    NEW.updated_at := now();
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER schedules_before_change BEFORE INSERT OR UPDATE ON queue.schedules
    FOR EACH ROW EXECUTE FUNCTION queue.before_change_schedule();
