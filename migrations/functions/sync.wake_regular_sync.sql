-- NOTIFY pasisync_events unless Regular Sync is draining.
--
-- A NOTIFY is only needed when Regular Sync may be waiting. While it drains (it reads the next
-- round as soon as one is done) it says so in sync.regular_sync_draining, renewing a short lease
-- every round, and the triggers send no NOTIFY. When a round finds nothing it ends the lease and,
-- before its long wait, looks again after 50 ms, 100 ms, 200 ms, ... (RegularSync.idleRecheck): a
-- transaction that wrote its event during the lease and committed after the last round read is
-- found by one of those looks. A lease left by a worker that died ends by itself within seconds.
CREATE OR REPLACE FUNCTION sync.wake_regular_sync() RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM sync.regular_sync_draining WHERE draining_until > clock_timestamp()) THEN
        PERFORM pg_notify('pasisync_events', '');
    END IF;
END $$;
