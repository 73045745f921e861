-- A value as an error message shows it: plain tokens bare, anything else quoted, long ones cut.
CREATE OR REPLACE FUNCTION sync.shown(candidate text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN cut ~ '^[!#-~]+$' THEN cut ELSE to_json(cut)::text END
    FROM (VALUES (CASE WHEN char_length(candidate) > 60 THEN left(candidate, 57) || '...' ELSE candidate END)) AS c (cut)
$$;
