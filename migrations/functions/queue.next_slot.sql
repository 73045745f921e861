-- The first slot of a rule strictly after `after`. Calendar slots are wall-clock times in `zone`:
-- on the day clocks spring forward a time that does not exist runs an hour later (02:30 → 03:30),
-- and on the day they fall back a time that happens twice runs once.
CREATE OR REPLACE FUNCTION queue.next_slot(schedule text, every interval, calendar text, after timestamptz, zone text)
RETURNS timestamptz
LANGUAGE plpgsql STABLE AS $$
DECLARE
    rule record;
    step double precision;
    local_day date;
    found timestamptz;
BEGIN
    IF every IS NOT NULL THEN
        step := extract(epoch FROM every);
        IF step < 1 OR extract(month FROM every) <> 0 OR extract(year FROM every) <> 0 THEN
            RAISE EXCEPTION 'schedule "%": every must be at least 1 second and hold no months or years, got %', schedule, every
                USING ERRCODE = 'check_violation', HINT = 'use a calendar rule for monthly runs: monthly on DAY at HH:MM';
        END IF;
        RETURN to_timestamp((floor(extract(epoch FROM after) / step) + 1) * step);
    END IF;
    rule := queue.parse_calendar(schedule, calendar);
    local_day := (after AT TIME ZONE zone)::date;
    SELECT min(slot) INTO found
    FROM (SELECT ((d::date + make_time(h, rule.minute, 0)) AT TIME ZONE zone) AS slot
          FROM generate_series(local_day - 1, local_day + 62, interval '1 day') AS d,
               generate_series(rule.hour_from, rule.hour_to) AS h
          WHERE (rule.unit <> 'weekly' OR extract(isodow FROM d) = rule.weekday)
            AND (rule.unit <> 'monthly' OR extract(day FROM d) =
                 least(rule.day, extract(day FROM date_trunc('month', d) + interval '1 month - 1 day')))) AS c
    WHERE slot > after;
    RETURN found;
END $$;
