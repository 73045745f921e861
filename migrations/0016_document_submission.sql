-- Daily Document Submission (`document_submission`): what this client sent PASI of each SIS
-- student record document. The high-water mark is kept per document, as the digest of the
-- content PASI last accepted, rather than as a time: a document edited while a run is under way,
-- or by a clock behind the database's, is still seen as changed by the next run, and a run that
-- dies half way has kept every accepted document, so its retry sends only the rest.
--   SELECT * FROM sync.document_submissions WHERE document_id = 12;
CREATE TABLE sync.document_submissions (
    -- sis.student_record_documents.id; no foreign key, so PASI's RefId outlives the SIS row.
    document_id        integer PRIMARY KEY,
    -- Chosen by this client before the first submit and kept, so a resubmit after a lost answer
    -- is the same create and PASI answers it as the first time.
    ref_id             uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
    -- The digest of the content PASI last accepted; NULL before it accepted any.
    sent_digest        text,
    -- PASI's version of the record after that submit; 0 before PASI holds it.
    pasi_core_version  bigint NOT NULL DEFAULT 0,
    -- The digest of a submit sent and not yet answered (a crash, a timeout): a 3004 that finds
    -- this content in PASI is our own earlier submit, not someone else's change.
    in_flight_digest   text,
    -- The digest of the content PASI rejected last: unchanged, it is not sent again (its
    -- Rejection alert stays open until the document is corrected).
    rejected_digest    text,
    sent_at            timestamptz,
    job_id             bigint,
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);
