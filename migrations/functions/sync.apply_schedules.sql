-- Writes the seed's schedules from the settings: one row each in queue.schedules, owned by the
-- settings (`follows`), so people see them with the rest and change them through the settings.
-- SECURITY DEFINER: an operator's change of a setting runs it (through the settings' trigger), and
-- the schedules that follow the settings may be written only as the owner (sync.system_mode), so
-- it acts as the owner; search_path is pinned, as for every definer function.
CREATE OR REPLACE FUNCTION sync.apply_schedules() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
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
        -- Deletes what is older than the Keep … settings (issue 22); always on.
        ('retention', 'retention', '{}', true, 'daily at 02:30', 'retention (always on)',
         'Retention: message bodies, messages log, job files, archived events and finished jobs past their Keep … days'),
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
