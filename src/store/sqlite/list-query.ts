/**
 * Compiles a backend-neutral ExecutionQuery into SQLite SQL. Values are always bound parameters;
 * the only identifiers spliced into the text are column names checked against the closed sets
 * below, so a caller's bug cannot become an injection.
 */
import { ValidationError } from '../../domain/errors.ts';
import {
  ExecutionColumn,
  type Condition,
  type ExecutionJsonColumn,
  type ExecutionQuery,
  type FieldRef,
  type SortKey,
} from '../../domain/execution-query.ts';
import { EXECUTION_COLUMNS } from './execution-row.ts';

export type SqlValue = string | number;

export interface CompiledListQuery {
  /** Rows: takes `params` followed by limit and offset. */
  sql: string;
  /** Total matches: takes `params`. */
  countSql: string;
  params: SqlValue[];
}

const COLUMNS: ReadonlySet<string> = new Set(Object.values(ExecutionColumn));
const JSON_COLUMNS: ReadonlySet<string> = new Set<ExecutionJsonColumn>([
  'context',
  'parameters',
  'liveaction',
  'trigger_refs',
]);
const SNAPSHOT_COLUMNS = { action: 'action_snapshot', runner: 'runner_snapshot' } as const;

/** StackStorm's default: newest first, then by action ref. */
export const DEFAULT_ORDER: readonly SortKey[] = [
  { column: 'start_ts', descending: true },
  { column: 'action_ref', descending: false },
];

function column(name: string, allowed: ReadonlySet<string> = COLUMNS): string {
  if (!allowed.has(name)) throw new ValidationError(`Unknown execution column "${name}"`);
  return `"${name}"`;
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
      return predicate(column(field.column), condition, false, params);
    case 'json':
      return predicate(
        jsonText(column(field.column, JSON_COLUMNS), field.path, params),
        condition,
        true,
        params,
      );
    case 'snapshot': {
      // Snapshots are few (one per action version) and the executions referencing them many:
      // find the matching snapshot ids first, then the executions embedding one of them.
      const snapshotColumn = SNAPSHOT_COLUMNS[field.snapshot];
      if (!snapshotColumn) throw new ValidationError(`Unknown snapshot "${String(field.snapshot)}"`);
      const match = predicate(jsonText('doc', field.path, params), condition, true, params);
      return `${snapshotColumn} IN (SELECT id FROM snapshots WHERE ${match})`;
    }
  }
}

/** ORDER BY with `id` appended (in the first key's direction) so that pages never overlap. */
function orderBy(keys: readonly SortKey[]): string {
  const order = keys.length > 0 ? keys : DEFAULT_ORDER;
  const terms = order.map((k) => `${column(k.column)} ${k.descending ? 'DESC' : 'ASC'}`);
  if (!order.some((k) => k.column === 'id')) terms.push(`"id" ${order[0]?.descending ? 'DESC' : 'ASC'}`);
  return terms.join(', ');
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
