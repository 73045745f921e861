-- The settings as the seed's pages show them, for people in psql.
CREATE OR REPLACE VIEW sync.settings_page AS
SELECT group_name AS "group",
       label || CASE WHEN needs_restart THEN ' *' ELSE '' END AS label,
       key,
       value,
       CASE WHEN value = default_value THEN 'default' ELSE 'default: ' || default_value END AS "default",
       allowed,
       concat_ws(', ', CASE WHEN read_only THEN 'read-only' END,
                       CASE WHEN needs_restart THEN 'restart needed' END,
                       CASE WHEN one_way THEN 'one way from PASI' END) AS flags,
       updated_at,
       updated_by
FROM sync.settings
ORDER BY position;
