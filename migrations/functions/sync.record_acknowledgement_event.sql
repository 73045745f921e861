-- A person's acknowledgement of PASI's core alerts goes to PASI:
--   UPDATE sync.core_alerts SET acknowledgement = 'Acknowledged', updated_at = now() WHERE id = 12;
--   SELECT * FROM sync.data_events WHERE table_name = 'sync.core_alerts';   -- what became of it
--
-- PASI's core alerts (those PASI raised on a record's validation status: `severity` set, `ref_id`
-- the record, no `subject`) are PASI's: acknowledging one here must reach PASI (AcknowledgeStatus),
-- or PASI's next word on the status takes the acknowledgement back. A change of their
-- acknowledgement, by `pasisync alerts acknowledge` or by psql, writes a data event
-- (`sync.core_alerts`, the alert's id) in the same transaction, so it is durable before anything is
-- sent; Regular Sync sends it as it sends the SIS's changes (folded per alert into one send of its
-- latest acknowledgement, with the same retries, Maximum Attempts and alerts). The alerts this
-- software raises (Conflicts, Rejections, Failures of its own, which have a `subject`) are local and
-- write nothing. The event is written whatever Event Monitoring says: that switch is about the
-- SIS's tables, and a person's acknowledgement must not be lost while it is off. What PASI itself
-- brings in (PASI Data Available marks its transaction `pasisync.origin = pasi`) writes nothing.
CREATE OR REPLACE FUNCTION sync.record_acknowledgement_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF sync.from_pasi() THEN
        RETURN NULL;
    END IF;
    INSERT INTO sync.data_events (table_name, row_key, operation, changed_columns)
    VALUES ('sync.core_alerts', NEW.id::text, 'U', ARRAY['acknowledgement']);
    PERFORM sync.wake_regular_sync();
    RETURN NULL;
END $$;

-- A row trigger with a WHEN: the alerts' other updates (PASI's messages, resolving) cost nothing.
CREATE OR REPLACE TRIGGER core_alerts_acknowledgement_to_pasi
    AFTER UPDATE OF acknowledgement ON sync.core_alerts
    FOR EACH ROW
    WHEN (OLD.acknowledgement IS DISTINCT FROM NEW.acknowledgement
          AND NEW.severity IS NOT NULL AND NEW.ref_id IS NOT NULL AND NEW.subject IS NULL)
    EXECUTE FUNCTION sync.record_acknowledgement_event();
