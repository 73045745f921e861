-- Every setting of the seed's Caller Information, Synchronization Settings and Logs pages, one row
-- each, with its rule. The database enforces the rule itself, so a plain psql UPDATE is held to
-- the same ranges as `pasisync settings set`:
--   UPDATE sync.settings SET value = '20' WHERE key = 'maximum_attempts';
--   SELECT * FROM sync.settings_page;
-- The rows mirror Swift's SettingsCatalogue; SyncStoreTests fails when they drift apart. The set of
-- keys and their rules change only through migrations, which run with `SET LOCAL pasisync.system = 'on'`.

CREATE SCHEMA sync;

CREATE TABLE sync.settings (
    key            text PRIMARY KEY CHECK (key ~ '^[a-z][a-z0-9_]*$'),
    value          text NOT NULL,
    group_name     text NOT NULL,
    -- Where the seed's pages show it: sync.settings_page and `pasisync settings show` sort by it.
    position       integer NOT NULL UNIQUE,
    label          text NOT NULL,
    default_value  text NOT NULL,
    -- What the value must be, phrased to follow "must be", e.g. "an integer from 1 to 100".
    allowed        text NOT NULL,
    -- The rule sync.setting_value applies; min_value/max_value, choices and max_length belong to
    -- the kinds that use them.
    kind           text NOT NULL CHECK (kind IN
                       ('bool', 'integer', 'integer_choice', 'choice', 'time', 'school_year', 'text', 'authority_code')),
    min_value      integer,
    max_value      integer,
    choices        text[],
    max_length     integer,
    -- Only the software changes it (needs pasisync.system = 'on').
    read_only      boolean NOT NULL DEFAULT false,
    -- The seed's asterisk: a change takes effect after the workers restart.
    needs_restart  boolean NOT NULL DEFAULT false,
    -- The seed's double asterisk: synchronized one way, from PASI to the SIS.
    one_way        boolean NOT NULL DEFAULT false,
    note           text,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    updated_by     text NOT NULL DEFAULT 'migration',
    CHECK ((kind = 'integer') = (min_value IS NOT NULL AND max_value IS NOT NULL AND min_value <= max_value)),
    CHECK ((kind IN ('choice', 'integer_choice')) = (cardinality(choices) > 0)),
    CHECK ((kind = 'text') = (max_length > 0))
);

-- Generated from SettingsCatalogue (SyncStoreTests prints these rows when they differ).
SET LOCAL pasisync.system = 'on';
INSERT INTO sync.settings
    (position, key, group_name, label, value, default_value, allowed, kind, min_value, max_value, choices, max_length,
     read_only, needs_restart, one_way, note)
VALUES
    (1, 'product', 'Caller Information', 'Product', 'pasisync', 'pasisync', 'text of at most 100 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 100, true, false, false, 'This software''s name, sent to PASI.'),
    (2, 'manufacturer', 'Caller Information', 'Manufacturer', 'pasisync project', 'pasisync project', 'text of at most 100 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 100, true, false, false, NULL),
    (3, 'build', 'Caller Information', 'Build', '1', '1', 'text of at most 30 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 30, true, false, false, NULL),
    (4, 'version', 'Caller Information', 'Version', '0.1.0', '0.1.0', 'text of at most 30 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 30, true, false, false, NULL),
    (5, 'local_id', 'Caller Information', 'Local ID', 'pasisync', 'pasisync', 'text of at most 100 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 100, false, false, false, 'Installation sets pasisync<district number>; see defaults(districtNumber:divisionName:).'),
    (6, 'name', 'Caller Information', 'Name', '', '', 'text of at most 100 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 100, false, false, false, 'Defaults to the school division''s name, given at installation.'),
    (7, 'ip_address', 'Caller Information', 'IP Address', '', '', 'text of at most 50 characters without leading, trailing or double spaces', 'text', NULL, NULL, NULL, 50, false, false, false, 'The IP address of the server running the synchronization.'),
    (8, 'organization_code', 'Caller Information', 'Organization Code', '', '', 'an authority code A.NNNN', 'authority_code', NULL, NULL, NULL, NULL, false, false, false, 'The school authority''s code, A.NNNN; empty until configured.'),
    (9, 'event_monitoring', 'General', 'Event Monitoring', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, true, true, false, 'Display only: switched by enabling event monitoring, not by a settings change.'),
    (10, 'process_as_district', 'General', 'Process as District', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, true, false, 'Default not in the seed: on, since regular synchronization also starts off.'),
    (11, 'maximum_attempts', 'General', 'Maximum Attempts', '50', '50', 'an integer from 1 to 100', 'integer', 1, 100, NULL, NULL, false, false, false, NULL),
    (12, 'keep_synchronization_history', 'General', 'Keep Synchronization History', '100', '100', 'an integer from 1 to 1000', 'integer', 1, 1000, NULL, NULL, false, false, false, NULL),
    (13, 'current_school_year', 'General', 'Current School Year for Synchronization', '0000-0000', '0000-0000', 'a school year YYYY/YYYY', 'school_year', NULL, NULL, NULL, NULL, true, false, false, 'Set from PASI''s Get Accepted Registration after initial synchronization.'),
    (14, 'historical_years_school_enrolment', 'General', 'Historical Years for School Enrolment Integration', '0', '0', 'an integer from 0 to 2', 'integer', 0, 2, NULL, NULL, false, false, false, 'Incremented by the end-of-year process.'),
    (15, 'historical_years_school_course_marks', 'General', 'Historical Years for School Course Marks Integration', '0', '0', 'an integer from 0 to 2', 'integer', 0, 2, NULL, NULL, true, false, false, 'Default not in the seed: 0, as for school enrolment.'),
    (16, 'historical_years_diploma_exam', 'General', 'Historical Years for Diploma Exam Integration', '0', '0', 'an integer from 0 to 2', 'integer', 0, 2, NULL, NULL, false, false, false, 'Default not in the seed: 0, as for school enrolment.'),
    (17, 'start_delay_minutes', 'Regular Synchronization', 'Start Delay (minutes)', '5', '5', 'an integer from 1 to 30', 'integer', 1, 30, NULL, NULL, false, false, false, NULL),
    (18, 'data_events_polling_interval_seconds', 'Regular Synchronization', 'PowerSchool Data Events Polling Interval (seconds)', '60', '60', 'an integer from 30 to 300', 'integer', 30, 300, NULL, NULL, false, false, false, 'The PASI Readiness team recommends 30.'),
    (19, 'data_available_wait_time_minutes', 'Regular Synchronization', 'PASI Data Available Wait Time (minutes)', '5', '5', 'an integer from 1 to 30', 'integer', 1, 30, NULL, NULL, false, false, false, NULL),
    (20, 'web_service_timeout_minutes', 'Regular Synchronization', 'PASI Web Service Timeout (minutes)', '10', '10', 'an integer from 1 to 30', 'integer', 1, 30, NULL, NULL, false, false, false, NULL),
    (21, 'regular_synchronization', 'Regular Synchronization', 'Regular Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (22, 'hash_synchronization', 'Hash Synchronization', 'Hash Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (23, 'hash_schedule', 'Hash Synchronization', 'Scheduled Time', 'Daily', 'Daily', 'one of Daily, Hourly', 'choice', NULL, NULL, ARRAY['Daily', 'Hourly'], NULL, false, false, false, 'Daily runs at 01:00; Hourly runs on the half hour from 04:00 to 21:00.'),
    (24, 'automatic_reconciliation', 'Core Alerts Reconciliation', 'Automatic Reconciliation', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (25, 'reconciliation_schedule_mode', 'Core Alerts Reconciliation', 'Schedule Mode', 'Daily', 'Daily', 'one of Daily, Weekly, Monthly', 'choice', NULL, NULL, ARRAY['Daily', 'Weekly', 'Monthly'], NULL, false, false, false, NULL),
    (26, 'reconciliation_schedule_time', 'Core Alerts Reconciliation', 'Schedule Time', '03:00', '03:00', 'a time of day HH:MM', 'time', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (27, 'automatic_exam_marks_updates', 'Diploma Exam and Official Marks Updates', 'Automatic Exam Marks Updates', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (28, 'exam_marks_schedule_mode', 'Diploma Exam and Official Marks Updates', 'Schedule Mode', 'Monthly', 'Monthly', 'one of Daily, Weekly, Monthly', 'choice', NULL, NULL, ARRAY['Daily', 'Weekly', 'Monthly'], NULL, false, false, false, NULL),
    (29, 'exam_marks_schedule_time', 'Diploma Exam and Official Marks Updates', 'Schedule Time', '00:00', '00:00', 'a time of day HH:MM', 'time', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (30, 'allow_credit_update', 'Diploma Exam and Official Marks Updates', 'Allow Credit Update', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, 'Default not in the seed: off, so credits change only when a district opts in.'),
    (31, 'daily_document_submission', 'Daily Document Submission Runtime', 'Daily Document Submission Runtime', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, 'Default not in the seed: on, as the seed describes it as enabled.'),
    (32, 'document_submission_time', 'Daily Document Submission Runtime', 'Schedule Time', '20:00', '20:00', 'a time of day HH:MM', 'time', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (33, 'student_synchronization', 'Demographic and Enrolment Items', 'Student Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (34, 'student_status_synchronization', 'Demographic and Enrolment Items', 'Student Status Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (35, 'student_enrolment_synchronization', 'Demographic and Enrolment Items', 'Student Enrolment Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (36, 'student_enrolment_status_synchronization', 'Demographic and Enrolment Items', 'Student Enrolment Status Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (37, 'student_record_document_synchronization', 'Demographic and Enrolment Items', 'Student Record Document Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (38, 'student_record_document_dcf_events', 'Demographic and Enrolment Items', 'Student Record Document DCF Events', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (39, 'classroom_accommodation_synchronization', 'Demographic and Enrolment Items', 'Classroom Accommodation Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (40, 'classroom_accommodation_status_synchronization', 'Demographic and Enrolment Items', 'Classroom Accommodation Status Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (41, 'classroom_accommodation_dcf_events', 'Demographic and Enrolment Items', 'Classroom Accommodation DCF Events', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (42, 'student_attachments_dcf_events', 'Demographic and Enrolment Items', 'Student Attachments DCF Events', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (43, 'school_synchronization', 'Demographic and Enrolment Items', 'School Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, true, NULL),
    (44, 'school_authority_synchronization', 'Demographic and Enrolment Items', 'School Authority Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, true, NULL),
    (45, 'code_value_synchronization', 'Demographic and Enrolment Items', 'Code Value Synchronization', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, true, NULL),
    (46, 'smart_address_match', 'Demographic and Enrolment Items', 'Smart Address Match', 'on', 'on', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (47, 'student_data_migration_completed', 'Demographic and Enrolment Items', 'Student Data Migration Completed', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, 'A marker that the student custom fields were migrated; off until someone says so.'),
    (48, 'course_synchronization', 'School Course Marks Items', 'Course Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, true, NULL),
    (49, 'course_enrolment_synchronization', 'School Course Marks Items', 'Course Enrolment Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (50, 'course_enrolment_status_synchronization', 'School Course Marks Items', 'Course Enrolment Status Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (51, 'evaluated_mark_synchronization', 'School Course Marks Items', 'Evaluated Mark Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (52, 'evaluated_mark_status_synchronization', 'School Course Marks Items', 'Evaluated Mark Status Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (53, 'section_synchronization', 'School Course Marks Items', 'Section Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (54, 'section_status_synchronization', 'School Course Marks Items', 'Section Status Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (55, 'diploma_exam_synchronization', 'Diploma Exam Items', 'Diploma Exam Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, true, NULL),
    (56, 'diploma_exam_mark_synchronization', 'Diploma Exam Items', 'Diploma Exam Mark Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (57, 'diploma_exam_sitting_synchronization', 'Diploma Exam Items', 'Diploma Exam Sitting Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (58, 'diploma_exam_mark_dcf_event', 'Diploma Exam Items', 'Diploma Exam Mark DCF Event', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (59, 'diploma_exam_sitting_dcf_event', 'Diploma Exam Items', 'Diploma Exam Sitting DCF Event', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (60, 'student_transcript_detail_synchronization', 'Diploma Exam Items', 'Student Transcript Detail Synchronization', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, true, NULL),
    (61, 'single_threading', 'Threading', 'Single Threading', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (62, 'thread_count_factor', 'Threading', 'Thread Count Factor', '10', '10', 'an integer from 1 to 64', 'integer', 1, 64, NULL, NULL, false, false, false, 'The seed gives no range; 1–64 is this project''s choice.'),
    (63, 'processes', 'Threading', 'Processes', '10', '10', 'an integer from 1 to 64', 'integer', 1, 64, NULL, NULL, false, false, false, 'Simultaneous connections to PASI. The seed gives no range; 1–64 is this project''s choice.'),
    (64, 'archive_data_events', 'Archiving', 'Archive Data Events', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, 'When on, archiving runs as a daily maintenance process.'),
    (65, 'archive_events_older_than_days', 'Archiving', 'Archive Events Older Than', '365', '365', 'one of 30, 60, 90, 120, 180, 365', 'integer_choice', NULL, NULL, ARRAY['30', '60', '90', '120', '180', '365'], NULL, false, false, false, NULL),
    (66, 'synchronization_extract_files', 'Logs', 'Synchronization Extract files', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, 'Writes the tab-delimited difference files after initial or hash synchronization.'),
    (67, 'runtime_log_level', 'Logs', 'Runtime Log', 'Minimum', 'Minimum', 'one of Minimum, Normal, Maximum', 'choice', NULL, NULL, ARRAY['Minimum', 'Normal', 'Maximum'], NULL, false, false, false, NULL),
    (68, 'synchronization_log', 'Logs', 'Synchronization Log', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (69, 'messages_log', 'Logs', 'Messages Log', 'off', 'off', 'on or off', 'bool', NULL, NULL, NULL, NULL, false, false, false, NULL),
    (70, 'events_log_level', 'Logs', 'Events Log', 'Minimum', 'Minimum', 'one of Minimum, Normal, Maximum', 'choice', NULL, NULL, ARRAY['Minimum', 'Normal', 'Maximum'], NULL, false, false, false, NULL)
;
SET LOCAL pasisync.system = 'off';
