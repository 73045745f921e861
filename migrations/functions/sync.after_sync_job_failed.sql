-- A sync job failed for good (out of attempts, refused, or its children failed): a Failure alert
-- a person finds with the others, naming the job and its last error.
-- SECURITY DEFINER: a person's cancel fails the sync jobs that waited on the cancelled job, so this
-- runs as the operator or the console (docs/roles.md), who may not write alerts themselves; as the
-- owner it writes only this alert, and they are given no INSERT on sync.core_alerts. Without it
-- the refused INSERT became the WARNING below and the Failure alert was lost without a word.
CREATE OR REPLACE FUNCTION sync.after_sync_job_failed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    kind_row queue.job_kinds;
BEGIN
    SELECT * INTO kind_row FROM queue.job_kinds WHERE name = NEW.kind;
    IF kind_row.family IS DISTINCT FROM 'sync' THEN RETURN NULL; END IF;
    BEGIN
        -- One line of text (an alert's message obeys PASI's string rule: no runs of white space).
        INSERT INTO sync.core_alerts (alert_type, status_type, alert_code, message, arguments, job_id)
        VALUES ('Failure', 'Synchronization', 'JOB_FAILED',
                left(btrim(regexp_replace(format('%s (job %s) failed after %s of %s attempts: %s',
                            coalesce(nullif(kind_row.title, ''), NEW.kind), NEW.id, NEW.attempt, NEW.max_attempts,
                            coalesce(NEW.last_error, 'no error recorded')), '[[:space:][:cntrl:]]+', ' ', 'g')), 2000),
                jsonb_build_object('job_id', NEW.id::text, 'kind', NEW.kind), NEW.id);
    EXCEPTION WHEN others THEN
        -- The job's own state must be written whatever happens to its alert.
        RAISE WARNING 'could not raise the Failure alert of job %: %', NEW.id, SQLERRM;
    END;
    RETURN NULL;
END $$;

CREATE OR REPLACE TRIGGER jobs_sync_failure_alert AFTER UPDATE OF state ON queue.jobs
    FOR EACH ROW WHEN (NEW.state = 'failed' AND OLD.state IS DISTINCT FROM 'failed')
    EXECUTE FUNCTION sync.after_sync_job_failed();
