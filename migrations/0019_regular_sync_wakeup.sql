-- Regular Sync's wake-up without serializing the SIS's commits (issue 10: the burst target).
--   SELECT * FROM sync.regular_sync_draining;   -- until when Regular Sync says it is draining
--
-- The event-monitoring triggers used to NOTIFY pasisync_events from every SIS transaction that
-- wrote a data event. PostgreSQL serializes the commits of notifying transactions: it takes a
-- database-wide lock when the notification is queued and holds it through the commit's WAL flush,
-- so those commits cannot share a flush. With Event Monitoring on, the SIS's own edits ran at half
-- the rate (4 pgbench clients updating a phone, same run: 294 edits/s with the NOTIFY, 551 without,
-- 606 with Event Monitoring off).
--
-- A NOTIFY is only needed when Regular Sync may be waiting. While it drains (it reads the next
-- round as soon as one is done) it says so here, renewing a short lease every round, and the
-- triggers send no NOTIFY. When a round finds nothing it ends the lease and, before its long wait,
-- looks again after 50 ms, 100 ms, 200 ms, ... (RegularSync.idleRecheck): a transaction that wrote
-- its event during the lease and committed after the last round read is found by one of those looks.
-- A lease left by a worker that died ends by itself within seconds.

CREATE TABLE sync.regular_sync_draining (
    only_row       boolean PRIMARY KEY DEFAULT true,
    -- Regular Sync is draining until then; NULL or past: it may be waiting, so wake it.
    draining_until timestamptz,
    CONSTRAINT one_row CHECK (only_row)
);
INSERT INTO sync.regular_sync_draining DEFAULT VALUES;
