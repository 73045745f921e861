-- The seed's schedules (hash, reconciliation, exam marks, documents, archiving, code values) as
-- the settings say, in queue.schedules. Run after the functions whenever they are applied, so a
-- new or changed schedule in sync.apply_schedules reaches every database; it changes only the rows
-- that differ, and the settings' trigger runs it on every change of a value.
SELECT sync.apply_schedules();
