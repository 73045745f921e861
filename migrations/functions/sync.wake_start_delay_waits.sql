-- Regular Synchronization's jobs waiting for the Start Delay are made due now, so a worker takes
-- each one and decides again how long it still waits (StartDelay, in the worker: from the Start
-- Delay setting as it is now and the start of the worker's cluster). A job snoozes until the end
-- of the delay as it stood when it was looked at; without this it would sleep through a shortened
-- delay or a cluster restart, until the end of the old one. Called when the setting changes
-- (sync.after_start_delay_change) and when a worker starts (sync.start_switched_jobs).
-- The message is the one SyncJobHandler snoozes with (StartDelay.waitingReason).
CREATE OR REPLACE FUNCTION sync.wake_start_delay_waits() RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    woken integer;
BEGIN
    UPDATE queue.jobs SET run_at = now()
    WHERE kind IN ('regular_sync', 'pasi_data_available') AND state = 'pending' AND run_at > now()
      AND progress_message = 'waiting for the Start Delay after the cluster started';
    GET DIAGNOSTICS woken = ROW_COUNT;
    IF woken > 0 THEN
        PERFORM pg_notify('pasisync_queue', '');
    END IF;
    RETURN woken;
END $$;
