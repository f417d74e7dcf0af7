/**
 * The queue is the execution rows in `requested`/`delayed`, ordered by run_at. Each query repeats
 * `status IN ('requested', 'delayed')` literally so SQLite can use the partial index
 * `executions_queue`, which holds only waiting rows.
 */
import type Database from 'better-sqlite3';
import type { ExecutionRecord } from '../../domain/types.ts';
import { EXECUTION_COLUMNS, rowToRecord, type ExecutionRow } from '../execution-row.ts';

// INDEXED BY: without statistics the planner prefers executions_by_status and then sorts every
// waiting row; with a backlog that turns each claim into a scan.
export const SELECT_DUE_SQL = `SELECT id FROM executions INDEXED BY executions_queue
WHERE status IN ('requested', 'delayed') AND run_at <= ?
ORDER BY run_at, id LIMIT ?`;

// The ids come from SELECT_DUE_SQL; one UPDATE claims them all. The unary `+` on the status
// re-check keeps the planner on the primary key rather than scanning executions_by_status.
export const CLAIM_SQL = `UPDATE executions SET
  status = 'scheduled',
  log = json_insert(log, '$[#]', json_object('timestamp', CAST(:now AS INTEGER), 'status', 'scheduled')),
  owner = :owner,
  lease_expires_at = :lease,
  run_at = NULL
WHERE id IN (SELECT value FROM json_each(:ids)) AND +status IN ('requested', 'delayed')
RETURNING ${EXECUTION_COLUMNS}`;

// `status = 'requested'` narrows the rows the partial index yields (future delayed ones stay put).
export const MARK_DELAYED_SQL = `UPDATE executions INDEXED BY executions_queue SET
  status = 'delayed',
  log = json_insert(log, '$[#]', json_object('timestamp', CAST(:now AS INTEGER), 'status', 'delayed'))
WHERE status IN ('requested', 'delayed') AND run_at > :now AND status = 'requested'
RETURNING ${EXECUTION_COLUMNS}`;

export const NEXT_DUE_SQL = `SELECT min(run_at) AS v FROM executions INDEXED BY executions_queue WHERE status IN ('requested', 'delayed')`;

export interface ExecutionQueue {
  claimDue(now: number, limit: number, owner: string, leaseUntil?: number): ExecutionRecord[];
  markDelayed(now: number): ExecutionRecord[];
  nextDueAt(): number | undefined;
}

export function prepareExecutionQueue(db: Database.Database): ExecutionQueue {
  const selectDue = db.prepare<[number, number], string>(SELECT_DUE_SQL).pluck();
  const claimAll = db
    .prepare<{ ids: string; now: number; owner: string; lease: number | null }, ExecutionRow>(CLAIM_SQL)
    .raw();
  const markDelayed = db.prepare<{ now: number }, ExecutionRow>(MARK_DELAYED_SQL).raw();
  const nextDue = db.prepare<[], number | null>(NEXT_DUE_SQL).pluck();

  // No transaction of its own: the select and the update are each atomic, and the update's status
  // re-check means a row another connection claimed in between is skipped, never claimed twice.
  // (Run by the store inside a BEGIN IMMEDIATE batch, that never even happens.)
  function claim(now: number, limit: number, owner: string, lease: number | null): ExecutionRecord[] {
    const ids = selectDue.all(now, limit);
    if (ids.length === 0) return [];
    const rows = claimAll.all({ ids: JSON.stringify(ids), now, owner, lease });
    // RETURNING order is unspecified: put them back in due order.
    const position = new Map(ids.map((id, i) => [id, i]));
    return rows.sort((a, b) => (position.get(a[0]) ?? 0) - (position.get(b[0]) ?? 0)).map(rowToRecord);
  }

  return {
    claimDue: (now, limit, owner, leaseUntil) =>
      limit > 0 ? claim(now, limit, owner, leaseUntil ?? null) : [],
    markDelayed: (now) =>
      markDelayed
        .all({ now })
        // RETURNING order is unspecified; id order is creation order.
        .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        .map(rowToRecord),
    nextDueAt: () => nextDue.get() ?? undefined,
  };
}
