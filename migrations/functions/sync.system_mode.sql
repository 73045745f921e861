-- `pasisync.system = 'on'`, as the guards read it: set by a trusted caller (sync.trusted_caller).
-- PL/pgSQL, not SQL, so that it may sort before the function it calls.
CREATE OR REPLACE FUNCTION sync.system_mode() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN coalesce(current_setting('pasisync.system', true), '') = 'on' AND sync.trusted_caller();
END $$;
