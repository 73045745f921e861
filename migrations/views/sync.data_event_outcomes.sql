-- What became of the events, per table and status.
CREATE OR REPLACE VIEW sync.data_event_outcomes AS
SELECT table_name, status, count(*) AS events, max(handled_at) AS last_handled_at
FROM sync.data_events
GROUP BY table_name, status
ORDER BY table_name, status;
