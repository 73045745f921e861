-- TRUNCATE skips row triggers: refuse it as sync.before_change_setting refuses a DELETE.
CREATE OR REPLACE FUNCTION sync.refuse_truncate_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT sync.system_mode() THEN
        RAISE EXCEPTION 'settings cannot be removed: the set of keys is fixed by the migrations'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER before_truncate BEFORE TRUNCATE ON sync.settings
    FOR EACH STATEMENT EXECUTE FUNCTION sync.refuse_truncate_settings();
