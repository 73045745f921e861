-- The local PASI store's records PASI answers No Access or Unknown to (pasi.record_availability),
-- with whether the local copy is still held: kept, not synchronized, until PASI answers Normal.
CREATE OR REPLACE VIEW sync.unavailable_records AS
SELECT a.record_type, a.ref_id, a.availability, a.since, a.last_seen_at, a.job_id,
       CASE a.record_type
           WHEN 'Student' THEN EXISTS (SELECT 1 FROM pasi.students s WHERE s.ref_id::text = a.ref_id)
           WHEN 'StudentSchoolEnrolment' THEN EXISTS (SELECT 1 FROM pasi.school_enrolments e WHERE e.ref_id::text = a.ref_id)
       END AS local_copy_held
FROM pasi.record_availability a
ORDER BY a.since DESC, a.record_type, a.ref_id;
