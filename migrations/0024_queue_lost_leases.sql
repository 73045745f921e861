-- Lost leases in a row: how many attempts of a job in a row ended with its lease expiring (its
-- worker killed, crashed, frozen past the lease, or cut off from PostgreSQL). The reaper spends
-- an attempt on each, backs off, and fails the job at JobQueue.LostLease.limit (3); an attempt
-- that fails in the ordinary way, and a retry asked for by a person, set it back to 0. A worker
-- shutting down gracefully releases its jobs without touching it.
ALTER TABLE queue.jobs ADD COLUMN lost_leases integer NOT NULL DEFAULT 0 CHECK (lost_leases >= 0);
