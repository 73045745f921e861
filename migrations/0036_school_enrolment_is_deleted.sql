-- A 2020-endpoint Student School Enrolment has no Registration Status (issue 20, item 5): "Registration
-- Status data element was removed from business object: Student School Enrolment in release 7.10";
-- it is "a calculated property for backward compatibility for 2018 and older end points"
-- (https://extranet.education.alberta.ca/pasidevnet/docs/Business/registration_status.html). The
-- 2018 endpoint's CreatedInError maps to Is Deleted = true, every other status to false
-- (https://extranet.education.alberta.ca/pasidevnet/Docs/Business/submit_student_school_enrolment_2018_end_point_earlier.html).
--
-- The local copy follows the Knowledge Base: registration_status goes, is_deleted replaces it. No
-- derived registration_status is kept: the 2018 mapping cannot be run backwards (Registered, Active
-- and Completed all map to false), and the seed shows no Registration Status on any page or extract.
-- An enrolment PASI holds deleted (created in error) stays in the local copy, flagged, as PASI keeps
-- it and the change feed and PASI's hash list carry it.
ALTER TABLE pasi.school_enrolments ADD COLUMN is_deleted boolean NOT NULL DEFAULT false;

UPDATE pasi.school_enrolments
   SET is_deleted = true
 WHERE registration_status IN ('Created in Error', 'CreatedInError');

ALTER TABLE pasi.school_enrolments DROP COLUMN registration_status;
