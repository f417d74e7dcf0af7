/**
 * Compiles a backend-neutral ExecutionQuery into SQLite SQL. Values are always bound parameters;
 * the only identifiers spliced into the text are column names checked against the closed sets in
 * `../execution-query-columns.ts`, so a caller's bug cannot become an injection.
 */
import type { Condition, ExecutionQuery, FieldRef, SortKey } from '../../domain/execution-query.ts';
import { EXECUTION_COLUMNS } from '../execution-row.ts';
import {
  JSON_COLUMNS,
  quotedColumn,
  snapshotColumn,
  sortKeysWithTieBreak,
} from '../execution-query-columns.ts';

export type SqlValue = string | number;

export interface CompiledListQuery {
  /** Rows: takes `params` followed by limit and offset. */
  sql: string;
  /** Total matches: takes `params`. */
  countSql: string;
  params: SqlValue[];
}

/**
 * A JSON path with every segment quoted, so dots and brackets in keys are literal. SQLite ends a
 * quoted label at the next `"` whatever precedes it, but decodes JSON escapes inside it, so a quote
 * in a key is written `\u0022`.
 */
export function jsonPath(path: readonly string[]): string {
  let out = '$';
  for (const segment of path)
    out += `."${JSON.stringify(segment).slice(1, -1).replaceAll('\\"', '\\u0022')}"`;
  return out;
}

/**
 * The value at a path as text, as PostgreSQL's `#>>` gives it: strings unquoted, numbers in decimal,
 * booleans `true`/`false` (json_extract alone would give 1/0), objects as JSON; NULL when the path
 * is missing or holds JSON null. Pushes the path (twice: one per function).
 */
function jsonText(document: string, path: readonly string[], params: SqlValue[]): string {
  const p = jsonPath(path);
  params.push(p, p);
  return `CASE json_type(${document}, ?) WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST(json_extract(${document}, ?) AS TEXT) END`;
}

/** `expr <op> value`, pushing the value; values meant for text comparison are bound as text. */
function predicate(expr: string, condition: Condition, asText: boolean, params: SqlValue[]): string {
  switch (condition.op) {
    case 'absent':
      return `${expr} IS NULL`;
    case 'in':
      // One parameter whatever the list length; an empty array matches nothing, as it should.
      params.push(JSON.stringify(condition.values));
      return `${expr} IN (SELECT value FROM json_each(?))`;
    case 'eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte':
      params.push(asText ? String(condition.value) : condition.value);
      return `${expr} ${OPERATORS[condition.op]} ?`;
  }
}

const OPERATORS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function compileCondition(condition: Condition, params: SqlValue[]): string {
  const field: FieldRef = condition.field;
  switch (field.kind) {
    case 'column':
      return predicate(quotedColumn(field.column), condition, false, params);
    case 'json':
      return predicate(
        jsonText(quotedColumn(field.column, JSON_COLUMNS), field.path, params),
        condition,
        true,
        params,
      );
    case 'snapshot': {
      // Snapshots are few (one per action version) and the executions referencing them many:
      // find the matching snapshot ids first, then the executions embedding one of them.
      const column = snapshotColumn(field.snapshot);
      const match = predicate(jsonText('doc', field.path, params), condition, true, params);
      return `${column} IN (SELECT id FROM snapshots WHERE ${match})`;
    }
  }
}

/** ORDER BY with `id` appended (in the first key's direction) so that pages never overlap. */
function orderBy(keys: readonly SortKey[]): string {
  return sortKeysWithTieBreak(keys)
    .map((k) => `${quotedColumn(k.column)} ${k.descending ? 'DESC' : 'ASC'}`)
    .join(', ');
}

export function compileListQuery(query: ExecutionQuery): CompiledListQuery {
  const params: SqlValue[] = [];
  const where = query.where.map((c) => compileCondition(c, params));
  const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  return {
    sql: `SELECT ${EXECUTION_COLUMNS} FROM executions${whereSql} ORDER BY ${orderBy(query.orderBy)} LIMIT ? OFFSET ?`,
    countSql: `SELECT count(*) FROM executions${whereSql}`,
    params,
  };
}
