-- Maintenance processes (issue 10): Archiving, End of Year, Core Alerts Reconciliation, and the
-- Messages Log's bodies.
--   INSERT INTO queue.jobs (kind) VALUES ('archive_events');         -- Archive Events – Manual
--   INSERT INTO queue.jobs (kind) VALUES ('alerts_reconciliation');  -- Full Reconciliation – Manual
--   INSERT INTO queue.jobs (kind) VALUES ('end_of_year');            -- End of Year
--   SELECT * FROM sync.end_of_year_runs ORDER BY school_year;        -- each year rolled over

-- Archiving takes the oldest handled events first, batch by batch; Pending ones are never taken,
-- so the index leaves them out.
CREATE INDEX data_events_archivable ON sync.data_events (occurred_at, id) WHERE status <> 'Pending';

-- One row per End of Year: the school year that became current, the one before it, and
-- Historical Years for School Enrolment Integration before and after. Written in the same
-- transaction as the two settings, so a run killed half-way leaves nothing half-done, and a
-- second End of Year for the same year is refused (the primary key).
CREATE TABLE sync.end_of_year_runs (
    school_year        integer PRIMARY KEY,          -- PASI's end year of the new current year
    previous_year      integer,                      -- NULL when none was set (0000-0000)
    historical_before  integer NOT NULL,
    historical_after   integer NOT NULL,
    job_id             bigint,
    done_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT new_year_after_previous CHECK (previous_year IS NULL OR school_year > previous_year),
    CONSTRAINT historical_years_in_range CHECK (historical_before BETWEEN 0 AND 2 AND historical_after BETWEEN 0 AND 2)
);

-- The Messages Log (Logs › Messages Log, off by default): while it is on, each call's SOAP
-- request and answer are kept beside its ClientMessageID row (cut at 1 MiB each). The row itself
-- is written for every call whatever the switch says: PASI asks for the ClientMessageID.
ALTER TABLE sync.message_log ADD COLUMN request_body text, ADD COLUMN response_body text;

-- Core Alerts Reconciliation asks whether a record was resubmitted and accepted after its alert:
-- a Sent event of the same table and row, in the queue (data_events_record, migration 0011) or
-- in the archive.
CREATE INDEX data_events_archive_record ON sync.data_events_archive (table_name, row_key);
