-- Holds every change to the rules: people change values, only migrations (pasisync.system = 'on')
-- add or remove keys, change their definitions, or set read-only values; the software sets those
-- read-only values the same way (SettingsStore.setBySoftware). Values and defaults are kept in
-- their canonical spelling (sync.setting_value). Who changed a value: the name the software gives
-- in pasisync.updated_by (`pasisync settings set --by`), kept even when the same name changed it
-- last; a psql UPDATE that names no one is recorded as its database user.
CREATE OR REPLACE FUNCTION sync.before_change_setting() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    by_software boolean := sync.system_mode();
    definition_changed boolean;
BEGIN
    IF TG_OP IN ('INSERT', 'DELETE') AND NOT by_software THEN
        RAISE EXCEPTION 'settings cannot be added or removed: the set of keys is fixed by the migrations'
            USING ERRCODE = 'restrict_violation',
                  HINT = 'change a value with UPDATE sync.settings SET value = ... WHERE key = ..., or pasisync settings set KEY VALUE';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    IF TG_OP = 'UPDATE' THEN
        definition_changed := to_jsonb(NEW) - '{value,updated_at,updated_by}'::text[]
                              IS DISTINCT FROM to_jsonb(OLD) - '{value,updated_at,updated_by}'::text[];
        IF definition_changed AND NOT by_software THEN
            RAISE EXCEPTION 'only the value of % can change: its definition comes from the migrations', OLD.key
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.value IS DISTINCT FROM OLD.value AND OLD.read_only AND NOT by_software THEN
            RAISE EXCEPTION '% is read-only: only the software sets it', OLD.key
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- A psql UPDATE that names no one is recorded as its database user; the software names
        -- itself in pasisync.updated_by (a second change by the same process kept its name).
        IF NEW.updated_by IS NOT DISTINCT FROM OLD.updated_by THEN
            NEW.updated_by := coalesce(nullif(current_setting('pasisync.updated_by', true), ''), session_user);
        END IF;
        NEW.updated_at := now();
    END IF;
    IF TG_OP = 'INSERT' OR definition_changed THEN
        NEW.default_value := sync.setting_value(NEW, NEW.default_value);
    END IF;
    NEW.value := sync.setting_value(NEW, NEW.value);
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER before_change BEFORE INSERT OR UPDATE OR DELETE ON sync.settings
    FOR EACH ROW EXECUTE FUNCTION sync.before_change_setting();
