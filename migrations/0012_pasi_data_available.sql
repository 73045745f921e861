-- PASI -> SIS (issue 10): the PASI Data Available process (`pasi_data_available`) follows PASI's
-- change feed for as long as Regular Synchronization is on. What it fetched is in pasi.* with the
-- feed cursor; the students whose PASI side changed wait here until they have been compared with
-- the SIS (a Conflict raised, or cleared), so a failure between the two steps loses no comparison.
--   SELECT * FROM sync.pasi_changes_to_compare;     -- students waiting for their comparison
--   SELECT * FROM queue.job_list WHERE kind = 'pasi_data_available';

CREATE TABLE sync.pasi_changes_to_compare (
    asn            char(9) PRIMARY KEY,                -- the PASI student (pasi.students.ref_id)
    marked_at      timestamptz NOT NULL DEFAULT now(),
    marked_by_job  bigint,
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$')
);
