-- PASI counts lengths in UTF-16 units, as Swift's utf16.count does: a character beyond U+FFFF counts twice.
CREATE OR REPLACE FUNCTION sync.utf16_length(candidate text) RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT char_length(candidate) + char_length(regexp_replace(candidate, '[^\U00010000-\U0010ffff]', '', 'g'))
$$;
