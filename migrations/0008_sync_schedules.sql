-- The seed's schedules follow its settings (sync.apply_schedules, run by upkeep/sync.seed_schedules.sql);
-- sync kinds take their attempts and history from the settings (sync.before_register_sync_kind); a
-- sync job that fails for good raises a Failure alert (sync.after_sync_job_failed). All of it in
-- the database, so a psql UPDATE of sync.settings has the same effect as `pasisync settings set`:
--   UPDATE sync.settings SET value = 'on' WHERE key = 'hash_synchronization';
--   SELECT * FROM queue.schedule_list;     -- hash_sync now scheduled, daily at 01:00

-- A Failure alert about a synchronization job as a whole (not one record of PASI's).
ALTER TABLE sync.core_alerts DROP CONSTRAINT status_type_is_known;
ALTER TABLE sync.core_alerts ADD CONSTRAINT status_type_is_known CHECK (status_type IN
    ('Student', 'Enrolment', 'Section', 'Course Enrolment', 'Evaluated Mark', 'External Credential',
     'Classroom Accommodation', 'Synchronization'));
ALTER TABLE sync.core_alerts ADD COLUMN job_id bigint;

