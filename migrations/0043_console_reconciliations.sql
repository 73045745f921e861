-- The Reconciliation Process run from the web console (issue 24): the result of a reconcile of two
-- uploaded PASIprep exports, kept so that the person who ran it can download it from any console of
-- the cluster. It holds students' ASNs and marks: the console keeps a result one day (it deletes older
-- ones whenever it stores one, and never hands one out past that), and only to the user who made it.
-- The uploaded exports themselves are not kept.
CREATE TABLE console.reconciliations (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_name    text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    export_type  text NOT NULL CHECK (export_type IN ('CM', 'EM', 'SE')),
    before_name  text NOT NULL,
    after_name   text NOT NULL,
    result_name  text NOT NULL CHECK (result_name ~ '^[A-Za-z0-9._-]+$'),
    -- Records per Match Status: {"Perfectly Matched": 12, ...}.
    counts       jsonb NOT NULL,
    content      bytea NOT NULL
);
CREATE INDEX reconciliations_user ON console.reconciliations (user_name, created_at DESC);
