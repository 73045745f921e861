-- The data events waiting, per table (Pending ones only; handled ones are in sync.data_event_outcomes).
CREATE OR REPLACE VIEW sync.data_event_backlog AS
SELECT table_name, count(*) AS events, min(id) AS first_id, max(id) AS last_id,
       min(occurred_at) AS oldest, max(occurred_at) AS newest
FROM sync.data_events
WHERE status = 'Pending'
GROUP BY table_name
ORDER BY table_name;
