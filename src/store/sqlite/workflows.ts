/** Persisted workflow states (see `WorkflowRecord`): one row per workflow, replaced on every step. */
import type Database from 'better-sqlite3';
import type { WorkflowKind, WorkflowRecord } from '../store.ts';

const SAVE_SQL = `INSERT INTO workflows (id, execution_id, kind, finished, state, saved_seq)
VALUES (:id, :executionId, :kind, :finished, :state, (SELECT coalesce(max(saved_seq), 0) + 1 FROM workflows))
ON CONFLICT (id) DO UPDATE SET execution_id = excluded.execution_id, finished = excluded.finished,
  state = excluded.state`;
const COLUMNS = 'id, execution_id AS executionId, kind, finished, state';

interface Row {
  id: string;
  executionId: string;
  kind: WorkflowKind;
  finished: number;
  state: string;
}

export interface WorkflowTable {
  save(record: WorkflowRecord): void;
  get(id: string): WorkflowRecord | undefined;
  byExecution(executionId: string): WorkflowRecord | undefined;
  unfinished(): WorkflowRecord[];
}

function toRecord(row: Row): WorkflowRecord {
  return { ...row, finished: row.finished !== 0 };
}

export function prepareWorkflows(db: Database.Database): WorkflowTable {
  const save = db.prepare<{ id: string; executionId: string; kind: string; finished: number; state: string }>(
    SAVE_SQL,
  );
  const get = db.prepare<[string], Row>(`SELECT ${COLUMNS} FROM workflows WHERE id = ?`);
  const byExecution = db.prepare<[string], Row>(
    `SELECT ${COLUMNS} FROM workflows WHERE execution_id = ? ORDER BY saved_seq DESC LIMIT 1`,
  );
  const unfinished = db.prepare<[], Row>(
    `SELECT ${COLUMNS} FROM workflows WHERE finished = 0 ORDER BY saved_seq`,
  );
  return {
    save: (r) => {
      save.run({
        id: r.id,
        executionId: r.executionId,
        kind: r.kind,
        finished: r.finished ? 1 : 0,
        state: r.state,
      });
    },
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
