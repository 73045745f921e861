-- Open alerts, newest first, as the PASI Core Alerts page lists them.
CREATE OR REPLACE VIEW sync.open_alerts AS
SELECT id, alert_type, status_type, conflict_type, alert_code, acknowledgement, asn, student_id,
       enrolment_id, school_code, school_year, ref_id, message, arguments, created_at
FROM sync.core_alerts
WHERE resolved_at IS NULL
ORDER BY created_at DESC, id DESC;
