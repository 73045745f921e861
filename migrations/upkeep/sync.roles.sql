-- The database roles pasisync's logins are members of, and what each may do on every schema
-- (docs/roles.md).
-- Re-applied after every migration, so a table a migration adds is granted at once. Roles belong to
-- the PostgreSQL cluster, not to one database: the first database migrated creates them, and the
-- migrating login needs CREATEROLE for that (or an administrator creates them beforehand).
--   pasisync_worker   the cluster's processes: read and write every table, no DDL, no TRUNCATE.
--   pasisync_operator people who run processes, acknowledge and delete alerts, change settings,
--                     upload files; read everything else.
--   pasisync_monitor  dashboards and alerting: queue counts and progress, no personal data.
-- The owner (the login that migrates) owns every object and is the only one that changes the schema.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['pasisync_worker', 'pasisync_operator', 'pasisync_monitor'] LOOP
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
REVOKE ALL ON SCHEMA queue, sync, sis, pasi FROM PUBLIC;

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
