-- The console's audit log as people read it in psql, newest first, in the cluster's local time.
CREATE OR REPLACE VIEW console.audit_trail AS
SELECT l.id,
       to_char(l.at AT TIME ZONE z.zone, 'YYYY-MM-DD HH24:MI:SS') AS at_local,
       l.user_name,
       l.action,
       l.target,
       l.outcome,
       l.detail
FROM console.audit_log AS l
CROSS JOIN (SELECT coalesce((SELECT time_zone FROM queue.cluster), 'America/Edmonton') AS zone) AS z
ORDER BY l.at DESC, l.id DESC;
