-- Current School Year for Synchronization is shown as the seed shows it, 2017-2018 (issue 20,
-- item 7): the value PASI's code values set (2025/2026 until now) and the rule's wording.
-- sync.setting_value now spells a school year so; the settings' trigger runs the function as it
-- was before this migration (functions are re-applied after the numbered migrations), so it is
-- held off for this one rewrite.
--   SELECT key, value, allowed FROM sync.settings_page WHERE key = 'current_school_year';
DO $$
DECLARE
    guarded boolean := EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'sync.settings'::regclass AND tgname = 'before_change');
BEGIN
    IF guarded THEN ALTER TABLE sync.settings DISABLE TRIGGER before_change; END IF;
    UPDATE sync.settings
    SET value = replace(value, '/', '-'), default_value = replace(default_value, '/', '-'), allowed = 'a school year YYYY-YYYY'
    WHERE kind = 'school_year';
    IF guarded THEN ALTER TABLE sync.settings ENABLE TRIGGER before_change; END IF;
END $$;
