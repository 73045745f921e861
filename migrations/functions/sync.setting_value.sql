-- The value in its canonical spelling (on/off, the seed's spelling of a choice, HH:MM, YYYY-YYYY),
-- or an error naming the key and what it allows: the same rules as SettingDefinition.parse.
CREATE OR REPLACE FUNCTION sync.setting_value(setting sync.settings, candidate text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
    trimmed text := btrim(candidate, E' \t\n\r\f\v');
    number  bigint;
    parts   text[];
    found   text;
BEGIN
    CASE setting.kind
    WHEN 'bool' THEN
        IF lower(trimmed) IN ('on', 'true', 'yes', 'enabled', '1') THEN RETURN 'on'; END IF;
        IF lower(trimmed) IN ('off', 'false', 'no', 'disabled', '0') THEN RETURN 'off'; END IF;
    WHEN 'integer', 'integer_choice' THEN
        IF trimmed ~ '^[+-]?[0-9]{1,18}$' THEN
            number := trimmed::bigint;
            IF (setting.kind = 'integer' AND number BETWEEN setting.min_value AND setting.max_value)
               OR (setting.kind = 'integer_choice' AND number::text = ANY (setting.choices)) THEN
                RETURN number::text;
            END IF;
        END IF;
    WHEN 'choice' THEN
        SELECT c INTO found FROM unnest(setting.choices) AS c WHERE lower(c) = lower(trimmed);
        IF found IS NOT NULL THEN RETURN found; END IF;
    WHEN 'time' THEN
        parts := regexp_match(trimmed, '^([0-9]{1,2}):([0-9]{2})$');
        IF parts IS NOT NULL AND parts[1]::int <= 23 AND parts[2]::int <= 59 THEN
            RETURN lpad(parts[1]::int::text, 2, '0') || ':' || parts[2];
        END IF;
    WHEN 'school_year' THEN
        -- 0000-0000: not yet known, as the seed shows it before the first synchronization.
        IF trimmed = '0000-0000' THEN RETURN trimmed; END IF;
        parts := regexp_match(trimmed, '^([0-9]{4})[/-]([0-9]{4})$');
        IF parts IS NOT NULL AND parts[2]::int = parts[1]::int + 1 AND parts[2]::int BETWEEN 1905 AND 2100 THEN
            -- The seed's spelling, 2017-2018 (YYYY/YYYY is accepted too).
            RETURN parts[1] || '-' || parts[2];
        END IF;
    WHEN 'authority_code' THEN
        -- Empty: not yet configured (calls to PASI are refused until it is).
        IF candidate = '' OR candidate ~ '^A\.[0-9]{4}$' THEN RETURN candidate; END IF;
    WHEN 'text' THEN
        IF sync.is_pasi_string(candidate) AND sync.utf16_length(candidate) <= setting.max_length THEN
            RETURN candidate;
        END IF;
    ELSE
        NULL;
    END CASE;
    RAISE EXCEPTION '% must be %, got %', setting.key, setting.allowed, sync.shown(candidate)
        USING ERRCODE = 'check_violation', HINT = format('%s allows %s', setting.key, setting.allowed);
END $$;
