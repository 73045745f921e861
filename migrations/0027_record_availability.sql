-- Records PASI no longer shows this client (issue 20, item 4). A Get answers each record with an
-- Availability Status (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/get_section.html):
-- Normal, No Access (the organization may not see it: no association to the student) or Unknown
-- (PASI does not know the id). The last two are access outcomes, not deletions: the local copy
-- stays in its pasi.* table, and this row marks it, from when, until PASI answers Normal again.
-- A marked record is not sent to PASI and not fetched again each run (docs/pasi-protocol.md,
-- "Availability Status"; docs/hash-synchronization.md).
--   SELECT * FROM sync.unavailable_records;   -- what people look at
CREATE TABLE pasi.record_availability (
    -- The record type (`Student`, `StudentSchoolEnrolment`, …) or status type (`StudentStatus`).
    record_type   text NOT NULL,
    ref_id        text NOT NULL,
    availability  text NOT NULL CONSTRAINT availability_is_known CHECK (availability IN ('NoAccess', 'Unknown')),
    -- When PASI first answered this availability (a change between the two starts it again).
    since         timestamptz NOT NULL DEFAULT now(),
    -- When a Get last answered it.
    last_seen_at  timestamptz NOT NULL DEFAULT now(),
    -- The job whose Get answered it first.
    job_id        bigint,
    PRIMARY KEY (record_type, ref_id)
);

-- A download batch's count of records PASI answered No Access or Unknown (kept and marked);
-- `missing` is what PASI deleted (IsDeleted), which leaves the local copy.
ALTER TABLE sync.download_batches
    ADD COLUMN no_access integer NOT NULL DEFAULT 0,
    ADD COLUMN unknown   integer NOT NULL DEFAULT 0;
