/** Persisted workflow states (see `WorkflowRecord`): one row per workflow, replaced on every step. */
import type { Pool } from 'pg';
import type { WorkflowKind, WorkflowRecord } from '../store.ts';
import { rowsOf, statement } from './connection-pool.ts';

const SAVE = statement(
  'save_workflow',
  // A new workflow (version 0) is inserted at version 1; a known one is replaced only at the version
  // it was read at (the WHERE of the upsert), else no row comes back.
  `INSERT INTO workflows (id, execution_id, kind, finished, state, version) VALUES ($1, $2, $3, $4, $5, 1)
ON CONFLICT (id) DO UPDATE SET execution_id = excluded.execution_id, finished = excluded.finished,
  state = excluded.state, version = workflows.version + 1
WHERE workflows.version = $6::int AND $6::int > 0
RETURNING version`,
);
const COLUMNS = 'id, execution_id, kind, finished, state, version';
const GET = statement('get_workflow', `SELECT ${COLUMNS} FROM workflows WHERE id = $1`);
const BY_EXECUTION = statement(
  'workflow_by_execution',
  `SELECT ${COLUMNS} FROM workflows WHERE execution_id = $1 ORDER BY saved_seq DESC LIMIT 1`,
);
const UNFINISHED = statement(
  'unfinished_workflows',
  `SELECT ${COLUMNS} FROM workflows WHERE NOT finished ORDER BY saved_seq`,
);

type Row = [
  id: string,
  executionId: string,
  kind: WorkflowKind,
  finished: boolean,
  state: string,
  version: number,
];

function toRecord([id, executionId, kind, finished, state, version]: Row): WorkflowRecord {
  return { id, executionId, kind, finished, state, version };
}

export interface WorkflowTable {
  save(record: WorkflowRecord): Promise<boolean>;
  get(id: string): Promise<WorkflowRecord | undefined>;
  byExecution(executionId: string): Promise<WorkflowRecord | undefined>;
  unfinished(): Promise<WorkflowRecord[]>;
}

export function createWorkflows(pool: Pool): WorkflowTable {
  const first = (rows: Row[]): WorkflowRecord | undefined => (rows[0] ? toRecord(rows[0]) : undefined);
  return {
    async save(r) {
      const rows = await rowsOf(pool, SAVE, [r.id, r.executionId, r.kind, r.finished, r.state, r.version]);
      return rows.length === 1;
    },
    get: async (id) => first(await rowsOf<Row>(pool, GET, [id])),
    byExecution: async (executionId) => first(await rowsOf<Row>(pool, BY_EXECUTION, [executionId])),
    unfinished: async () => (await rowsOf<Row>(pool, UNFINISHED, [])).map(toRecord),
  };
}
