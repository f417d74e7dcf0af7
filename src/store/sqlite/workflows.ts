/** Persisted workflow states (see `WorkflowRecord`): one row per workflow, replaced on every step. */
import type Database from 'better-sqlite3';
import type { WorkflowKind, WorkflowRecord } from '../store.ts';

// A new workflow (version 0) is inserted at version 1; a known one is replaced only at the version
// it was read at (the WHERE of the upsert), else nothing changes.
const SAVE_SQL = `INSERT INTO workflows (id, execution_id, kind, finished, state, saved_seq, version)
VALUES (:id, :executionId, :kind, :finished, :state,
  (SELECT coalesce(max(saved_seq), 0) + 1 FROM workflows), 1)
ON CONFLICT (id) DO UPDATE SET execution_id = excluded.execution_id, finished = excluded.finished,
  state = excluded.state, version = workflows.version + 1
WHERE workflows.version = :version AND :version > 0`;
const COLUMNS = 'id, execution_id AS executionId, kind, finished, state, version';

interface Row {
  id: string;
  executionId: string;
  kind: WorkflowKind;
  finished: number;
  state: string;
  version: number;
}

export interface WorkflowTable {
  save(record: WorkflowRecord): boolean;
  get(id: string): WorkflowRecord | undefined;
  byExecution(executionId: string): WorkflowRecord | undefined;
  unfinished(): WorkflowRecord[];
}

function toRecord(row: Row): WorkflowRecord {
  return { ...row, finished: row.finished !== 0 };
}

export function prepareWorkflows(db: Database.Database): WorkflowTable {
  const save = db.prepare<{
    id: string;
    executionId: string;
    kind: string;
    finished: number;
    state: string;
    version: number;
  }>(SAVE_SQL);
  const get = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM workflows WHERE id = ?`);
  const byExecution = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM workflows WHERE execution_id = ? ORDER BY saved_seq DESC LIMIT 1`,
  );
  const unfinished = db.prepare<[], Row>(
    `SELECT ${COLUMNS} FROM workflows WHERE finished = 0 ORDER BY saved_seq`,
  );
  return {
    save: (r) =>
      save.run({
        id: r.id,
        executionId: r.executionId,
        kind: r.kind,
        finished: r.finished ? 1 : 0,
        state: r.state,
        version: r.version,
      }).changes === 1,
    get: (id) => {
      const row = get.get(id);
      return row ? toRecord(row) : undefined;
    },
    byExecution: (executionId) => {
      const row = byExecution.get(executionId);
      return row ? toRecord(row) : undefined;
    },
    unfinished: () => unfinished.all().map(toRecord),
  };
}
