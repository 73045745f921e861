-- Calls to PASI in the last 24 hours, per operation and outcome.
CREATE OR REPLACE VIEW sync.message_outcomes AS
SELECT operation, outcome, count(*) AS calls,
       round(avg(duration_ms)) AS avg_ms, max(duration_ms) AS max_ms, max(sent_at) AS last_sent_at
FROM sync.message_log
WHERE sent_at > now() - interval '24 hours'
GROUP BY operation, outcome
ORDER BY operation, outcome;
