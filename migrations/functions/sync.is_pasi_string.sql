-- Unicode's White_Space characters, as Swift's isWhitespace knows them (PASIString's rule).
CREATE OR REPLACE FUNCTION sync.is_pasi_string(candidate text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT candidate !~ ('^' || ws) AND candidate !~ (ws || '$') AND candidate !~ (ws || ws)
       AND candidate !~ '[\u0001-\u001f\u007f-\u009f]'
    FROM (VALUES ('[\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]')) AS w (ws)
$$;
