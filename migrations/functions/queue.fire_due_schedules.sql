-- Fires every due schedule of a registered kind, once per slot (migrations/0007_queue_schedules.sql says how), and
-- returns what it fired. `firer_lease` is how long a worker may go between heartbeats.
--
-- Which slot comes next: the one after the fired slot while some worker was alive when it fell
-- due and its kind was registered (so a slot missed by a slow or killed firer is fired at once,
-- and none is skipped), else the first one after now (after the whole cluster was down, or
-- before any worker could run the kind, the missed slots fire once, not once per slot missed).
CREATE OR REPLACE FUNCTION queue.fire_due_schedules(firer_lease interval, max_count integer DEFAULT 100)
RETURNS TABLE (schedule text, scheduled_for timestamptz, job_id bigint)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
DECLARE
    s record;
    zone text := (SELECT time_zone FROM queue.cluster);
    following timestamptz;
    inserted bigint;
BEGIN
    FOR s IN
        SELECT sc.* FROM queue.schedules sc
        WHERE sc.enabled AND sc.next_run_at <= now()
          AND EXISTS (SELECT 1 FROM queue.job_kinds k WHERE k.name = sc.kind)
        ORDER BY sc.next_run_at
        LIMIT max_count
        FOR UPDATE OF sc SKIP LOCKED
    LOOP
        INSERT INTO queue.jobs (kind, args, priority, schedule, scheduled_for)
        VALUES (s.kind, s.args, s.priority, s.name, s.next_run_at)
        ON CONFLICT (schedule, scheduled_for) WHERE schedule IS NOT NULL DO NOTHING
        RETURNING id INTO inserted;
        following := queue.next_slot(s.name, s.every, s.calendar, s.next_run_at, zone);
        IF following <= now() AND NOT (
               EXISTS (SELECT 1 FROM queue.workers w
                       WHERE w.started_at <= following AND w.heartbeat_at >= following - firer_lease)
               AND EXISTS (SELECT 1 FROM queue.job_kinds k WHERE k.name = s.kind AND k.registered_at <= following)) THEN
            following := queue.next_slot(s.name, s.every, s.calendar, now(), zone);
        END IF;
        UPDATE queue.schedules
        SET next_run_at = following, last_run_at = s.next_run_at, last_job_id = coalesce(inserted, last_job_id)
        WHERE name = s.name;
        schedule := s.name;
        scheduled_for := s.next_run_at;
        job_id := inserted;
        RETURN NEXT;
    END LOOP;
END $$;
