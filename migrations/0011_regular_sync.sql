-- Regular synchronization (issue 10): Event Monitoring becomes the seed's switch, every data event
-- keeps what became of it, a record that PASI cannot take for now waits on its own, and the
-- changes the synchronization itself writes into sis.* (PASI's side coming in) are not sent back.
--   UPDATE sync.settings SET value = 'on' WHERE key = 'event_monitoring';   -- triggers write events
--   SELECT * FROM sync.data_event_backlog;                                  -- what waits, per table
--   SELECT * FROM sync.data_event_outcomes;                                 -- what became of them

SELECT set_config('pasisync.system', 'on', true);

-- Event Monitoring is the switch of the seed's "Enable Event Monitoring" (there it is flipped on
-- another page and needs a restart). Here the triggers read it once per statement, so it takes
-- effect from the next statement on, without a restart.
UPDATE sync.settings
SET read_only = false, needs_restart = false,
    note = 'On: the triggers of sis.* write data events from the next statement on (no restart needed). '
        || 'Keep it off during a district Initial Synchronization, which is refused while it is on.'
WHERE key = 'event_monitoring';

-- What became of an event: Pending until regular synchronization has handled it; then Sent (PASI
-- accepted the record's state at pasi_version), Rejected (a business rule; PASI's messages in
-- detail and a Rejection alert), Conflict (PASI's copy changed since ours: a Conflict alert for a
-- person, nothing overwritten), Failed (Maximum Attempts spent: a Failure alert) or Skipped (not
-- sent, detail says why: a one-way item, a switch that is off, an Inactive school, ...).
ALTER TABLE sync.data_events
    ADD COLUMN status text NOT NULL DEFAULT 'Pending',
    ADD COLUMN handled_at timestamptz,
    ADD COLUMN pasi_version bigint,
    ADD COLUMN detail text,
    ADD CONSTRAINT status_is_known CHECK (status IN ('Pending', 'Sent', 'Rejected', 'Conflict', 'Failed', 'Skipped')),
    ADD CONSTRAINT handled_when_not_pending CHECK ((status = 'Pending') = (handled_at IS NULL));
CREATE INDEX data_events_pending ON sync.data_events (id) WHERE status = 'Pending';
CREATE INDEX data_events_record ON sync.data_events (table_name, row_key, id);

ALTER TABLE sync.data_events_archive
    ADD COLUMN status text NOT NULL DEFAULT 'Sent',
    ADD COLUMN handled_at timestamptz,
    ADD COLUMN pasi_version bigint,
    ADD COLUMN detail text;

-- A record whose last submit failed for a reason a retry may fix (an outage, a timeout, PASI's
-- 9001 or 9014): its events stay Pending and wait until retry_at, while the other records' events
-- go on. The row goes when the record is sent, or when Maximum Attempts are spent (Failed).
CREATE TABLE sync.outbound_retries (
    table_name    text NOT NULL,
    row_key       text NOT NULL,
    attempts      integer NOT NULL,
    retry_at      timestamptz NOT NULL,
    last_error    text NOT NULL,
    first_failed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, row_key),
    CONSTRAINT attempts_is_positive CHECK (attempts > 0)
);

-- What was sent to PASI for a record and not yet settled: the digest of each record content
-- submitted (its version left out). When a submit is answered "stale version" (3004), PASI's copy
-- is compared with these: if PASI holds what we sent (an earlier submit whose answer was lost to a
-- crash or a timeout), the change is ours, not a Conflict, and is not applied twice.
CREATE TABLE sync.outbound_in_flight (
    table_name  text NOT NULL,
    row_key     text NOT NULL,
    digest      text NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (table_name, row_key, digest)
);
