-- The last Hash Synchronization's result per notification type.
CREATE OR REPLACE VIEW sync.hash_sync_status AS
SELECT DISTINCT ON (r.notification_type)
       r.object, r.notification_type, r.status, r.local_items, r.pasi_items, r.to_fetch, r.removed,
       r.checked_at, r.job_id
FROM sync.hash_results r
ORDER BY r.notification_type, r.job_id DESC;
