-- What the synchronization itself keeps: core alerts, the SIS <-> PASI matches, the data events
-- that event monitoring writes (and their archive), and the log of calls to PASI. Plus the
-- event-monitoring triggers on the synchronized SIS tables, and views people read in psql:
--   SELECT * FROM sync.open_alert_counts;
--   SELECT * FROM sync.open_alerts WHERE alert_type = 'Conflict' LIMIT 20;
--   SELECT * FROM sync.data_event_backlog;
--   SELECT * FROM sync.message_outcomes;

-- Core alerts and the plugin's own alerts (Conflict from initial synchronization, Failure,
-- Rejection), one row per alert. `arguments` is PASI's key/value set: a jsonb object, so that
-- equality ignores the order of keys, as PASI's acknowledgement matching does.
CREATE TABLE sync.core_alerts (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_type       text NOT NULL,
    status_type      text NOT NULL,
    conflict_type    text,
    -- PASI's own classification of a core alert (Error, Warning, Advice, Reminder); NULL for the
    -- alerts this software raises.
    severity         text,
    alert_code       text NOT NULL,
    message          text,
    -- The PASI record the alert hangs off; NULL when there is none (an unmatched SIS student).
    ref_id           text,
    -- The records on either side, as far as known.
    asn              char(9),
    student_id       integer,
    enrolment_id     integer,
    school_code      char(4),
    school_year      integer,                    -- PASI's end year
    acknowledgement  text NOT NULL DEFAULT 'Unacknowledged',
    arguments        jsonb NOT NULL DEFAULT '{}',
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    resolved_at      timestamptz,
    CONSTRAINT alert_type_is_known CHECK (alert_type IN ('Conflict', 'Failure', 'Rejection', 'Warning', 'Advice')),
    CONSTRAINT status_type_is_known CHECK (status_type IN
        ('Student', 'Enrolment', 'Section', 'Course Enrolment', 'Evaluated Mark', 'External Credential',
         'Classroom Accommodation')),
    CONSTRAINT conflict_type_is_known CHECK (conflict_type IN
        ('School Enrolment', 'Summer School Enrolment', 'Unmatched ASN', 'Legal Name & Identification', 'Gender',
         'Primary ASN', 'Preferred Name', 'Other Name', 'Mailing Address', 'Permanent Address', 'Preferred Address',
         'Phone Number', 'Preferred Phone Number', 'Citizenship Status', 'Section 23', 'Disclosure Restriction',
         'Birth Date', 'Enrolment Exit Date', 'Missing Enrolment')),
    CONSTRAINT conflict_type_only_on_conflicts CHECK (conflict_type IS NULL OR alert_type = 'Conflict'),
    CONSTRAINT severity_is_known CHECK (severity IN ('Error', 'Warning', 'Advice', 'Reminder')),
    CONSTRAINT acknowledgement_is_known CHECK (acknowledgement IN ('Unacknowledged', 'In Progress', 'Acknowledged', 'Overridden')),
    CONSTRAINT arguments_is_object_of_strings CHECK (jsonb_typeof(arguments) = 'object'
        AND NOT jsonb_path_exists(arguments, '$.* ? (@.type() != "string")')),
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT resolved_not_before_created CHECK (resolved_at >= created_at)
);
-- One open alert per PASI key (RefId + alert code + argument set).
CREATE UNIQUE INDEX core_alerts_open_key ON sync.core_alerts (ref_id, alert_code, arguments)
    WHERE resolved_at IS NULL AND ref_id IS NOT NULL;
CREATE INDEX core_alerts_open ON sync.core_alerts (alert_type, status_type, created_at) WHERE resolved_at IS NULL;
CREATE INDEX core_alerts_student ON sync.core_alerts (student_id) WHERE student_id IS NOT NULL;
CREATE INDEX core_alerts_asn ON sync.core_alerts (asn) WHERE asn IS NOT NULL;

-- SIS <-> PASI matches. No foreign keys to sis: when a SIS row is deleted, the data event that
-- follows must still find the PASI record it was matched with.
CREATE TABLE sync.student_matches (
    student_id   integer PRIMARY KEY,                 -- sis.students.id
    asn          char(9) NOT NULL UNIQUE,
    quality      text NOT NULL,
    matched_at   timestamptz NOT NULL DEFAULT now(),
    matched_by   text NOT NULL DEFAULT current_user,
    CONSTRAINT asn_is_nine_digits CHECK (asn ~ '^[0-9]{9}$'),
    CONSTRAINT match_quality_is_high_medium_or_low CHECK (quality IN ('High', 'Medium', 'Low'))
);

CREATE TABLE sync.enrolment_matches (
    enrolment_id  integer PRIMARY KEY,                -- sis.enrolments.id
    ref_id        uuid NOT NULL UNIQUE,               -- pasi.school_enrolments.ref_id
    quality       text NOT NULL,
    matched_at    timestamptz NOT NULL DEFAULT now(),
    matched_by    text NOT NULL DEFAULT current_user,
    CONSTRAINT match_quality_is_high_medium_or_low CHECK (quality IN ('High', 'Medium', 'Low'))
);

-- The data event queue: one row per inserted, updated or deleted row of a synchronized SIS
-- table, written by the triggers below while event monitoring is on; drained in id order.
CREATE TABLE sync.data_events (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name       text NOT NULL,               -- e.g. sis.students
    row_key          text NOT NULL,               -- the row's key as text, e.g. its id
    operation        char(1) NOT NULL,
    -- UPDATE: the columns whose value changed; INSERT: the columns given a non-NULL value;
    -- DELETE: empty. Sorted by name.
    changed_columns  text[] NOT NULL DEFAULT '{}',
    occurred_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT operation_is_i_u_or_d CHECK (operation IN ('I', 'U', 'D'))
);
CREATE INDEX data_events_occurred_at ON sync.data_events (occurred_at);

-- Events moved out of the queue by archiving (Archive Events Older Than N days).
CREATE TABLE sync.data_events_archive (
    id               bigint PRIMARY KEY,
    table_name       text NOT NULL,
    row_key          text NOT NULL,
    operation        char(1) NOT NULL,
    changed_columns  text[] NOT NULL DEFAULT '{}',
    occurred_at      timestamptz NOT NULL,
    archived_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT operation_is_i_u_or_d CHECK (operation IN ('I', 'U', 'D'))
);

-- Every call to PASI Core (the Messages Log): its CallerInfo.ClientMessageID, what it asked,
-- when, how long it took and how it ended.
CREATE TABLE sync.message_log (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    client_message_id   uuid NOT NULL UNIQUE,
    operation           text NOT NULL,             -- e.g. SubmitStudentSchoolEnrolment, IsDataAvailable
    sent_at             timestamptz NOT NULL,
    duration_ms         integer,
    outcome             text NOT NULL,
    fault_code          integer,                   -- PASI's fault number, e.g. 3004
    detail              text,
    job_id              bigint,                    -- the queue job that made the call, if any
    CONSTRAINT duration_is_not_negative CHECK (duration_ms >= 0),
    CONSTRAINT outcome_is_known CHECK (outcome IN ('Success', 'Rejected', 'Fault', 'Timeout', 'Error')),
    CONSTRAINT fault_code_only_on_faults CHECK (fault_code IS NULL OR outcome = 'Fault')
);
CREATE INDEX message_log_sent_at ON sync.message_log (sent_at);
