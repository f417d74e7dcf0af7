/**
 * Writes to the execution row: creating it and the conditional status change. A transition is one
 * UPDATE … RETURNING, so the `from` check, the status, the log entry and the rest change together.
 */
import type Database from 'better-sqlite3';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import type { Transition } from '../store.ts';
import {
  EXECUTION_COLUMNS,
  INSERT_EXECUTION_COLUMNS,
  recordToInsertParams,
  rowToRecord,
  type ExecutionRow,
  type InsertExecutionParams,
} from '../execution-row.ts';

export type SerializedResult = { json: string; size: number };

const INSERT_EXECUTION_SQL = `INSERT INTO executions (${INSERT_EXECUTION_COLUMNS})
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// Upsert rather than INSERT OR REPLACE: REPLACE deletes first, which would fire cascades.
const UPSERT_RESULT_SQL = `INSERT INTO execution_results (execution_id, result) VALUES (?, ?)
  ON CONFLICT (execution_id) DO UPDATE SET result = excluded.result`;

/**
 * Optional parts are NULL-guarded so that one statement serves every transition.
 * - `:from` is the allowed statuses as ',a,b,' (statuses contain no commas): cheaper than json_each.
 * - runner_info and context are shallow-merged by squall_shallow_merge (below) because json_patch
 *   merges recursively and drops keys whose new value is null.
 * - a change of owner ends the old owner's lease (only claimDue grants one).
 * - run_at is cleared when the row leaves the queue; entering it, the row is due at `:run_at`,
 *   else when it was already due, else now.
 */
export const TRANSITION_SQL = `UPDATE executions SET
  status = :to,
  log = json_insert(log, '$[#]', json_object('timestamp', CAST(:at AS INTEGER), 'status', :to)),
  end_ts = coalesce(:end_ts, end_ts),
  result_size = coalesce(:result_size, result_size),
  liveaction = CASE WHEN :runner_info IS NULL THEN liveaction ELSE json_set(liveaction, '$.runner_info',
    json(squall_shallow_merge(liveaction -> '$.runner_info', :runner_info))) END,
  context = CASE WHEN :context_patch IS NULL THEN context
    ELSE squall_shallow_merge(context, :context_patch) END,
  owner = CASE WHEN :set_owner THEN :owner ELSE owner END,
  lease_expires_at = CASE WHEN :set_owner THEN NULL ELSE lease_expires_at END,
  run_at = CASE WHEN :to IN ('requested', 'delayed') THEN coalesce(:run_at, run_at, :at) ELSE NULL END
WHERE id = :id AND instr(:from, ',' || status || ',') > 0
RETURNING ${EXECUTION_COLUMNS}`;

interface TransitionParams {
  id: string;
  from: string;
  to: string;
  at: number;
  end_ts: number | null;
  result_size: number | null;
  runner_info: string | null;
  context_patch: string | null;
  set_owner: 0 | 1;
  owner: string | null;
  run_at: number | null;
}

export interface ExecutionWrites {
  create(record: ExecutionRecord, result?: SerializedResult): void;
  transition(change: Transition): ExecutionRecord | undefined;
}

/**
 * `{...target, ...patch}` of two JSON objects, as the Store's `runnerInfo` and `contextPatch`
 * promise: nested objects are replaced, not merged, and null values are kept. Spread, not
 * Object.assign, so a `__proto__` key stays data.
 */
function shallowMerge(target: unknown, patch: unknown): string {
  const base = typeof target === 'string' ? (JSON.parse(target) as JsonObject) : {};
  return JSON.stringify({ ...base, ...(JSON.parse(String(patch)) as JsonObject) });
}

export function prepareExecutionWrites(db: Database.Database): ExecutionWrites {
  db.function('squall_shallow_merge', { deterministic: true }, shallowMerge);
  const insert = db.prepare<InsertExecutionParams>(INSERT_EXECUTION_SQL);
  const upsertResult = db.prepare<[string, string]>(UPSERT_RESULT_SQL);
  const update = db.prepare<TransitionParams, ExecutionRow>(TRANSITION_SQL).raw();

  const createWithResult = db.transaction((record: ExecutionRecord, result: SerializedResult) => {
    insert.run(...recordToInsertParams({ ...record, resultSize: result.size }));
    upsertResult.run(record.id, result.json);
  });

  const transitionWithResult = db.transaction((params: TransitionParams, result: SerializedResult) => {
    const row = update.get(params);
    // A refused transition must not touch the result either.
    if (row) upsertResult.run(params.id, result.json);
    return row;
  });

  return {
    create(record, result) {
      if (result) createWithResult(record, result);
      else insert.run(...recordToInsertParams(record));
    },

    transition(change) {
      const params: TransitionParams = {
        id: change.id,
        from: `,${change.from.join(',')},`,
        to: change.to,
        at: change.at,
        end_ts: change.endTimestamp ?? null,
        result_size: change.result?.size ?? null,
        runner_info: change.runnerInfo ? JSON.stringify(change.runnerInfo) : null,
        context_patch: change.contextPatch ? JSON.stringify(change.contextPatch) : null,
        set_owner: change.owner === undefined ? 0 : 1,
        owner: change.owner ?? null,
        run_at: change.runAt ?? null,
      };
      const row = change.result ? transitionWithResult(params, change.result) : update.get(params);
      return row && rowToRecord(row);
    },
  };
}
