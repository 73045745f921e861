-- The queue for the monitor role (pasisync_monitor, docs/roles.md): what runs, how far it is, how
-- long it took, without what may name a child: no arguments, no unique key, no error text. Progress
-- messages are counts and phases ("12,000 of 100,000 students"), written by the software.
CREATE OR REPLACE VIEW queue.job_progress AS
SELECT id, kind, title, status, attempts, priority, progress, progress_message, age, runtime, starts_in,
       worker, parent_id, schedule, scheduled_for, snoozes, progress_done, progress_total
FROM queue.job_list;
