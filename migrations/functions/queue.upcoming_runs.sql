-- The next `count` slots of a schedule after `after`, for people and tests:
--   SELECT * FROM queue.upcoming_runs('hash_sync', 5);
CREATE OR REPLACE FUNCTION queue.upcoming_runs(schedule_name text, count integer, after timestamptz DEFAULT now())
RETURNS TABLE (slot timestamptz, local_time timestamp)
LANGUAGE plpgsql STABLE AS $$
DECLARE
    s queue.schedules;
    zone text := (SELECT time_zone FROM queue.cluster);
    t timestamptz := after;
BEGIN
    SELECT * INTO s FROM queue.schedules WHERE name = schedule_name;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no schedule "%"', schedule_name USING ERRCODE = 'no_data_found';
    END IF;
    FOR i IN 1..count LOOP
        t := queue.next_slot(s.name, s.every, s.calendar, t, zone);
        slot := t;
        local_time := t AT TIME ZONE zone;
        RETURN NEXT;
    END LOOP;
END $$;
