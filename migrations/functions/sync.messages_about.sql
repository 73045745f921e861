-- The PASI messages about a student: the newest `scan` entries of the messages log whose request
-- or response names the ASN, without their bodies. The log has no column for the record a message
-- is about, so the bodies are searched; SECURITY DEFINER, so that the console's role
-- (pasisync_console, docs/roles.md) sees which messages concern a student without being able to
-- read any body (they hold names, birth dates and addresses). `scan` bounds the work on a long log.
CREATE OR REPLACE FUNCTION sync.messages_about(student_asn text, scan integer)
RETURNS TABLE (id bigint, operation text, sent_at timestamptz, duration_ms integer, outcome text,
               fault_code integer, detail text, job_id bigint)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    SELECT m.id, m.operation, m.sent_at, m.duration_ms, m.outcome, m.fault_code, m.detail, m.job_id
    FROM (SELECT * FROM sync.message_log ORDER BY message_log.id DESC LIMIT greatest(scan, 0)) AS m
    WHERE student_asn ~ '^[0-9]{9}$'
      AND (strpos(m.request_body, student_asn) > 0 OR strpos(m.response_body, student_asn) > 0)
    ORDER BY m.id DESC
$$;
