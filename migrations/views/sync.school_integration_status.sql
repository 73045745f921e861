-- Each school's Course Mark Integration Status as the PASI Configuration page lists it: blank
-- means Inactive ("By default, this field is set to blank which implies that the school is
-- Inactive"); stored_value shows the blank the seed's Step 2 asks to change to Inactive.
CREATE OR REPLACE VIEW sync.school_integration_status AS
SELECT s.school_code::text AS school_code, s.name, s.is_high_school,
       coalesce(s.course_mark_integration_status, 'Inactive') AS course_mark_integration_status,
       s.course_mark_integration_status AS stored_value
FROM sis.schools s
ORDER BY s.school_code;
