-- The database roles pasisync's logins are members of, and what each may do on every schema
-- (docs/roles.md).
-- Re-applied after every migration, so a table a migration adds is granted at once. Roles belong to
-- the PostgreSQL cluster, not to one database: the first database migrated creates them, and the
-- migrating login needs CREATEROLE for that (or an administrator creates them beforehand).
--   pasisync_worker   the cluster's processes: read and write every table, no DDL, no TRUNCATE.
--   pasisync_operator people who run processes, acknowledge and delete alerts, change settings,
--                     upload files; read everything else.
--   pasisync_monitor  dashboards and alerting: queue counts and progress, no personal data.
--   pasisync_console  the web console (`pasisync console`): what its pages read and its actions do.
-- The owner (the login that migrates) owns every object and is the only one that changes the schema.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['pasisync_worker', 'pasisync_operator', 'pasisync_monitor', 'pasisync_console'] LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = name);
        BEGIN
            EXECUTE format('CREATE ROLE %I NOLOGIN', name);
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL;  -- another database's migrate made it just now
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'the role % does not exist, and % may not create roles', name, current_user
                    USING HINT = format('migrate once as a login with CREATEROLE, or have an administrator run CREATE ROLE %I NOLOGIN', name);
        END;
    END LOOP;
END $$;

-- Nobody else: no schema is usable by PUBLIC.
REVOKE ALL ON SCHEMA queue, sync, sis, pasi, console FROM PUBLIC;

-- The cluster.
GRANT USAGE ON SCHEMA queue, sync, sis, pasi TO pasisync_worker;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA queue, sync, sis, pasi TO pasisync_worker;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA queue, sync, sis, pasi TO pasisync_worker;

-- People. They read everything, including the local PASI store and the SIS, to resolve conflicts.
GRANT USAGE ON SCHEMA queue, sync, sis, pasi TO pasisync_operator;
GRANT SELECT ON ALL TABLES IN SCHEMA queue, sync, sis, pasi TO pasisync_operator;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA queue, sync TO pasisync_operator;
GRANT INSERT, UPDATE ON queue.jobs TO pasisync_operator;                 -- run, cancel, retry
GRANT INSERT, UPDATE, DELETE ON queue.schedules TO pasisync_operator;    -- schedules of their own
GRANT UPDATE, DELETE ON sync.core_alerts TO pasisync_operator;           -- acknowledge, delete
GRANT UPDATE (value) ON sync.settings TO pasisync_operator;              -- read-only ones stay refused
GRANT INSERT, UPDATE, DELETE ON sync.school_term_rules TO pasisync_operator;
GRANT INSERT ON sync.job_files TO pasisync_operator;                     -- uploads
GRANT UPDATE (course_mark_integration_status) ON sis.schools TO pasisync_operator;
-- What their changes write through triggers that run as them: an acknowledgement's data event, a
-- switched-on Regular Synchronization's mark, a setting's kind limits.
GRANT INSERT ON sync.data_events, sync.regular_synchronization_switched_on TO pasisync_operator;
GRANT UPDATE ON queue.job_kinds TO pasisync_operator;

-- Dashboards: these views and nothing under them (a view reads its tables as its owner).
GRANT USAGE ON SCHEMA queue, sync TO pasisync_monitor;
GRANT SELECT ON queue.kind_counts, queue.live_workers, queue.schedule_list, queue.job_progress,
                sync.data_event_backlog, sync.data_event_outcomes, sync.download_progress,
                sync.hash_sync_status, sync.message_outcomes, sync.open_alert_counts
    TO pasisync_monitor;

-- The web console (docs/console.md, "Its database"): exactly what its pages read and its actions
-- do, nothing more. Rights are granted table by table (never ALL TABLES), so a table a later
-- migration adds stays closed to it until a page needs it. Its users sign in with a name and a
-- password checked against console.users; they act through this one login, and the audit log says who.
GRANT USAGE ON SCHEMA queue, sync, sis, pasi, console TO pasisync_console;
-- Its own schema: read users to check a login (users are added by `pasisync users`, as the owner),
-- open and end sessions, append to the audit log, which it can neither change nor empty.
GRANT SELECT ON console.users, console.audit_trail TO pasisync_console;
GRANT SELECT, INSERT, DELETE ON console.sessions TO pasisync_console;
GRANT INSERT ON console.audit_log TO pasisync_console;
-- Synchronization Queue: the list, the counts; Run Now (insert), cancel and retry (update).
GRANT SELECT ON queue.job_list, queue.cluster, queue.job_kinds TO pasisync_console;
GRANT SELECT, INSERT, UPDATE ON queue.jobs TO pasisync_console;
-- Run Now's checks (the seed's refusals): the settings, the schools, whether the local store is
-- loaded, a school's term set-up and its Initial Uploads.
GRANT SELECT ON sync.settings, sis.schools, pasi.schools, sync.school_integration_status, sync.school_term_facts,
                sync.initial_uploads TO pasisync_console;
-- PASI Core Alerts: read, acknowledge, delete (the acknowledgement's trigger writes its data event).
-- No INSERT: the Failure alert of a sync job that a cancel fails is written by
-- sync.after_sync_job_failed, SECURITY DEFINER.
GRANT SELECT, UPDATE, DELETE ON sync.core_alerts TO pasisync_console;
GRANT INSERT ON sync.data_events TO pasisync_console;
GRANT SELECT ON sync.regular_sync_draining TO pasisync_console;  -- whether that event wakes Regular Sync now
-- A student's page: the SIS record and its enrolments, the local PASI copy and its enrolments, the
-- matches between them, the student's data events. The PASI messages about the student come from
-- sync.messages_about (SECURITY DEFINER): the console never reads a message's body.
GRANT SELECT ON sis.students, sis.enrolments, pasi.students, pasi.student_names, pasi.student_addresses,
                pasi.student_phones, pasi.school_enrolments, sync.student_matches, sync.enrolment_matches,
                sync.data_events, sync.data_events_archive
    TO pasisync_console;
REVOKE ALL ON FUNCTION sync.messages_about(text, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sync.messages_about(text, integer) TO pasisync_console, pasisync_operator;
-- /metrics: the same views as the monitor's dashboards.
GRANT SELECT ON queue.kind_counts, sync.data_event_backlog, sync.open_alert_counts TO pasisync_console;
-- Synchronization Settings, Caller Information and Logs: an admin changes a value (and who changed
-- it, which the trigger keeps), never a definition (the trigger refuses that to everyone but the
-- migrations). What the change writes through triggers that run as the console: the sync kinds'
-- limits follow the settings (queue.job_kinds), a switched-on Regular Synchronization's mark.
GRANT UPDATE (value, updated_by) ON sync.settings TO pasisync_console;
GRANT UPDATE (family) ON queue.job_kinds TO pasisync_console;
GRANT INSERT ON sync.regular_synchronization_switched_on TO pasisync_console;
-- Schedules and Workers: read only (queue.upcoming_runs reads queue.schedules as its caller).
GRANT SELECT ON queue.schedule_list, queue.schedules, queue.live_workers TO pasisync_console;
-- Initial Synchronization, Initial Upload, DER Initial Download: the files their jobs keep, to
-- download (every download audited), and Update Integration Status (its trigger refuses Active
-- before the Initial Upload completed, as for the operator).
GRANT SELECT ON sync.file_list, sync.job_files TO pasisync_console;
GRANT UPDATE (course_mark_integration_status) ON sis.schools TO pasisync_console;
-- The Reconciliation Process: a result kept a day for the user who ran it (migration 0043).
GRANT SELECT, INSERT, DELETE ON console.reconciliations TO pasisync_console;
-- DER Initial Download's Step 3: the diploma courses' section facts (a view: no personal data).
GRANT SELECT ON sync.diploma_section_facts TO pasisync_console;
