-- Workers whose heartbeat is recent, with what each one is running now.
CREATE OR REPLACE VIEW queue.live_workers AS
SELECT w.id,
       w.host,
       w.pid,
       w.slots,
       (SELECT count(*) FROM queue.jobs j WHERE j.state = 'running' AND j.lease_owner = w.id) AS running,
       w.stopping,
       date_trunc('second', now() - w.started_at) AS up,
       date_trunc('millisecond', now() - w.heartbeat_at) AS last_heartbeat
FROM queue.workers w
WHERE w.heartbeat_at > now() - interval '60 seconds';
