-- The cluster's time zone must be one PostgreSQL knows: every calendar rule is read in it.
CREATE OR REPLACE FUNCTION queue.before_change_cluster() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = NEW.time_zone) THEN
        RAISE EXCEPTION 'time zone "%" is not known to PostgreSQL', NEW.time_zone
            USING ERRCODE = 'check_violation',
                  HINT = 'use a name of pg_timezone_names, e.g. America/Edmonton';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER cluster_before_change BEFORE INSERT OR UPDATE ON queue.cluster
    FOR EACH ROW EXECUTE FUNCTION queue.before_change_cluster();
