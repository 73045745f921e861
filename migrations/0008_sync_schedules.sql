-- The seed's schedules follow its settings; sync kinds take their attempts and history from the
-- settings; a sync job that fails for good raises a Failure alert. All of it in the database, so a
-- psql UPDATE of sync.settings has the same effect as `pasisync settings set`:
--   UPDATE sync.settings SET value = 'on' WHERE key = 'hash_synchronization';
--   SELECT * FROM queue.schedule_list;     -- hash_sync now scheduled, daily at 01:00

-- A Failure alert about a synchronization job as a whole (not one record of PASI's).
ALTER TABLE sync.core_alerts DROP CONSTRAINT status_type_is_known;
ALTER TABLE sync.core_alerts ADD CONSTRAINT status_type_is_known CHECK (status_type IN
    ('Student', 'Enrolment', 'Section', 'Course Enrolment', 'Evaluated Mark', 'External Credential',
     'Classroom Accommodation', 'Synchronization'));
ALTER TABLE sync.core_alerts ADD COLUMN job_id bigint;

-- A setting's value as text (the settings' trigger keeps it canonical: on/off, HH:MM, the seed's spelling).
CREATE FUNCTION sync.setting(setting_key text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT value FROM sync.settings WHERE key = setting_key $$;

-- A calendar rule from a Schedule Mode (Daily, Weekly, Monthly) and a Schedule Time. The seed
-- names no weekday or day: weekly runs on Sunday, monthly on the 1st.
CREATE FUNCTION sync.calendar_rule(mode text, at_time text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE mode WHEN 'Weekly' THEN 'weekly on sunday at ' || at_time
                     WHEN 'Monthly' THEN 'monthly on 1 at ' || at_time
                     ELSE 'daily at ' || at_time END
$$;

-- Writes the seed's schedules from the settings: one row each in queue.schedules, owned by the
-- settings (`follows`), so people see them with the rest and change them through the settings.
CREATE FUNCTION sync.apply_schedules() RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    caller_mode text := coalesce(current_setting('pasisync.system', true), '');
BEGIN
    PERFORM set_config('pasisync.system', 'on', true);
    INSERT INTO queue.schedules AS s (name, kind, args, enabled, calendar, follows, note)
    VALUES
        ('hash_sync', 'hash_sync', '{}', sync.setting('hash_synchronization') = 'on',
         CASE sync.setting('hash_schedule') WHEN 'Hourly' THEN 'hourly at :30 from 04 to 21' ELSE 'daily at 01:00' END,
         'hash_synchronization, hash_schedule', 'Hash Synchronization: Daily at 01:00, or Hourly on the half hour from 04:30 to 21:30'),
        ('automatic_reconciliation', 'alerts_reconciliation', '{}', sync.setting('automatic_reconciliation') = 'on',
         sync.calendar_rule(sync.setting('reconciliation_schedule_mode'), sync.setting('reconciliation_schedule_time')),
         'automatic_reconciliation, reconciliation_schedule_mode, reconciliation_schedule_time', 'Core Alerts Reconciliation, current synchronization year'),
        ('exam_marks_update', 'exam_marks_update', '{}', sync.setting('automatic_exam_marks_updates') = 'on',
         sync.calendar_rule(sync.setting('exam_marks_schedule_mode'), sync.setting('exam_marks_schedule_time')),
         'automatic_exam_marks_updates, exam_marks_schedule_mode, exam_marks_schedule_time', 'Diploma Exam and Official Marks Updates'),
        ('document_submission', 'document_submission', '{}', sync.setting('daily_document_submission') = 'on',
         'daily at ' || sync.setting('document_submission_time'),
         'daily_document_submission, document_submission_time', 'Daily Document Submission'),
        ('archive_events', 'archive_events', '{}', sync.setting('archive_data_events') = 'on',
         'daily at 02:00', 'archive_data_events', 'Archive Data Events, daily maintenance'),
        -- PASI asks for code values once a day; they also bring the accepted school years.
        ('code_values', 'code_values', '{}', true, 'daily at 00:30', 'code_values (always on)',
         'Code values and accepted school years: Current School Year for Synchronization')
    ON CONFLICT (name) DO UPDATE
    SET kind = EXCLUDED.kind, args = EXCLUDED.args, enabled = EXCLUDED.enabled, calendar = EXCLUDED.calendar,
        every = NULL, follows = EXCLUDED.follows, note = EXCLUDED.note
    WHERE (s.kind, s.args, s.enabled, s.calendar, s.every, s.follows, s.note)
          IS DISTINCT FROM (EXCLUDED.kind, EXCLUDED.args, EXCLUDED.enabled, EXCLUDED.calendar, NULL::interval, EXCLUDED.follows, EXCLUDED.note);
    PERFORM set_config('pasisync.system', caller_mode, true);
END $$;

-- Sync kinds: Maximum Attempts and Keep Synchronization History, whenever a kind is registered.
CREATE FUNCTION sync.before_register_sync_kind() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.family = 'sync' THEN
        NEW.max_attempts := sync.setting('maximum_attempts')::int;
        NEW.keep_history := sync.setting('keep_synchronization_history')::int;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER job_kinds_follow_sync_settings BEFORE INSERT OR UPDATE ON queue.job_kinds
    FOR EACH ROW EXECUTE FUNCTION sync.before_register_sync_kind();

-- Any change of a value: the schedules and the sync kinds follow.
CREATE FUNCTION sync.after_change_settings() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM sync.apply_schedules();
    UPDATE queue.job_kinds SET family = family WHERE family = 'sync';  -- the trigger above fills them in
    RETURN NULL;
END $$;

CREATE TRIGGER settings_move_schedules AFTER UPDATE OF value ON sync.settings
    FOR EACH STATEMENT EXECUTE FUNCTION sync.after_change_settings();

-- A sync job failed for good (out of attempts, refused, or its children failed): a Failure alert
-- a person finds with the others, naming the job and its last error.
CREATE FUNCTION sync.after_sync_job_failed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    kind_row queue.job_kinds;
BEGIN
    SELECT * INTO kind_row FROM queue.job_kinds WHERE name = NEW.kind;
    IF kind_row.family IS DISTINCT FROM 'sync' THEN RETURN NULL; END IF;
    BEGIN
        -- One line of text (an alert's message obeys PASI's string rule: no runs of white space).
        INSERT INTO sync.core_alerts (alert_type, status_type, alert_code, message, arguments, job_id)
        VALUES ('Failure', 'Synchronization', 'JOB_FAILED',
                left(btrim(regexp_replace(format('%s (job %s) failed after %s of %s attempts: %s',
                            coalesce(nullif(kind_row.title, ''), NEW.kind), NEW.id, NEW.attempt, NEW.max_attempts,
                            coalesce(NEW.last_error, 'no error recorded')), '[[:space:][:cntrl:]]+', ' ', 'g')), 2000),
                jsonb_build_object('job_id', NEW.id::text, 'kind', NEW.kind), NEW.id);
    EXCEPTION WHEN others THEN
        -- The job's own state must be written whatever happens to its alert.
        RAISE WARNING 'could not raise the Failure alert of job %: %', NEW.id, SQLERRM;
    END;
    RETURN NULL;
END $$;

CREATE TRIGGER jobs_sync_failure_alert AFTER UPDATE OF state ON queue.jobs
    FOR EACH ROW WHEN (NEW.state = 'failed' AND OLD.state IS DISTINCT FROM 'failed')
    EXECUTE FUNCTION sync.after_sync_job_failed();

-- Who changed a setting: as 0002 had it, except that a change by the software (or by
-- `pasisync settings set --by`) keeps the name it gives even when the same name changed it last.
CREATE OR REPLACE FUNCTION sync.before_change_setting() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    by_software boolean := coalesce(current_setting('pasisync.system', true), '') = 'on';
    definition_changed boolean;
BEGIN
    IF TG_OP IN ('INSERT', 'DELETE') AND NOT by_software THEN
        RAISE EXCEPTION 'settings cannot be added or removed: the set of keys is fixed by the migrations'
            USING ERRCODE = 'restrict_violation',
                  HINT = 'change a value with UPDATE sync.settings SET value = ... WHERE key = ..., or pasisync settings set KEY VALUE';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    IF TG_OP = 'UPDATE' THEN
        definition_changed := to_jsonb(NEW) - '{value,updated_at,updated_by}'::text[]
                              IS DISTINCT FROM to_jsonb(OLD) - '{value,updated_at,updated_by}'::text[];
        IF definition_changed AND NOT by_software THEN
            RAISE EXCEPTION 'only the value of % can change: its definition comes from the migrations', OLD.key
                USING ERRCODE = 'restrict_violation';
        END IF;
        IF NEW.value IS DISTINCT FROM OLD.value AND OLD.read_only AND NOT by_software THEN
            RAISE EXCEPTION '% is read-only: only the software sets it', OLD.key
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- A psql UPDATE that names no one is recorded as its database user; the software names
        -- itself in pasisync.updated_by (a second change by the same process kept its name).
        IF NEW.updated_by IS NOT DISTINCT FROM OLD.updated_by THEN
            NEW.updated_by := coalesce(nullif(current_setting('pasisync.updated_by', true), ''), session_user);
        END IF;
        NEW.updated_at := now();
    END IF;
    IF TG_OP = 'INSERT' OR definition_changed THEN
        NEW.default_value := sync.setting_value(NEW, NEW.default_value);
    END IF;
    NEW.value := sync.setting_value(NEW, NEW.value);
    RETURN NEW;
END $$;

SELECT sync.apply_schedules();
