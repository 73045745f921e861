-- Users limited to some schools (issue 24): such a user sees only the students those schools enrol
-- and the alerts about those schools and their students, as PASI scopes a school's users. NULL: every school.
ALTER TABLE console.users
    ADD COLUMN schools text[],
    ADD CONSTRAINT schools_are_school_codes CHECK (schools IS NULL OR (cardinality(schools) > 0
        AND array_to_string(schools, ',') ~ '^[0-9]{4}(,[0-9]{4})*$'));
