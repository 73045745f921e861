-- Open alerts counted per type, status type, conflict type and acknowledgement.
CREATE OR REPLACE VIEW sync.open_alert_counts AS
SELECT alert_type, status_type, coalesce(conflict_type, '') AS conflict_type, acknowledgement,
       count(*) AS alerts, min(created_at) AS oldest
FROM sync.core_alerts
WHERE resolved_at IS NULL
GROUP BY alert_type, status_type, coalesce(conflict_type, ''), acknowledgement
ORDER BY alert_type, status_type, 3, acknowledgement;
