-- Getting ready for synchronization (the seed's steps 1 to 4): what Load Local Copy, Initial
-- Synchronization and Hash Synchronization keep beyond the local store itself. People read it with
--   SELECT * FROM sync.file_list;                      -- pasi-initialization.log and the extract files
--   SELECT * FROM sync.hash_sync_status;               -- the last Hash Synchronization, per object type
--   SELECT * FROM sync.feed_cursors;                   -- how far the local store has read PASI's change feed
--   SELECT * FROM sync.download_progress;              -- a Load Local Copy under way, per notification type

-- The validation status of a record (PASI's StudentStatus, StudentSchoolEnrolmentStatus, ...): its
-- source version and its core alerts as PASI sent them (the plugin's AB_PASISTATUS). The Student
-- Status and Student Enrolment Status objects of Hash Synchronization are these rows.
CREATE TABLE pasi.validation_statuses (
    notification_name  text NOT NULL,                -- e.g. StudentStatus, StudentSchoolEnrolmentStatus
    ref_id             text NOT NULL,                -- the record's id as the feed writes it
    school_year        integer,                      -- PASI's end year for a year-scoped status
    pasi_core_version  bigint NOT NULL,              -- the status's source version
    -- [{alertCode, severity, message, acknowledgementStatus, arguments: {key: value}}]
    alerts             jsonb NOT NULL DEFAULT '[]',
    fetched_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (notification_name, ref_id),
    CONSTRAINT school_year_is_between_1905_and_2100 CHECK (school_year BETWEEN 1905 AND 2100),
    CONSTRAINT alerts_is_array CHECK (jsonb_typeof(alerts) = 'array'),
    CONSTRAINT pasi_core_version_is_not_negative CHECK (pasi_core_version >= 0)
);

-- How far the local store has read each notification type of PASI's change feed: the highest
-- version seen. Load Local Copy starts every type from 0 and leaves its cursor here; later
-- processes read the feed from it, so nothing already held is fetched again.
CREATE TABLE sync.feed_cursors (
    notification_type  text PRIMARY KEY,             -- Student, StudentSchoolEnrolment.2026, ...
    version            bigint NOT NULL,
    updated_at         timestamptz NOT NULL DEFAULT now(),
    updated_by_job     bigint,
    CONSTRAINT version_is_not_negative CHECK (version >= 0)
);

-- One row per download batch (a `pasi_download` job) of a Load Local Copy or Hash Synchronization:
-- what it was to fetch, and, once its records are in the store (in the same transaction), what it
-- stored. A batch whose row is finished is never fetched again, even when its job is run again
-- after its worker died between the commit and the job's completion.
CREATE TABLE sync.download_batches (
    job_id             bigint PRIMARY KEY,           -- the pasi_download job
    root_job_id        bigint NOT NULL,              -- the Load Local Copy or Hash Sync it serves
    notification_type  text NOT NULL,
    items              integer NOT NULL,
    stored             integer,
    refused            integer,
    missing            integer,
    finished_at        timestamptz,
    CONSTRAINT items_is_positive CHECK (items > 0)
);
CREATE INDEX download_batches_root ON sync.download_batches (root_job_id, notification_type);

-- One row per object type and school year that a Hash Synchronization checked, with its status
-- (docs/hash-synchronization.md): Matched, Refreshed, Not Synchronized (its setting is off).
CREATE TABLE sync.hash_results (
    job_id             bigint NOT NULL,
    object             text NOT NULL,                -- the seed's name: Student, Student Status, ...
    notification_type  text NOT NULL,
    status             text NOT NULL,
    local_items        integer NOT NULL DEFAULT 0,
    pasi_items         integer,
    to_fetch           integer NOT NULL DEFAULT 0,
    removed            integer NOT NULL DEFAULT 0,
    local_hash         text,
    checked_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, notification_type),
    CONSTRAINT status_is_known CHECK (status IN ('Matched', 'Refreshed', 'Not Synchronized'))
);

-- Files a process wrote (pasi-initialization.log, the extract files, ...), kept with the job that
-- made them so that any host of the cluster can hand them out (`pasisync files list|get`).
CREATE TABLE sync.job_files (
    job_id      bigint NOT NULL,
    name        text NOT NULL,
    content     bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (job_id, name),
    CONSTRAINT name_is_a_plain_file_name CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9._-]*$')
);

-- The lines an Initial Synchronization's batches found, gathered into its files by its report
-- step (one row per line, so batches on any worker write them and nothing is held in memory).
CREATE TABLE sync.initial_sync_lines (
    run_id     bigint NOT NULL,                      -- the initial_sync job
    file       text NOT NULL,                        -- pasi-initialization.log, pasi-init-*.tab
    sort_key   text NOT NULL,
    line       text NOT NULL
);
CREATE INDEX initial_sync_lines_run ON sync.initial_sync_lines (run_id, file, sort_key);

-- The alerts a process of this client raises (Conflicts of Initial Synchronization, ...) are
-- identified by what they are about (`subject`: student:ID, enrolment:ID, pasi-enrolment:REFID,
-- pasi-student:ASN) and their code, so a re-run raises each once, keeps its acknowledgement, and
-- resolves the ones it no longer finds. `raised_by` names the process (its job kind).
ALTER TABLE sync.core_alerts ADD COLUMN subject text, ADD COLUMN raised_by text;
CREATE UNIQUE INDEX core_alerts_open_subject ON sync.core_alerts (subject, alert_code)
    WHERE resolved_at IS NULL AND subject IS NOT NULL;
CREATE INDEX core_alerts_raised_by_open ON sync.core_alerts (raised_by, student_id) WHERE resolved_at IS NULL;
-- PASI's key (RefId + code + arguments) stays the identity of the alerts PASI raises; the ones
-- this client raises are identified by their subject instead.
DROP INDEX sync.core_alerts_open_key;
CREATE UNIQUE INDEX core_alerts_open_key ON sync.core_alerts (ref_id, alert_code, arguments)
    WHERE resolved_at IS NULL AND ref_id IS NOT NULL AND subject IS NULL;
