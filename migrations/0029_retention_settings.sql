-- Retention (issue 22): how many days the software keeps the personal data it holds for itself
-- (message bodies, the messages log, job files, archived data events, finished jobs) before the
-- daily Retention process deletes it. Not in the seed: group, labels, ranges and defaults are this
-- project's (docs/maintenance.md). Rows as SettingsCatalogue defines them (SettingsTableTests).
SET LOCAL pasisync.system = 'on';
INSERT INTO sync.settings
    (position, key, group_name, label, value, default_value, allowed, kind, min_value, max_value, choices, max_length,
     read_only, needs_restart, one_way, note)
VALUES
    (71, 'keep_message_bodies_days', 'Retention', 'Keep Message Bodies (days)', '30', '30', 'an integer from 1 to 365', 'integer', 1, 365, NULL, NULL, false, false, false, 'The request and response bodies in the messages log hold names, birth dates and addresses; the log''s rows stay.'),
    (72, 'keep_messages_log_days', 'Retention', 'Keep Messages Log (days)', '400', '400', 'an integer from 30 to 3650', 'integer', 30, 3650, NULL, NULL, false, false, false, 'The log of calls to PASI (ClientMessageID, operation, outcome): a year and a month by default, for a school year''s questions.'),
    (73, 'keep_job_files_days', 'Retention', 'Keep Job Files (days)', '90', '90', 'an integer from 1 to 3650', 'integer', 1, 3650, NULL, NULL, false, false, false, 'The extract and report files of Initial and Hash Synchronization and the Initial Upload hold names, birth dates and document numbers.'),
    (74, 'keep_archived_events_days', 'Retention', 'Keep Archived Events (days)', '730', '730', 'an integer from 30 to 3650', 'integer', 30, 3650, NULL, NULL, false, false, false, 'Counted from when an event was archived (Archive Events Older Than).'),
    (75, 'keep_finished_jobs_days', 'Retention', 'Keep Finished Jobs (days)', '90', '90', 'an integer from 1 to 3650', 'integer', 1, 3650, NULL, NULL, false, false, false, 'Completed, failed and cancelled jobs, with their arguments and errors; Keep Synchronization History may remove them sooner.');

-- The Retention process looks for old rows by these times.
CREATE INDEX IF NOT EXISTS job_files_created_at ON sync.job_files (created_at);
CREATE INDEX IF NOT EXISTS data_events_archive_archived_at ON sync.data_events_archive (archived_at);
