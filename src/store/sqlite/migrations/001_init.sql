-- Squall's embedded schema, version 1.
--
-- Principles: the execution row is small enough to list millions of, the result lives apart
-- (`execution_results`) and no listing reads it; the rows in `requested`/`delayed` are the queue;
-- snapshots of actions and runner types are content-addressed and never change.
-- Tables are STRICT so a wrong type is an error at write time, not a surprise at read time.

CREATE TABLE packs (
  ref      TEXT PRIMARY KEY,
  path     TEXT NOT NULL,
  metadata TEXT NOT NULL -- JSON object
) STRICT;

-- Immutable documents keyed by a hash of their canonical JSON (see src/store/snapshot-id.ts).
CREATE TABLE snapshots (
  id  TEXT PRIMARY KEY,
  doc TEXT NOT NULL -- JSON object, as first stored (key order kept for the wire)
) STRICT;

CREATE TABLE actions (
  id          TEXT PRIMARY KEY,
  ref         TEXT NOT NULL UNIQUE,
  pack        TEXT NOT NULL,
  name        TEXT NOT NULL,
  doc         TEXT NOT NULL, -- the Action as the API shows it
  snapshot_id TEXT NOT NULL REFERENCES snapshots (id)
) STRICT;
-- StackStorm lists actions by pack, then name.
CREATE INDEX actions_by_pack_name ON actions (pack, name);

CREATE TABLE executions (
  id                  TEXT PRIMARY KEY,
  liveaction_id       TEXT NOT NULL,
  action_ref          TEXT NOT NULL,
  action_snapshot     TEXT NOT NULL,
  runner_snapshot     TEXT NOT NULL,
  runner_name         TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('requested', 'scheduled', 'delayed', 'running',
                        'succeeded', 'failed', 'timeout', 'abandoned', 'canceling', 'canceled', 'pending',
                        'pausing', 'paused', 'resuming')),
  start_ts            INTEGER NOT NULL, -- microseconds since the epoch, like every *_ts / run_at
  end_ts              INTEGER,
  parent_id           TEXT,
  "user"              TEXT,
  parameters          TEXT NOT NULL, -- JSON object
  context             TEXT NOT NULL, -- JSON object
  liveaction          TEXT NOT NULL, -- JSON object: callback, runner_info, notify, action_is_workflow
  log                 TEXT NOT NULL, -- JSON array of {timestamp, status}
  delay               INTEGER NOT NULL, -- milliseconds
  result_size         INTEGER NOT NULL, -- bytes of the serialized result in execution_results
  trigger_refs        TEXT NOT NULL, -- JSON object: rule, trigger, trigger_type, trigger_instance
  -- Copied out of trigger_refs so that filters on them are indexable.
  rule_name           TEXT,
  trigger_name        TEXT,
  trigger_type_name   TEXT,
  trigger_instance_id TEXT,
  workflow_execution  TEXT,
  task_execution      TEXT,
  -- When a requested/delayed execution becomes due (start_ts + delay); NULL once it has left the queue.
  run_at              INTEGER,
  -- The worker that claimed it.
  owner               TEXT
) STRICT;

-- The default list order is start_ts DESC, action_ref ASC, then id as the tie-break; this index
-- serves it without a sort, and the partial copy serves st2web's history (parent=null).
CREATE INDEX executions_by_start ON executions (start_ts DESC, action_ref, id DESC);
CREATE INDEX executions_top_level_by_start ON executions (start_ts DESC, action_ref, id DESC)
  WHERE parent_id IS NULL;

-- One index per common equality filter, each followed by start_ts so the filtered list comes out
-- in order (only ties on start_ts are sorted). They also make distinctValues a skip scan.
CREATE INDEX executions_by_status ON executions (status, start_ts);
CREATE INDEX executions_by_action ON executions (action_ref, start_ts);
-- The st2web / CLI combination: status and action together, page and count from the index alone.
CREATE INDEX executions_by_status_action ON executions (status, action_ref, start_ts);
CREATE INDEX executions_by_runner ON executions (runner_name, start_ts);
CREATE INDEX executions_by_user ON executions ("user", start_ts);
CREATE INDEX executions_by_liveaction ON executions (liveaction_id);
-- Children are rare next to top-level runs; the partial index also serves childrenOf's order.
CREATE INDEX executions_by_parent ON executions (parent_id, start_ts, id) WHERE parent_id IS NOT NULL;
-- Not partial, although manual runs have no rule: distinctValues must also learn whether any
-- execution lacks one, and only an index holding the NULLs answers that without a table scan.
CREATE INDEX executions_by_rule ON executions (rule_name, start_ts);
CREATE INDEX executions_by_trigger ON executions (trigger_name, start_ts);
CREATE INDEX executions_by_trigger_type ON executions (trigger_type_name, start_ts);
-- Only looked up by value: manual runs stay out.
CREATE INDEX executions_by_trigger_instance ON executions (trigger_instance_id)
  WHERE trigger_instance_id IS NOT NULL;

-- The queue: only rows waiting to run are in it, in the order they are claimed. Queries must repeat
-- the WHERE clause literally for SQLite to use a partial index.
CREATE INDEX executions_queue ON executions (run_at, id) WHERE status IN ('requested', 'delayed');

-- Kept apart so a list of executions never reads a (possibly megabytes large) result. WITHOUT
-- ROWID: one b-tree keyed by execution id instead of a table plus an index on it.
CREATE TABLE execution_results (
  execution_id TEXT PRIMARY KEY REFERENCES executions (id) ON DELETE CASCADE,
  result       TEXT NOT NULL -- serialized JSON exactly as the runner's result was serialized
) STRICT, WITHOUT ROWID;

CREATE TABLE execution_output (
  id           INTEGER PRIMARY KEY AUTOINCREMENT, -- append order, never reused
  execution_id TEXT NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  ts           INTEGER NOT NULL,
  output_type  TEXT NOT NULL,
  data         TEXT NOT NULL
) STRICT;
CREATE INDEX execution_output_by_execution ON execution_output (execution_id, id);
