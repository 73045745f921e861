-- The seed's Upload Types the school's Initial Upload has not completed, in the seed's order.
CREATE OR REPLACE FUNCTION sync.missing_initial_uploads(code text) RETURNS text[]
LANGUAGE sql STABLE AS $$
    SELECT coalesce(array_agg(t.upload_type ORDER BY t.position), '{}')
    FROM (VALUES (1, 'Sections'), (2, 'Course Enrollments'), (3, 'Evaluated Marks')) AS t (position, upload_type)
    WHERE NOT EXISTS (SELECT 1 FROM sync.initial_uploads u WHERE u.school_code = code AND u.upload_type = t.upload_type)
$$;
