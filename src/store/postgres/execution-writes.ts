/**
 * Writes to the execution row: creating it and the conditional status change. Each is a single
 * statement, so a single round trip and atomic without an explicit transaction: the result upsert
 * rides along as a data-modifying CTE that only sees the row when the main change happened.
 */
import type { Pool } from 'pg';
import type { ExecutionRecord } from '../../domain/types.ts';
import {
  EXECUTION_COLUMNS,
  INSERT_EXECUTION_COLUMNS,
  recordToInsertParams,
  rowToRecord,
  type ExecutionRow,
} from '../execution-row.ts';
import type { Transition } from '../store.ts';
import { rowsOf, statement } from './connection-pool.ts';

export type SerializedResult = { json: string; size: number };

/** $1…$25 as recordToInsertParams orders them, $26 the serialized result or NULL. */
export const CREATE_EXECUTION = statement(
  'create_execution',
  `WITH created AS (
  INSERT INTO executions (${INSERT_EXECUTION_COLUMNS})
  VALUES (${Array.from({ length: 25 }, (_, i) => `$${i + 1}`).join(', ')})
  RETURNING id
)
INSERT INTO execution_results (execution_id, result)
SELECT id, $26::text FROM created WHERE $26::text IS NOT NULL`,
);

/**
 * Optional parts are NULL-guarded so that one prepared statement serves every transition:
 * $1 id, $2 allowed statuses, $3 new status, $4 at, $5 end_ts, $6 result_size, $7 runner_info
 * patch, $8 context patch, $9 whether to set the owner, $10 owner, $11 run_at, $12 result.
 * - The log entry is appended as text and runner_info/context shallow-merged by SQL functions of
 *   the schema (see the migration) that keep every key where it was.
 * - a change of owner ends the old owner's lease (only claimDue grants one).
 * - run_at is cleared when the row leaves the queue; entering it, the row is due at $11, else when
 *   it was already due, else now.
 * - The result upsert reads `changed`, so a refused transition touches no result either.
 */
export const TRANSITION = statement(
  'transition',
  `WITH changed AS (
  UPDATE executions SET
    status = $3::text,
    log = squall_log_append(log, $4::bigint, $3::text),
    end_ts = coalesce($5::bigint, end_ts),
    result_size = coalesce($6::bigint, result_size),
    liveaction = CASE WHEN $7::json IS NULL THEN liveaction ELSE squall_shallow_merge(liveaction,
      json_build_object('runner_info', squall_shallow_merge(liveaction -> 'runner_info', $7::json))) END,
    context = CASE WHEN $8::json IS NULL THEN context ELSE squall_shallow_merge(context, $8::json) END,
    owner = CASE WHEN $9::boolean THEN $10::text ELSE owner END,
    lease_expires_at = CASE WHEN $9::boolean THEN NULL ELSE lease_expires_at END,
    run_at = CASE WHEN $3::text IN ('requested', 'delayed') THEN coalesce($11::bigint, run_at, $4::bigint) END
  WHERE id = $1::text AND status = ANY ($2::text[])
  RETURNING ${EXECUTION_COLUMNS}
), stored AS (
  INSERT INTO execution_results (execution_id, result)
  SELECT id, $12::text FROM changed WHERE $12::text IS NOT NULL
  ON CONFLICT (execution_id) DO UPDATE SET result = excluded.result
)
SELECT * FROM changed`,
);

export interface ExecutionWrites {
  create(record: ExecutionRecord, result?: SerializedResult): Promise<void>;
  transition(change: Transition): Promise<ExecutionRecord | undefined>;
}

export function createExecutionWrites(pool: Pool): ExecutionWrites {
  return {
    async create(record, result) {
      const params = recordToInsertParams(result ? { ...record, resultSize: result.size } : record);
      await rowsOf(pool, CREATE_EXECUTION, [...params, result?.json ?? null]);
    },

    async transition(change) {
      if (change.from.length === 0) return undefined;
      const [row] = await rowsOf<ExecutionRow>(pool, TRANSITION, [
        change.id,
        change.from,
        change.to,
        change.at,
        change.endTimestamp ?? null,
        change.result?.size ?? null,
        change.runnerInfo ? JSON.stringify(change.runnerInfo) : null,
        change.contextPatch ? JSON.stringify(change.contextPatch) : null,
        change.owner !== undefined,
        change.owner ?? null,
        change.runAt ?? null,
        change.result?.json ?? null,
      ]);
      return row && rowToRecord(row);
    },
  };
}
