-- Per notification type of a Load Local Copy (or Hash Synchronization), the records to fetch and
-- fetched so far.
CREATE OR REPLACE VIEW sync.download_progress AS
SELECT b.root_job_id AS job_id, b.notification_type,
       sum(b.items) AS items, coalesce(sum(b.stored + b.refused + b.missing), 0) AS done,
       count(*) AS batches, count(b.finished_at) AS batches_done,
       max(b.finished_at) AS last_batch_at
FROM sync.download_batches b
GROUP BY b.root_job_id, b.notification_type
ORDER BY b.root_job_id DESC, b.notification_type;
