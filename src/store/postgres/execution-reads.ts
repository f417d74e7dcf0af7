/**
 * Point reads of executions and their satellites. Id lists are bound as one text[] parameter, so
 * the statement (prepared once per connection) is the same for any list length.
 */
import type { Pool } from 'pg';
import type { DistinctColumn } from '../../domain/execution-query.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { ExecutionRecord, Json } from '../../domain/types.ts';
import {
  checkDistinctColumn,
  distinctSql,
  hasNullSql,
  NOT_NULL_DISTINCT_COLUMNS,
} from '../distinct-values.ts';
import { EXECUTION_COLUMNS, rowToRecord, type ExecutionRow } from '../execution-row.ts';
import { rowsOf, statement, valueOf, type Statement } from './connection-pool.ts';

const GET = statement('get_execution', `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = $1`);
// max() over the primary key (COLLATE "C": bytewise, like the ids' creation order) is one index probe.
const LAST_ID = statement('last_execution_id', 'SELECT max(id) FROM executions');
const CHILDREN = statement(
  'children_of',
  `SELECT parent_id, id FROM executions WHERE parent_id = ANY ($1::text[]) ORDER BY start_ts, id`,
);
const RESULTS = statement(
  'get_results',
  'SELECT execution_id, result FROM execution_results WHERE execution_id = ANY ($1::text[])',
);
const BY_IDS = statement(
  'executions_by_ids',
  `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ANY ($1::text[]) ORDER BY id`,
);
const BY_STATUS = statement(
  'executions_by_status',
  `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE status = ANY ($1::text[]) ORDER BY start_ts, id`,
);

export interface ExecutionReads {
  get(id: string): Promise<ExecutionRecord | undefined>;
  lastId(): Promise<string | undefined>;
  childrenOf(parentIds: readonly string[]): Promise<Map<string, string[]>>;
  results(ids: readonly string[]): Promise<Map<string, string>>;
  byStatus(statuses: readonly ExecutionStatus[]): Promise<ExecutionRecord[]>;
  byIds(ids: readonly string[]): Promise<ExecutionRecord[]>;
  distinctValues(column: DistinctColumn): Promise<Json[]>;
}

export function createExecutionReads(pool: Pool): ExecutionReads {
  // Named on first use, one pair per column: views/filters is rare next to the hot path.
  const distinct = new Map<DistinctColumn, { values: Statement; hasNull: Statement }>();

  return {
    async get(id) {
      const [row] = await rowsOf<ExecutionRow>(pool, GET, [id]);
      return row && rowToRecord(row);
    },
    async lastId() {
      return (await valueOf<string | null>(pool, LAST_ID, [])) ?? undefined;
    },
    async childrenOf(parentIds) {
      const map = new Map<string, string[]>(parentIds.map((id) => [id, []]));
      if (parentIds.length === 0) return map;
      for (const [parent, id] of await rowsOf<[string, string]>(pool, CHILDREN, [parentIds])) {
        map.get(parent)?.push(id);
      }
      return map;
    },
    async results(ids) {
      const map = new Map<string, string>();
      if (ids.length === 0) return map;
      for (const [id, result] of await rowsOf<[string, string]>(pool, RESULTS, [ids])) map.set(id, result);
      return map;
    },
    async byIds(ids) {
      if (ids.length === 0) return [];
      return (await rowsOf<ExecutionRow>(pool, BY_IDS, [ids])).map(rowToRecord);
    },
    async byStatus(statuses) {
      if (statuses.length === 0) return [];
      return (await rowsOf<ExecutionRow>(pool, BY_STATUS, [statuses])).map(rowToRecord);
    },
    async distinctValues(column) {
      let statements = distinct.get(column);
      if (!statements) {
        checkDistinctColumn(column);
        statements = {
          values: statement(`distinct_${column}`, distinctSql(column)),
          hasNull: statement(`has_null_${column}`, hasNullSql(column)),
        };
        distinct.set(column, statements);
      }
      const lookForNull = !NOT_NULL_DISTINCT_COLUMNS.has(column);
      const [rows, hasNull] = await Promise.all([
        rowsOf<[string]>(pool, statements.values, []),
        lookForNull ? valueOf<boolean>(pool, statements.hasNull, []) : false,
      ]);
      const values: Json[] = rows.map((r) => r[0]);
      if (hasNull) values.push(null);
      return values;
    },
  };
}
