-- The schedules as people read them: the next run in the cluster's local time, and whether a
-- worker can run the kind at all.
CREATE OR REPLACE VIEW queue.schedule_list AS
SELECT s.name,
       s.kind,
       coalesce(nullif(k.scheduled_title, ''), nullif(k.title, ''), s.kind) AS title,
       coalesce(s.calendar, 'every ' || s.every::text) AS rule,
       s.enabled,
       CASE WHEN k.name IS NULL THEN 'kind not registered: does not fire'
            WHEN NOT s.enabled THEN 'disabled'
            ELSE 'scheduled' END AS status,
       to_char(s.next_run_at AT TIME ZONE c.time_zone, 'YYYY-MM-DD HH24:MI:SS') AS next_run_local,
       c.time_zone,
       s.next_run_at,
       s.last_run_at,
       s.last_job_id,
       s.follows,
       s.args
FROM queue.schedules s
CROSS JOIN queue.cluster c
LEFT JOIN queue.job_kinds k ON k.name = s.kind;
