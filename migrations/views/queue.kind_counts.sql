-- Counts per kind and state.
CREATE OR REPLACE VIEW queue.kind_counts AS
SELECT kind,
       count(*) FILTER (WHERE state = 'waiting')   AS waiting,
       count(*) FILTER (WHERE state = 'pending')   AS pending,
       count(*) FILTER (WHERE state = 'running')   AS running,
       count(*) FILTER (WHERE state = 'retrying')  AS retrying,
       count(*) FILTER (WHERE state = 'completed') AS completed,
       count(*) FILTER (WHERE state = 'failed')    AS failed,
       count(*) FILTER (WHERE state = 'cancelled') AS cancelled,
       count(*) AS total
FROM queue.jobs
GROUP BY kind;
