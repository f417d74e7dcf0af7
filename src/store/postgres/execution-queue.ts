/**
 * The queue is the execution rows in `requested`/`delayed`, ordered by run_at. Each query repeats
 * `status IN ('requested', 'delayed')` literally so the planner can prove the partial index
 * `executions_queue`, which holds only waiting rows, applies.
 */
import type { Pool } from 'pg';
import type { ExecutionRecord } from '../../domain/types.ts';
import { EXECUTION_COLUMNS, rowToRecord, type ExecutionRow } from '../execution-row.ts';
import { rowsOf, statement, valueOf } from './connection-pool.ts';

/**
 * One statement: lock the oldest due rows, skipping any another claimer has locked (SKIP LOCKED),
 * and move them to scheduled. A row claimed and committed by someone else after this statement's
 * snapshot is re-checked once locked and drops out, so no two claimers ever get the same row.
 * MATERIALIZED keeps the locking SELECT a step of its own, evaluated once. RETURNING has no order:
 * the outer SELECT puts the claims back in due order. $1 now, $2 limit, $3 owner, $4 lease expiry (or NULL).
 */
export const CLAIM_DUE = statement(
  'claim_due',
  `WITH due AS MATERIALIZED (
  SELECT id AS due_id, run_at AS due_at FROM executions
  WHERE status IN ('requested', 'delayed') AND run_at <= $1::bigint
  ORDER BY run_at, id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE executions SET
    status = 'scheduled',
    log = squall_log_append(log, $1::bigint, 'scheduled'),
    owner = $3::text,
    lease_expires_at = $4::bigint,
    run_at = NULL
  FROM due WHERE id = due_id
  RETURNING ${EXECUTION_COLUMNS}, due_at
)
SELECT ${EXECUTION_COLUMNS} FROM claimed ORDER BY due_at, id`,
);

// `status = 'requested'` narrows the rows the partial index yields (future delayed ones stay put).
// Several workers mark at once: SKIP LOCKED leaves a row another one is marking to it (rather than
// waiting, or deadlocking on rows locked in another order), and the re-check of the locked row's
// status keeps a row from being marked twice. RETURNING has no order; id order is creation order.
export const MARK_DELAYED = statement(
  'mark_delayed',
  `WITH waiting AS MATERIALIZED (
  SELECT id AS waiting_id FROM executions
  WHERE status IN ('requested', 'delayed') AND run_at > $1::bigint AND status = 'requested'
  FOR UPDATE SKIP LOCKED
), changed AS (
  UPDATE executions SET
    status = 'delayed',
    log = squall_log_append(log, $1::bigint, 'delayed')
  FROM waiting WHERE id = waiting_id
  RETURNING ${EXECUTION_COLUMNS}
)
SELECT * FROM changed ORDER BY id`,
);

export const NEXT_DUE = statement(
  'next_due',
  `SELECT min(run_at) FROM executions WHERE status IN ('requested', 'delayed')`,
);

export interface ExecutionQueue {
  claimDue(now: number, limit: number, owner: string, leaseUntil?: number): Promise<ExecutionRecord[]>;
  markDelayed(now: number): Promise<ExecutionRecord[]>;
  nextDueAt(): Promise<number | undefined>;
}

export function createExecutionQueue(pool: Pool): ExecutionQueue {
  return {
    async claimDue(now, limit, owner, leaseUntil) {
      if (limit <= 0) return [];
      const params = [now, limit, owner, leaseUntil ?? null];
      return (await rowsOf<ExecutionRow>(pool, CLAIM_DUE, params)).map(rowToRecord);
    },
    async markDelayed(now) {
      return (await rowsOf<ExecutionRow>(pool, MARK_DELAYED, [now])).map(rowToRecord);
    },
    async nextDueAt() {
      return (await valueOf<number | null>(pool, NEXT_DUE, [])) ?? undefined;
    },
  };
}
