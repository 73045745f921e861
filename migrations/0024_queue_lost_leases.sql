-- Lost leases in a row: how many attempts of a job in a row ended with their lease expiring early
-- (the worker killed, crashed, frozen past the lease, or cut off from PostgreSQL within
-- JobQueue.LostLease.longRunningLeases leases of the attempt's start). The reaper spends an attempt
-- on each, backs off, and fails the job at JobQueue.LostLease.limit (3). An attempt that fails in
-- the ordinary way, a retry asked for by a person, and a lease lost by an attempt that had run
-- longer (handed back at once) set it back to 0. A worker shutting down gracefully releases its
-- jobs without touching it.
ALTER TABLE queue.jobs ADD COLUMN lost_leases integer NOT NULL DEFAULT 0 CHECK (lost_leases >= 0);
