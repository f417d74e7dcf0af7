/**
 * Point reads of executions and their satellites. Id lists are bound as one JSON array and expanded
 * with json_each, so the SQL text (and its prepared statement) is the same for any list length.
 */
import type Database from 'better-sqlite3';
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

const GET_SQL = `SELECT ${EXECUTION_COLUMNS} FROM executions WHERE id = ?`;
const LAST_ID_SQL = 'SELECT max(id) FROM executions';
const CHILDREN_SQL = `SELECT parent_id AS parent, id FROM executions
WHERE parent_id IN (SELECT value FROM json_each(?)) ORDER BY start_ts, id`;
const RESULTS_SQL = `SELECT execution_id AS id, result FROM execution_results
WHERE execution_id IN (SELECT value FROM json_each(?))`;
const BY_IDS_SQL = `SELECT ${EXECUTION_COLUMNS} FROM executions
WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`;

const BY_STATUS_SQL = `SELECT ${EXECUTION_COLUMNS} FROM executions
WHERE status IN (SELECT value FROM json_each(?)) ORDER BY start_ts, id`;

export interface ExecutionReads {
  get(id: string): ExecutionRecord | undefined;
  lastId(): string | undefined;
  childrenOf(parentIds: readonly string[]): Map<string, string[]>;
  results(ids: readonly string[]): Map<string, string>;
  byStatus(statuses: readonly ExecutionStatus[]): ExecutionRecord[];
  byIds(ids: readonly string[]): ExecutionRecord[];
  distinctValues(column: DistinctColumn): Json[];
}

export function prepareExecutionReads(db: Database.Database): ExecutionReads {
  const get = db.prepare<[string], ExecutionRow>(GET_SQL).raw();
  const lastId = db.prepare<[], string | null>(LAST_ID_SQL).pluck();
  const children = db.prepare<[string], { parent: string; id: string }>(CHILDREN_SQL);
  const results = db.prepare<[string], { id: string; result: string }>(RESULTS_SQL);
  const byStatus = db.prepare<[string], ExecutionRow>(BY_STATUS_SQL).raw();
  const byIds = db.prepare<[string], ExecutionRow>(BY_IDS_SQL).raw();
  // Prepared on first use: views/filters is rare next to the hot path.
  const distinct = new Map<
    DistinctColumn,
    { values: Database.Statement<[], string>; hasNull: Database.Statement<[], number> }
  >();

  return {
    get(id) {
      const row = get.get(id);
      return row && rowToRecord(row);
    },
    lastId: () => lastId.get() ?? undefined,
    childrenOf(parentIds) {
      const map = new Map<string, string[]>(parentIds.map((id) => [id, []]));
      if (parentIds.length === 0) return map;
      for (const row of children.all(JSON.stringify(parentIds))) map.get(row.parent)?.push(row.id);
      return map;
    },
    results(ids) {
      const map = new Map<string, string>();
      if (ids.length === 0) return map;
      for (const row of results.all(JSON.stringify(ids))) map.set(row.id, row.result);
      return map;
    },
    byIds(ids) {
      return ids.length === 0 ? [] : byIds.all(JSON.stringify(ids)).map(rowToRecord);
    },
    byStatus(statuses) {
      if (statuses.length === 0) return [];
      return byStatus.all(JSON.stringify(statuses)).map(rowToRecord);
    },
    distinctValues(column) {
      let statements = distinct.get(column);
      if (!statements) {
        checkDistinctColumn(column);
        statements = {
          values: db.prepare<[], string>(distinctSql(column)).pluck(),
          hasNull: db.prepare<[], number>(hasNullSql(column)).pluck(),
        };
        distinct.set(column, statements);
      }
      const values: Json[] = statements.values.all();
      if (!NOT_NULL_DISTINCT_COLUMNS.has(column) && statements.hasNull.get() === 1) values.push(null);
      return values;
    },
  };
}
