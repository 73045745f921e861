-- The queue as people read it, with progress, age, runtime and the schedule that made a job (and
-- its scheduled title). The raw progress numbers are there too, so `pasisync queue` reads the same
-- view people read in psql (and draws its progress bars from it) instead of a second copy of it.
CREATE OR REPLACE VIEW queue.job_list AS
SELECT j.id,
       j.kind,
       CASE WHEN j.schedule IS NOT NULL THEN coalesce(nullif(k.scheduled_title, ''), nullif(k.title, ''), j.kind)
            ELSE coalesce(nullif(k.title, ''), j.kind) END AS title,
       j.state AS status,
       j.attempt || '/' || j.max_attempts AS attempts,
       j.priority,
       CASE WHEN j.progress_total > 0
            THEN j.progress_done || '/' || j.progress_total || ' ('
                 || round(100.0 * j.progress_done / j.progress_total) || '%)'
            WHEN j.progress_done IS NOT NULL THEN j.progress_done::text
       END AS progress,
       j.progress_message,
       date_trunc('second', now() - j.created_at) AS age,
       CASE WHEN j.state = 'running' THEN date_trunc('second', now() - j.started_at)
            WHEN j.finished_at IS NOT NULL AND j.started_at IS NOT NULL
            THEN date_trunc('millisecond', j.finished_at - j.started_at)
       END AS runtime,
       CASE WHEN j.run_at > now() AND j.state IN ('pending', 'retrying')
            THEN date_trunc('second', j.run_at - now()) END AS starts_in,
       j.lease_owner AS worker,
       j.parent_id,
       j.unique_key,
       j.last_error,
       j.progress_done,
       j.progress_total,
       j.schedule,
       j.scheduled_for,
       j.snoozes
FROM queue.jobs j
LEFT JOIN queue.job_kinds k ON k.name = j.kind;
