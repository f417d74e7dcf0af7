-- Workflows (Orquesta and ActionChain): each one's persisted state, saved after every step so a
-- restarted process continues where the previous one stopped.
CREATE TABLE workflows (
  id           TEXT PRIMARY KEY, -- the workflow execution id
  execution_id TEXT NOT NULL,    -- the action execution it currently runs for
  kind         TEXT NOT NULL CHECK (kind IN ('orquesta', 'action-chain')),
  finished     INTEGER NOT NULL, -- 0 or 1
  state        TEXT NOT NULL,    -- JSON document, opaque to the store
  saved_seq    INTEGER NOT NULL  -- creation order, so recovery resumes the oldest first
) STRICT;
CREATE INDEX workflows_by_execution ON workflows (execution_id);
CREATE INDEX workflows_unfinished ON workflows (saved_seq) WHERE finished = 0;

-- Retention deletes old executions; the workflow each one ran for goes with it.
CREATE TRIGGER workflows_follow_executions AFTER DELETE ON executions
BEGIN
  DELETE FROM workflows WHERE execution_id = OLD.id;
END;
