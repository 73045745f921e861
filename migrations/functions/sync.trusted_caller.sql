-- Whether the role running this statement may use the switches the software sets for itself:
-- `pasisync.system = 'on'` (edit read-only settings and the schedules that follow them) and
-- `pasisync.origin = 'pasi'` (a change that came from PASI writes no data event). A switch is a
-- transaction setting any session can set, so on its own it guards nothing; it counts only for the
-- cluster's role (pasisync_worker) and for the owner of the schema (migrations, `pasisync seed`).
-- current_user, not session_user: a SECURITY DEFINER function of the owner (sync.apply_schedules,
-- run by a person's change of a setting) acts as the owner, which is what it is for. Superusers
-- are members of every role. See docs/roles.md.
CREATE OR REPLACE FUNCTION sync.trusted_caller() RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, 'pasisync_worker', 'MEMBER')
        OR pg_has_role(current_user, (SELECT nspowner FROM pg_catalog.pg_namespace WHERE nspname = 'sync'), 'MEMBER')
$$;
