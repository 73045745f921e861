-- The processes that run for as long as a switch is on (Regular Synchronization: regular_sync and
-- pasi_data_available) are one job each, kept by a unique key. Turning the switch on starts it
-- (a kind not yet registered is left out); the job itself ends when it sees the switch off.
-- Workers call this at start too, so a job that failed for good is started again by a restart,
-- and the jobs waiting for the Start Delay decide again from the restarted cluster's start
-- (sync.wake_start_delay_waits): the delay counts from the cluster's latest start.
CREATE OR REPLACE FUNCTION sync.start_switched_jobs() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    started integer := 0;
    n integer;
BEGIN
    IF sync.setting('regular_synchronization') = 'on' THEN
        INSERT INTO queue.jobs (kind, args, unique_key)
        SELECT k.name, '{}', k.name FROM queue.job_kinds k
        WHERE k.name IN ('regular_sync', 'pasi_data_available')
          AND NOT EXISTS (SELECT 1 FROM queue.jobs j WHERE j.unique_key = k.name
                          AND j.state IN ('waiting', 'pending', 'running', 'retrying'))
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;
        started := started + n;
        PERFORM sync.wake_start_delay_waits();
    END IF;
    RETURN started;
END $$;
