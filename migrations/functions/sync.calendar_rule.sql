-- A calendar rule from a Schedule Mode (Daily, Weekly, Monthly) and a Schedule Time. The seed
-- names no weekday or day: weekly runs on Sunday, monthly on the 1st.
CREATE OR REPLACE FUNCTION sync.calendar_rule(mode text, at_time text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE mode WHEN 'Weekly' THEN 'weekly on sunday at ' || at_time
                     WHEN 'Monthly' THEN 'monthly on 1 at ' || at_time
                     ELSE 'daily at ' || at_time END
$$;
