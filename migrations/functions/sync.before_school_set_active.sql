-- SCM Step 6, Set Course Mark Integration Status to Active: "After you have run the Initial
-- Upload you can set the Course Mark Integration Status for the school to Active." A school is
-- set Active (from blank or Inactive) only once its Initial Upload completed for the three Upload
-- Types of Step 5, Sections, Course Enrollments and Evaluated Marks (sync.initial_uploads): once
-- Active, only changes are sent, so a row the upload never sent would never reach PASI. Evaluated
-- Marks "can be loaded independently" (of the order of the other two), not skipped. The psql
-- UPDATE is refused the same way as `pasisync schools set-integration-status CODE Active`:
--   UPDATE sis.schools SET course_mark_integration_status = 'Active' WHERE school_code = '1042';
--   ERROR:  school 1042 cannot be set Active: its Initial Upload has not completed for ...
-- A school inserted Active (a SIS loaded as it stands) is not checked: only the change is.
CREATE OR REPLACE FUNCTION sync.before_school_set_active() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    missing text[] := sync.missing_initial_uploads(NEW.school_code::text);
    commands text;
BEGIN
    IF cardinality(missing) > 0 THEN
        SELECT string_agg(format('pasisync run initial-upload --school %s --type %s --wait', NEW.school_code,
                                 CASE m WHEN 'Sections' THEN 'sections' WHEN 'Course Enrollments' THEN 'course-enrolments'
                                        ELSE 'evaluated-marks' END), '; ')
        INTO commands FROM unnest(missing) AS m;
        RAISE EXCEPTION 'school % cannot be set Active: its Initial Upload has not completed for %', NEW.school_code,
                        array_to_string(missing, ', ')
            USING ERRCODE = 'check_violation',
                  HINT = 'Run it first (' || commands || '), then set the school Active.';
    END IF;
    RETURN NEW;
END $$;

CREATE OR REPLACE TRIGGER set_active_after_initial_upload BEFORE UPDATE OF course_mark_integration_status ON sis.schools
    FOR EACH ROW
    WHEN (NEW.course_mark_integration_status = 'Active' AND OLD.course_mark_integration_status IS DISTINCT FROM 'Active')
    EXECUTE FUNCTION sync.before_school_set_active();
