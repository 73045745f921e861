-- Per notification type of a Load Local Copy (or Hash Synchronization), the records to fetch and
-- fetched so far; of those, how many PASI had deleted (removed from the local copy) and how many
-- it answered No Access or Unknown to (kept, marked: pasi.record_availability).
CREATE OR REPLACE VIEW sync.download_progress AS
SELECT b.root_job_id AS job_id, b.notification_type,
       sum(b.items) AS items, coalesce(sum(b.stored + b.refused + b.missing + b.no_access + b.unknown), 0) AS done,
       count(*) AS batches, count(b.finished_at) AS batches_done,
       max(b.finished_at) AS last_batch_at,
       coalesce(sum(b.missing), 0) AS deleted, coalesce(sum(b.no_access), 0) AS no_access,
       coalesce(sum(b.unknown), 0) AS unknown
FROM sync.download_batches b
GROUP BY b.root_job_id, b.notification_type
ORDER BY b.root_job_id DESC, b.notification_type;
