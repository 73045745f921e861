-- A download batch's ids (ASNs, for students) move from its job's arguments to its row here:
-- `queue.jobs` is read by everyone who runs the cluster and keeps finished jobs for weeks, and
-- must hold no personal data (issue 22). The row lets go of them once the batch is stored.
-- Jobs enqueued before this migration still carry their ids in their arguments.
ALTER TABLE sync.download_batches ADD COLUMN ids text[];
