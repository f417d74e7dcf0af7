-- Workflows (Orquesta and ActionChain): each one's persisted state, saved after every step so a
-- restarted process continues where the previous one stopped.
CREATE TABLE workflows (
  id           text COLLATE "C" PRIMARY KEY, -- the workflow execution id
  execution_id text COLLATE "C" NOT NULL,    -- the action execution it currently runs for
  kind         text NOT NULL CHECK (kind IN ('orquesta', 'action-chain')),
  finished     boolean NOT NULL,
  state        text NOT NULL,                -- JSON document, opaque to the store
  saved_seq    bigserial NOT NULL            -- creation order, so recovery resumes the oldest first
);
CREATE INDEX workflows_by_execution ON workflows (execution_id);
CREATE INDEX workflows_unfinished ON workflows (saved_seq) WHERE NOT finished;

-- Retention deletes old executions; the workflow each one ran for goes with it.
CREATE FUNCTION workflows_follow_executions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM workflows WHERE execution_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER workflows_follow_executions AFTER DELETE ON executions
  FOR EACH ROW EXECUTE FUNCTION workflows_follow_executions();
