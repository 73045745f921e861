-- School course marks (issue 11): the seed's Getting Ready for Synchronization for School Course
-- Marks, steps 2 to 4 and 6. People read and change it with
--   SELECT * FROM sync.school_integration_status;        -- each school's Course Mark Integration Status
--   UPDATE sis.schools SET course_mark_integration_status = 'Inactive' WHERE school_code = '1042';
--   SELECT * FROM sync.school_term_validations;           -- the School Terms Validations that fail
--   SELECT * FROM sync.school_term_validations WHERE school_code = '1042';   -- at school level

-- The business rules of the School Terms Validations (the seed's PASI Data Validation Viewer):
-- PASIModel's SchoolTermRule holds the same texts, and a test keeps the two equal.
CREATE TABLE sync.school_term_rules (
    code              text PRIMARY KEY,
    position          integer NOT NULL UNIQUE,
    name              text NOT NULL,
    business_rule     text NOT NULL,
    steps_to_correct  text NOT NULL
);
INSERT INTO sync.school_term_rules (position, code, name, business_rule, steps_to_correct) VALUES
    (1, 'ALTERNATE_TERM_CODE_MISSING', 'Term with sections has no Alternate Term Code',
     'Every term that has sections must have an Alternate Term Code (required for sections): PASI knows a section''s term only by that code, so a section of a term without one cannot be uploaded or synchronized.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and, under Alberta Information Required for PASI Direct Connect, select its Alternate Term Code; click Submit. In psql: UPDATE sis.terms SET alternate_term_code = ''CODE'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).'),
    (2, 'FINAL_MARK_STORE_CODE_MISSING', 'Term with sections has no Final Mark Store Code',
     'Every term that has sections must have a Final Mark Store Code (required for marks): a section''s evaluated marks are the stored grades under its term''s Final Mark Store Code, so without one no mark of the term''s sections reaches PASI.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and, under Alberta Information Required for PASI Direct Connect, enter the store code its final marks are stored under as the Final Mark Store Code; click Submit. In psql: UPDATE sis.terms SET final_mark_store_code = ''CODE'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).'),
    (3, 'ALTERNATE_TERM_CODE_SHARED', 'Alternate Term Code used by two terms of a school year',
     'The terms of one school year at one school must each have their own Alternate Term Code: PASI would take the sections of a course in the two terms for one another.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and give it an Alternate Term Code no other term of that school year uses; click Submit. In psql: UPDATE sis.terms SET alternate_term_code = ''CODE'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).'),
    (4, 'TERM_OUTSIDE_SCHOOL_YEAR', 'Term outside its school year',
     'A term must lie within its school year: its First Day and Last Day of Term within those of the year term of the same school and school year.',
     'From the School''s Start page, under Setup, click School; under Scheduling, click Years & Terms; select the school year and click Edit Terms; edit the term and correct its First Day of Term or Last Day of Term (or the year term''s) so that the term lies within the school year; click Submit. In psql: UPDATE sis.terms SET first_day = ''YYYY-MM-DD'', last_day = ''YYYY-MM-DD'' WHERE id = TERM_ID; Then run the validations again (pasisync validate school-terms --school CODE).');
