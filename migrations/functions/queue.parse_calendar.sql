-- A calendar rule, read: (kind, minute, hour from, hour to, weekday 1-7 ISO, day of month), or
-- an error that names the schedule and the forms allowed.
CREATE OR REPLACE FUNCTION queue.parse_calendar(schedule text, rule text,
    OUT unit text, OUT minute int, OUT hour_from int, OUT hour_to int, OUT weekday int, OUT day int)
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    r text := lower(btrim(regexp_replace(rule, '\s+', ' ', 'g')));
    m text[];
    days constant text[] := ARRAY['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
BEGIN
    m := regexp_match(r, '^daily at ([0-9]{1,2}):([0-9]{2})$');
    IF m IS NOT NULL THEN
        unit := 'daily'; hour_from := m[1]::int; hour_to := hour_from; minute := m[2]::int;
    END IF;
    m := regexp_match(r, '^hourly at :([0-9]{2})(?: from ([0-9]{1,2})(?::[0-9]{2})? to ([0-9]{1,2})(?::[0-9]{2})?)?$');
    IF m IS NOT NULL THEN
        unit := 'hourly'; minute := m[1]::int; hour_from := coalesce(m[2]::int, 0); hour_to := coalesce(m[3]::int, 23);
    END IF;
    m := regexp_match(r, '^weekly on ([a-z]+) at ([0-9]{1,2}):([0-9]{2})$');
    IF m IS NOT NULL THEN
        unit := 'weekly'; weekday := array_position(days, m[1]);
        IF weekday IS NULL THEN
            SELECT i INTO weekday FROM generate_series(1, 7) i WHERE left(days[i], 3) = m[1];
        END IF;
        hour_from := m[2]::int; hour_to := hour_from; minute := m[3]::int;
    END IF;
    m := regexp_match(r, '^monthly on (?:day )?([0-9]{1,2}) at ([0-9]{1,2}):([0-9]{2})$');
    IF m IS NOT NULL THEN
        unit := 'monthly'; day := m[1]::int; hour_from := m[2]::int; hour_to := hour_from; minute := m[3]::int;
    END IF;
    IF unit IS NULL OR minute > 59 OR hour_from > 23 OR hour_to > 23 OR hour_from > hour_to
       OR (unit = 'weekly' AND weekday IS NULL) OR (unit = 'monthly' AND day NOT BETWEEN 1 AND 31) THEN
        RAISE EXCEPTION 'schedule "%": calendar rule "%" is not valid', schedule, rule
            USING ERRCODE = 'check_violation',
                  HINT = 'write one of: daily at HH:MM; hourly at :MM from HH to HH; weekly on WEEKDAY at HH:MM; '
                      || 'monthly on DAY at HH:MM (DAY 1-31; the last day of a shorter month)';
    END IF;
END $$;
