-- The last Hash Synchronization's result per notification type, with what its Gets found of the
-- records PASI's list lacked or held at another version: deleted by PASI (removed from the local
-- copy), No Access and Unknown (kept, marked in pasi.record_availability).
CREATE OR REPLACE VIEW sync.hash_sync_status AS
SELECT DISTINCT ON (r.notification_type)
       r.object, r.notification_type, r.status, r.local_items, r.pasi_items, r.to_fetch, r.removed,
       r.checked_at, r.job_id,
       coalesce(d.deleted, 0) AS deleted, coalesce(d.no_access, 0) AS no_access, coalesce(d.unknown, 0) AS unknown
FROM sync.hash_results r
LEFT JOIN sync.download_progress d ON d.job_id = r.job_id AND d.notification_type = r.notification_type
ORDER BY r.notification_type, r.job_id DESC;
