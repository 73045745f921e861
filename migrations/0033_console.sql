-- The web console (issue 24): its users, their sessions and the audit log of every action taken
-- through it. Passwords are bcrypt hashes made by `pasisync users add` (cost 12); a session row
-- holds the SHA-256 of the cookie's token, not the token, so a read of this table logs nobody in.
CREATE SCHEMA IF NOT EXISTS console;
REVOKE ALL ON SCHEMA console FROM PUBLIC;

CREATE TABLE console.users (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE CONSTRAINT user_name_is_plain CHECK (name ~ '^[A-Za-z0-9._@-]{1,64}$'),
    role          text NOT NULL CONSTRAINT role_is_known CHECK (role IN ('viewer', 'operator', 'admin')),
    password_hash text NOT NULL CONSTRAINT password_hash_is_bcrypt CHECK (password_hash ~ '^\$2[aby]\$'),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE console.sessions (
    token_sha256 bytea PRIMARY KEY,
    user_id      bigint NOT NULL REFERENCES console.users ON DELETE CASCADE,
    csrf_token   text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL
);
CREATE INDEX sessions_expires_at ON console.sessions (expires_at);
CREATE INDEX sessions_user_id ON console.sessions (user_id);

-- Who did what, when, through the console (or `pasisync users`). The user's name, not a reference:
-- an entry outlives the user. Refused actions are written too, with the reason.
CREATE TABLE console.audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    user_name text NOT NULL,
    action    text NOT NULL,
    target    text,
    outcome   text NOT NULL CONSTRAINT outcome_is_known CHECK (outcome IN ('done', 'refused')),
    detail    text
);
CREATE INDEX audit_log_at ON console.audit_log (at DESC, id DESC);
