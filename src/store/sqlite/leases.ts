/**
 * Leases on the embedded store. One process uses it, so nothing races here; the statements mirror
 * PostgreSQL's so that both backends behave alike under the contract suite. Each verb runs inside
 * the store's group commit, so a multi-statement verb is atomic.
 */
import type Database from 'better-sqlite3';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { ExecutionRecord } from '../../domain/types.ts';
import { EXECUTION_COLUMNS, rowToRecord, type ExecutionRow } from '../execution-row.ts';
import type { HeldExecution } from '../store.ts';

const RENEW_SQL = `UPDATE executions SET lease_expires_at = :until
WHERE id IN (SELECT value FROM json_each(:ids)) AND owner = :owner
  AND status IN ('scheduled', 'running', 'canceling')
RETURNING id, status`;

const RELEASE_SQL = `UPDATE executions SET owner = NULL, lease_expires_at = NULL
WHERE id IN (SELECT value FROM json_each(:ids)) AND owner = :owner`;

// Column names in SET are the old row, as in PostgreSQL: `status` is what it was in, `owner` whose
// lease it was.
const EXPIRE_SQL = `UPDATE executions SET
  status = CASE status WHEN 'scheduled' THEN 'requested' WHEN 'running' THEN 'abandoned' ELSE 'canceled' END,
  log = json_insert(log, '$[#]', json_object('timestamp', CAST(:now AS INTEGER), 'status',
    CASE status WHEN 'scheduled' THEN 'requested' WHEN 'running' THEN 'abandoned' ELSE 'canceled' END)),
  end_ts = CASE WHEN status = 'scheduled' THEN end_ts ELSE :now END,
  result_size = CASE WHEN status = 'running' THEN :size ELSE result_size END,
  context = CASE WHEN status = 'scheduled' THEN context ELSE squall_shallow_merge(context,
    json_object('lease_expired', json_object('worker', owner, 'expired_at', lease_expires_at))) END,
  run_at = CASE WHEN status = 'scheduled' THEN :now END,
  owner = NULL,
  lease_expires_at = NULL
WHERE id IN (
  SELECT id FROM executions INDEXED BY executions_by_lease
  WHERE lease_expires_at IS NOT NULL
    AND (lease_expires_at < :now OR owner IN (SELECT value FROM json_each(:dead)))
    AND status IN ('scheduled', 'running', 'canceling')
    AND (:except IS NULL OR owner IS NOT :except)
  ORDER BY lease_expires_at LIMIT :limit)
RETURNING ${EXECUTION_COLUMNS}`;

const OWNERS_SQL = `SELECT DISTINCT owner FROM executions INDEXED BY executions_by_lease
WHERE lease_expires_at IS NOT NULL AND owner IS NOT NULL`;

const UPSERT_RESULT_SQL = `INSERT INTO execution_results (execution_id, result) VALUES (?, ?)
  ON CONFLICT (execution_id) DO UPDATE SET result = excluded.result`;

export interface Leases {
  renew(owner: string, ids: readonly string[], until: number): HeldExecution[];
  release(owner: string, ids: readonly string[]): void;
  expire(
    now: number,
    limit: number,
    result: { json: string; size: number },
    exceptOwner?: string,
    deadOwners?: readonly string[],
  ): ExecutionRecord[];
  owners(): string[];
}

/** Needs `squall_shallow_merge`, which the execution writes register: prepare those first. */
export function prepareLeases(db: Database.Database): Leases {
  const renew = db.prepare<{ ids: string; owner: string; until: number }, [string, ExecutionStatus]>(
    RENEW_SQL,
  );
  const expire = db.prepare<
    { now: number; limit: number; size: number; except: string | null; dead: string },
    ExecutionRow
  >(EXPIRE_SQL);
  const release = db.prepare<{ ids: string; owner: string }>(RELEASE_SQL);
  const upsertResult = db.prepare<[string, string]>(UPSERT_RESULT_SQL);
  const owners = db.prepare<[], string>(OWNERS_SQL).pluck();
  const expireAll = db.transaction(
    (
      now: number,
      limit: number,
      result: { json: string; size: number },
      except: string | null,
      dead: string,
    ) => {
      const rows = expire.raw().all({ now, limit, size: result.size, except, dead });
      for (const row of rows) if (row[6] === 'abandoned') upsertResult.run(row[0], result.json);
      return rows.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(rowToRecord);
    },
  );
  return {
    renew(owner, ids, until) {
      if (ids.length === 0) return [];
      return renew
        .raw()
        .all({ ids: JSON.stringify(ids), owner, until })
        .map(([id, status]) => ({ id, status }));
    },
    release(owner, ids) {
      if (ids.length > 0) release.run({ ids: JSON.stringify(ids), owner });
    },
    expire: (now, limit, result, exceptOwner, deadOwners = []) =>
      limit > 0 ? expireAll(now, limit, result, exceptOwner ?? null, JSON.stringify(deadOwners)) : [],
    owners: () => owners.all(),
  };
}
