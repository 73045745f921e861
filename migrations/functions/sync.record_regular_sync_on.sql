-- Regular Synchronization switched on: remembered for good, so `pasisync seed` refuses this
-- database from then on (its sis.* is a SIS's, its pasi.* PASI's), even after it is switched off.
CREATE OR REPLACE FUNCTION sync.record_regular_sync_on() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO sync.regular_synchronization_switched_on (switched_by) VALUES (NEW.updated_by);
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER record_regular_sync_on AFTER UPDATE OF value ON sync.settings
    FOR EACH ROW WHEN (NEW.key = 'regular_synchronization' AND NEW.value = 'on' AND OLD.value IS DISTINCT FROM NEW.value)
    EXECUTE FUNCTION sync.record_regular_sync_on();
