-- Version 2: leases, so that many workers can share the database. A worker claiming an execution
-- records when its claim lapses unless renewed; a worker that stops renewing (killed, cut off) has
-- its executions ended by whichever process finds the lease expired. NULL: no lease (not claimed,
-- or claimed by a caller that asked for none).
ALTER TABLE executions ADD COLUMN lease_expires_at bigint;

-- The reaper's scan: only leased rows, soonest to expire first.
CREATE INDEX executions_by_lease ON executions (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
