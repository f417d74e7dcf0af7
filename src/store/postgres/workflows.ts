/** Persisted workflow states (see `WorkflowRecord`): one row per workflow, replaced on every step. */
import type { Pool } from 'pg';
import type { WorkflowKind, WorkflowRecord } from '../store.ts';
import { rowsOf, statement } from './connection-pool.ts';

const SAVE = statement(
  'save_workflow',
  `INSERT INTO workflows (id, execution_id, kind, finished, state) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (id) DO UPDATE SET execution_id = excluded.execution_id, finished = excluded.finished,
  state = excluded.state`,
);
const COLUMNS = 'id, execution_id, kind, finished, state';
const GET = statement('get_workflow', `SELECT ${COLUMNS} FROM workflows WHERE id = $1`);
const BY_EXECUTION = statement(
  'workflow_by_execution',
  `SELECT ${COLUMNS} FROM workflows WHERE execution_id = $1 ORDER BY saved_seq DESC LIMIT 1`,
);
const UNFINISHED = statement(
  'unfinished_workflows',
  `SELECT ${COLUMNS} FROM workflows WHERE NOT finished ORDER BY saved_seq`,
);

type Row = [id: string, executionId: string, kind: WorkflowKind, finished: boolean, state: string];

function toRecord([id, executionId, kind, finished, state]: Row): WorkflowRecord {
  return { id, executionId, kind, finished, state };
}

export interface WorkflowTable {
  save(record: WorkflowRecord): Promise<void>;
  get(id: string): Promise<WorkflowRecord | undefined>;
  byExecution(executionId: string): Promise<WorkflowRecord | undefined>;
  unfinished(): Promise<WorkflowRecord[]>;
}

export function createWorkflows(pool: Pool): WorkflowTable {
  const first = (rows: Row[]): WorkflowRecord | undefined => (rows[0] ? toRecord(rows[0]) : undefined);
  return {
    async save(r) {
      await rowsOf(pool, SAVE, [r.id, r.executionId, r.kind, r.finished, r.state]);
    },
    get: async (id) => first(await rowsOf<Row>(pool, GET, [id])),
    byExecution: async (executionId) => first(await rowsOf<Row>(pool, BY_EXECUTION, [executionId])),
    unfinished: async () => (await rowsOf<Row>(pool, UNFINISHED, [])).map(toRecord),
  };
}
