-- A setting's value as text (the settings' trigger keeps it canonical: on/off, HH:MM, the seed's spelling).
CREATE OR REPLACE FUNCTION sync.setting(setting_key text) RETURNS text
LANGUAGE sql STABLE AS $$ SELECT value FROM sync.settings WHERE key = setting_key $$;
