-- Squall's PostgreSQL schema, version 1: the same tables as the SQLite schema, for scale-out.
--
-- Principles: the execution row is small enough to list millions of, the result lives apart
-- (`execution_results`) and no listing reads it; the rows in `requested`/`delayed` are the queue;
-- snapshots of actions and runner types are content-addressed and never change.
--
-- Names are unqualified: every connection of the store sets search_path to its configured schema,
-- and migrations run on such a connection, so all of this lands in that schema.
-- Text columns are COLLATE "C": comparisons and ORDER BY are bytewise, as on SQLite, whatever the
-- database's locale (and "C" b-trees are the cheapest to compare).
-- Documents are `json`, not `jsonb`: json keeps the text as written, so keys come back in the order
-- stored, as the wire must show them; it is still validated on the way in.
-- Times are bigint microseconds since the epoch, like every *_ts / run_at in the store.

CREATE TABLE packs (
  ref      text COLLATE "C" PRIMARY KEY,
  path     text NOT NULL,
  metadata json NOT NULL
);

-- Immutable documents keyed by a hash of their canonical JSON (see src/store/snapshot-id.ts).
CREATE TABLE snapshots (
  id  text COLLATE "C" PRIMARY KEY,
  doc json NOT NULL -- as first stored (key order kept for the wire)
);

CREATE TABLE actions (
  id          text COLLATE "C" PRIMARY KEY,
  ref         text COLLATE "C" NOT NULL UNIQUE,
  pack        text COLLATE "C" NOT NULL,
  name        text COLLATE "C" NOT NULL,
  doc         json NOT NULL, -- the Action as the API shows it
  snapshot_id text COLLATE "C" NOT NULL REFERENCES snapshots (id)
);
-- StackStorm lists actions by pack, then name.
CREATE INDEX actions_by_pack_name ON actions (pack, name);

CREATE TABLE executions (
  id                  text COLLATE "C" PRIMARY KEY,
  liveaction_id       text COLLATE "C" NOT NULL,
  action_ref          text COLLATE "C" NOT NULL,
  action_snapshot     text COLLATE "C" NOT NULL,
  runner_snapshot     text COLLATE "C" NOT NULL,
  runner_name         text COLLATE "C" NOT NULL,
  status              text COLLATE "C" NOT NULL CHECK (status IN ('requested', 'scheduled', 'delayed',
                        'running', 'succeeded', 'failed', 'timeout', 'abandoned', 'canceling', 'canceled',
                        'pending', 'pausing', 'paused', 'resuming')),
  start_ts            bigint NOT NULL,
  end_ts              bigint,
  parent_id           text COLLATE "C",
  "user"              text COLLATE "C",
  parameters          json NOT NULL, -- object
  context             json NOT NULL, -- object
  liveaction          json NOT NULL, -- object: callback, runner_info, notify, action_is_workflow
  log                 json NOT NULL, -- array of {timestamp, status}, appended by squall_log_append
  delay               bigint NOT NULL, -- milliseconds
  result_size         bigint NOT NULL, -- bytes of the serialized result in execution_results
  trigger_refs        json NOT NULL, -- object: rule, trigger, trigger_type, trigger_instance
  -- Copied out of trigger_refs so that filters on them are indexable.
  rule_name           text COLLATE "C",
  trigger_name        text COLLATE "C",
  trigger_type_name   text COLLATE "C",
  trigger_instance_id text COLLATE "C",
  workflow_execution  text COLLATE "C",
  task_execution      text COLLATE "C",
  -- When a requested/delayed execution becomes due (start_ts + delay); NULL once it has left the queue.
  run_at              bigint,
  -- The worker that claimed it.
  owner               text
);

-- The default list order is start_ts DESC, action_ref ASC, then id as the tie-break; this index
-- serves it without a sort, and the partial copy serves st2web's history (parent=null).
CREATE INDEX executions_by_start ON executions (start_ts DESC, action_ref, id DESC);
CREATE INDEX executions_top_level_by_start ON executions (start_ts DESC, action_ref, id DESC)
  WHERE parent_id IS NULL;

-- One index per common equality filter, each followed by start_ts so the filtered list comes out
-- in order (scanned backwards for the default descending order). They also serve distinctValues'
-- loose index scan. Nullable columns keep NULLs first, the order the contract sorts them in
-- ascending (and, scanned backwards, last descending), so a sort on them can read the index too.
CREATE INDEX executions_by_status ON executions (status, start_ts);
CREATE INDEX executions_by_action ON executions (action_ref, start_ts);
-- The st2web / CLI combination: status and action together, page and count from the index alone.
CREATE INDEX executions_by_status_action ON executions (status, action_ref, start_ts);
CREATE INDEX executions_by_runner ON executions (runner_name, start_ts);
CREATE INDEX executions_by_user ON executions ("user" NULLS FIRST, start_ts);
CREATE INDEX executions_by_liveaction ON executions (liveaction_id);
-- Children are rare next to top-level runs; the partial index also serves childrenOf's order.
CREATE INDEX executions_by_parent ON executions (parent_id, start_ts, id) WHERE parent_id IS NOT NULL;
-- Not partial, although manual runs have no rule: distinctValues must also learn whether any
-- execution lacks one, and only an index holding the NULLs answers that without a table scan.
CREATE INDEX executions_by_rule ON executions (rule_name NULLS FIRST, start_ts);
CREATE INDEX executions_by_trigger ON executions (trigger_name NULLS FIRST, start_ts);
CREATE INDEX executions_by_trigger_type ON executions (trigger_type_name NULLS FIRST, start_ts);
-- Only looked up by value: manual runs stay out.
CREATE INDEX executions_by_trigger_instance ON executions (trigger_instance_id)
  WHERE trigger_instance_id IS NOT NULL;

-- The queue: only rows waiting to run are in it, in the order they are claimed. Queries repeat the
-- predicate (status IN ('requested', 'delayed')) so the planner can prove the partial index applies.
CREATE INDEX executions_queue ON executions (run_at, id) WHERE status IN ('requested', 'delayed');

-- Kept apart so a list of executions never reads a (possibly megabytes large) result. text, not
-- json: it is stored and returned byte for byte as the runner's result was serialized, and never
-- looked into, so validating megabytes of it on every write would buy nothing.
CREATE TABLE execution_results (
  execution_id text COLLATE "C" PRIMARY KEY REFERENCES executions (id) ON DELETE CASCADE,
  result       text NOT NULL
);

CREATE TABLE execution_output (
  id           bigserial PRIMARY KEY, -- append order, never reused
  execution_id text COLLATE "C" NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  ts           bigint NOT NULL,
  output_type  text COLLATE "C" NOT NULL,
  data         text NOT NULL,
  -- text cannot hold U+0000, which process output may contain: such a chunk's data is stored as
  -- its JSON string (escaped) and this is true.
  data_is_json boolean NOT NULL DEFAULT false
);
CREATE INDEX execution_output_by_execution ON execution_output (execution_id, id);

-- Appends {"timestamp": at, "status": status} to a log array, as text, so that the entries already
-- there keep their key order (a jsonb round trip would reorder every entry's keys to status,
-- timestamp). The log is written compact by the store, so its last character is the closing `]`.
-- STABLE, not IMMUTABLE, because to_json and text concatenation are: only then does the planner
-- inline the body into the UPDATE instead of planning a function call on every statement.
CREATE FUNCTION squall_log_append(log json, at bigint, status text) RETURNS json
LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT (
    CASE WHEN json_array_length(log) = 0 THEN '['
      ELSE left(rtrim(log::text, E' \t\r\n'), -1) || ',' END
    || '{"timestamp":' || at || ',"status":' || to_json(status)::text || '}]'
  )::json
$$;

-- `{...target, ...patch}` of two JSON objects, as the Store's `runnerInfo` and `contextPatch`
-- promise: keys of `target` keep their place (with the patch's value when it has one), new keys
-- follow in the patch's order, nested values are replaced whole and JSON nulls are kept. Built as
-- text from json_each, which hands back each value's text untouched, so nested key order survives
-- (jsonb's `||` would do the merge but sort every object's keys). A target that is not an object
-- (missing, null) counts as empty, as spreading it in JavaScript would.
-- PL/pgSQL rather than SQL: it keeps the query's plan for the session, where a SQL function that
-- cannot be inlined is planned again in every statement calling it (~0.2 ms per transition).
CREATE FUNCTION squall_shallow_merge(target json, patch json) RETURNS json
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN (
    WITH base AS (
      SELECT key, value, ord
      FROM json_each(CASE WHEN json_typeof(target) = 'object' THEN target END)
        WITH ORDINALITY AS t (key, value, ord)
    ), changes AS (
      SELECT key, value, ord FROM json_each(patch) WITH ORDINALITY AS p (key, value, ord)
    )
    SELECT coalesce('{' || string_agg(to_json(m.key)::text || ':' || m.value::text, ',' ORDER BY m.side, m.ord)
      || '}', '{}')::json
    FROM (
      SELECT b.key, coalesce(c.value, b.value) AS value, 0 AS side, b.ord
      FROM base AS b LEFT JOIN changes AS c ON c.key = b.key
      UNION ALL
      SELECT c.key, c.value, 1, c.ord
      FROM changes AS c WHERE NOT EXISTS (SELECT FROM base AS b WHERE b.key = c.key)
    ) AS m
  );
END
$$;
