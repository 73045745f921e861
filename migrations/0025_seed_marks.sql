-- What `pasisync seed` may replace (issue 22, item 3). Seed empties every sis.* and pasi.* table;
-- it refuses a database that holds data it did not write, unless told (--replace-real-data):
--   SELECT * FROM sync.district_loads ORDER BY id DESC LIMIT 1;   -- the last seed and its row counts
--   SELECT * FROM sync.regular_synchronization_switched_on;       -- each time Regular Sync went on
-- A database that has Regular Synchronization on even once is treated as real: its sis.* is a
-- SIS's and its pasi.* is PASI's, whatever their counts say.

-- One row per district load (DistrictLoader), written in the load's transaction.
CREATE TABLE sync.district_loads (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    loaded_at          timestamptz NOT NULL DEFAULT now(),
    -- What was loaded, in words, e.g. "synthetic district: 1000 students, seed 1".
    source             text NOT NULL,
    sis_only           boolean NOT NULL,
    -- Loaded although the checks found data no seed wrote (--replace-real-data).
    replaced_real_data boolean NOT NULL,
    -- Every sis.* table's row count after the load, e.g. {"sis.students": 1000, ...}: the next
    -- load compares today's counts with these.
    rows_by_table      jsonb NOT NULL,
    -- Row counts of every table the load emptied, as they were before it.
    emptied            jsonb NOT NULL
);

-- Every switch of Regular Synchronization to on (functions/sync.record_regular_sync_on.sql).
CREATE TABLE sync.regular_synchronization_switched_on (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    switched_at timestamptz NOT NULL DEFAULT now(),
    switched_by text NOT NULL
);

-- A database that had it on before this migration: on now, or a Regular Sync job on record.
INSERT INTO sync.regular_synchronization_switched_on (switched_at, switched_by)
SELECT s.updated_at, s.updated_by || ' (found on by migration 0025)' FROM sync.settings s
WHERE s.key = 'regular_synchronization'
  AND (s.value = 'on' OR EXISTS (SELECT 1 FROM queue.jobs j WHERE j.kind IN ('regular_sync', 'pasi_data_available')));
