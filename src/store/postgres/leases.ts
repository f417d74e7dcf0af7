/**
 * Leases: a worker's claim on an execution lapses unless it keeps renewing it. Renewal is one
 * UPDATE for all of a worker's executions; expiry is one statement that any number of processes
 * may run at once (SKIP LOCKED: each expired lease is ended by exactly one of them).
 */
import type { Pool } from 'pg';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { ExecutionRecord } from '../../domain/types.ts';
import { EXECUTION_COLUMNS, rowToRecord, type ExecutionRow } from '../execution-row.ts';
import type { HeldExecution } from '../store.ts';
import { rowsOf, statement } from './connection-pool.ts';

// $1 owner, $2 ids, $3 new expiry. The primary key finds the rows; owner and status re-check them.
export const RENEW_LEASES = statement(
  'renew_leases',
  `UPDATE executions SET lease_expires_at = $3::bigint
WHERE id = ANY ($2::text[]) AND owner = $1::text AND status IN ('scheduled', 'running', 'canceling')
RETURNING id, status`,
);

// $1 owner, $2 ids.
export const RELEASE_LEASES = statement(
  'release_leases',
  `UPDATE executions SET owner = NULL, lease_expires_at = NULL
WHERE id = ANY ($2::text[]) AND owner = $1::text`,
);

/**
 * $1 now, $2 limit, $3 result of abandoned runs, $4 owner to leave alone (or NULL), $5 its size,
 * $6 owners known dead, whose leases end whatever their expiry.
 * In SET, column names are the old row: `status` is what the execution was in when its lease ran
 * out, `owner` whose lease it was. RETURNING and `changed` see the new row.
 */
export const EXPIRE_LEASES = statement(
  'expire_leases',
  `WITH expired AS MATERIALIZED (
  SELECT id AS expired_id FROM executions
  WHERE lease_expires_at IS NOT NULL AND (lease_expires_at < $1::bigint OR owner = ANY ($6::text[]))
    AND status IN ('scheduled', 'running', 'canceling')
    AND ($4::text IS NULL OR owner IS DISTINCT FROM $4::text)
  ORDER BY lease_expires_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), changed AS (
  UPDATE executions SET
    status = CASE status WHEN 'scheduled' THEN 'requested' WHEN 'running' THEN 'abandoned' ELSE 'canceled' END,
    log = squall_log_append(log, $1::bigint,
      CASE status WHEN 'scheduled' THEN 'requested' WHEN 'running' THEN 'abandoned' ELSE 'canceled' END),
    end_ts = CASE WHEN status = 'scheduled' THEN end_ts ELSE $1::bigint END,
    result_size = CASE WHEN status = 'running' THEN $5::bigint ELSE result_size END,
    context = CASE WHEN status = 'scheduled' THEN context ELSE squall_shallow_merge(context,
      json_build_object('lease_expired', json_build_object('worker', owner, 'expired_at', lease_expires_at)))
      END,
    run_at = CASE WHEN status = 'scheduled' THEN $1::bigint END,
    owner = NULL,
    lease_expires_at = NULL
  FROM expired WHERE id = expired_id
  RETURNING ${EXECUTION_COLUMNS}
), stored AS (
  INSERT INTO execution_results (execution_id, result)
  SELECT id, $3::text FROM changed WHERE status = 'abandoned'
  ON CONFLICT (execution_id) DO UPDATE SET result = excluded.result
)
SELECT * FROM changed ORDER BY id`,
);

export const LEASE_OWNERS = statement(
  'lease_owners',
  `SELECT DISTINCT owner FROM executions WHERE lease_expires_at IS NOT NULL AND owner IS NOT NULL`,
);

export interface Leases {
  renew(owner: string, ids: readonly string[], until: number): Promise<HeldExecution[]>;
  release(owner: string, ids: readonly string[]): Promise<void>;
  expire(
    now: number,
    limit: number,
    result: { json: string; size: number },
    exceptOwner?: string,
    deadOwners?: readonly string[],
  ): Promise<ExecutionRecord[]>;
  owners(): Promise<string[]>;
}

export function createLeases(pool: Pool): Leases {
  return {
    async renew(owner, ids, until) {
      if (ids.length === 0) return [];
      const rows = await rowsOf<[string, ExecutionStatus]>(pool, RENEW_LEASES, [owner, ids, until]);
      return rows.map(([id, status]) => ({ id, status }));
    },
    async release(owner, ids) {
      if (ids.length === 0) return;
      await rowsOf(pool, RELEASE_LEASES, [owner, ids]);
    },
    async expire(now, limit, result, exceptOwner, deadOwners = []) {
      if (limit <= 0) return [];
      const params = [now, limit, result.json, exceptOwner ?? null, result.size, deadOwners];
      return (await rowsOf<ExecutionRow>(pool, EXPIRE_LEASES, params)).map(rowToRecord);
    },
    async owners() {
      return (await rowsOf<[string]>(pool, LEASE_OWNERS, [])).map(([owner]) => owner);
    },
  };
}
