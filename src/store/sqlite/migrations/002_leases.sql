-- Version 2: leases, as on PostgreSQL. The embedded store serves one process, which recovers what
-- it left in flight at start; the lease columns keep both backends behaving alike under the
-- contract suite and let a worker notice it lost an execution.
ALTER TABLE executions ADD COLUMN lease_expires_at INTEGER;

CREATE INDEX executions_by_lease ON executions (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
