/**
 * `distinctValues` for any SQL backend: the columns it may be asked about and the two queries that
 * answer it. Both SQLite and PostgreSQL (before 18) lack a skip scan of their own, so the values
 * are read as a recursive "loose index scan" over the column's index (every distinct column has
 * one leading with it): one index seek per distinct value instead of reading every row, which
 * matters with millions of executions and a handful of values. The NULL probe is one seek in the
 * same index.
 */
import { ValidationError } from '../domain/errors.ts';
import type { DistinctColumn } from '../domain/execution-query.ts';

const DISTINCT_COLUMNS: ReadonlySet<string> = new Set<DistinctColumn>([
  'action_ref',
  'rule_name',
  'runner_name',
  'status',
  'trigger_name',
  'trigger_type_name',
  'user',
]);

/** Declared NOT NULL in the schema: no need to look for nulls. */
export const NOT_NULL_DISTINCT_COLUMNS: ReadonlySet<DistinctColumn> = new Set([
  'action_ref',
  'runner_name',
  'status',
]);

/** The name is spliced into SQL, so it must come from the closed set, whatever the caller's types said. */
export function checkDistinctColumn(column: DistinctColumn): void {
  if (!DISTINCT_COLUMNS.has(column)) throw new ValidationError(`Unknown distinct column "${column}"`);
}

export function distinctSql(column: DistinctColumn): string {
  const c = `"${column}"`;
  return `WITH RECURSIVE v(x) AS (
  SELECT min(${c}) FROM executions WHERE ${c} IS NOT NULL
  UNION ALL
  SELECT (SELECT min(${c}) FROM executions WHERE ${c} > v.x) FROM v WHERE v.x IS NOT NULL
) SELECT x FROM v WHERE x IS NOT NULL`;
}

export const hasNullSql = (column: DistinctColumn) =>
  `SELECT EXISTS (SELECT 1 FROM executions WHERE "${column}" IS NULL)`;
