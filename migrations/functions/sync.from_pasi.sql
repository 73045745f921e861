-- `pasisync.origin = 'pasi'`, as the data-event triggers read it: the transaction writes what came
-- from PASI and must not send it back, and says so as a trusted caller (sync.trusted_caller). A
-- person's session that sets the switch still writes its events.
-- PL/pgSQL, not SQL, so that it may sort before the function it calls.
CREATE OR REPLACE FUNCTION sync.from_pasi() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce(current_setting('pasisync.origin', true), '') = 'pasi' AND sync.trusted_caller();
END $$;
