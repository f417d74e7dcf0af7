/**
 * Compiles a backend-neutral ExecutionQuery into PostgreSQL SQL. Values (JSON paths included) are
 * always bound parameters; the only identifiers spliced into the text are column names checked
 * against the closed sets in `../execution-query-columns.ts`, so a caller's bug cannot become an
 * injection.
 */
import { ValidationError } from '../../domain/errors.ts';
import type { Condition, ExecutionColumn, ExecutionQuery, SortKey } from '../../domain/execution-query.ts';
import { EXECUTION_COLUMNS } from '../execution-row.ts';
import {
  JSON_COLUMNS,
  quotedColumn,
  snapshotColumn,
  sortKeysWithTieBreak,
} from '../execution-query-columns.ts';

export interface CompiledListQuery {
  /** Rows: takes `params` followed by limit and offset. */
  sql: string;
  /** Total matches: takes `params`. */
  countSql: string;
  params: unknown[];
}

/** The bigint columns; every other filterable column is text. */
const BIGINT_COLUMNS: ReadonlySet<ExecutionColumn> = new Set(['start_ts', 'end_ts']);

/** Declared NOT NULL in the schema: their sort needs no NULLS clause (which would defeat the indexes). */
const NOT_NULL_COLUMNS: ReadonlySet<ExecutionColumn> = new Set([
  'id',
  'liveaction_id',
  'action_ref',
  'runner_name',
  'status',
  'start_ts',
]);

const OPERATORS = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/** Numbers the parameters as they are added. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * A whole number for a bigint column. SQLite would compare a non-numeric string with an integer
 * column by type rank; PostgreSQL refuses to bind it, so say why instead of failing obscurely.
 */
function integerValue(column: string, value: string | number): number {
  const n = typeof value === 'number' ? value : /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) throw new ValidationError(`"${column}" compares with whole numbers only`);
  return n;
}

/** Binds the condition's value(s) with the right type and returns `expr <op> …`. */
function predicate(expr: string, condition: Condition, bigint: string | undefined, params: Params): string {
  switch (condition.op) {
    case 'absent':
      return `${expr} IS NULL`;
    case 'in':
      // One parameter whatever the list length; an empty array matches nothing, as it should.
      if (bigint)
        return `${expr} = ANY (${params.add(condition.values.map((v) => integerValue(bigint, v)))}::bigint[])`;
      return `${expr} = ANY (${params.add(condition.values)}::text[])`;
    case 'eq':
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const op = OPERATORS[condition.op];
      if (bigint) return `${expr} ${op} ${params.add(integerValue(bigint, condition.value))}::bigint`;
      return `${expr} ${op} ${params.add(String(condition.value))}::text`;
    }
  }
}

/**
 * The value at a path as text: `#>>` gives strings unquoted, numbers as written, booleans
 * `true`/`false`, objects as JSON, and NULL when the path is missing or holds JSON null (`absent`).
 * It works on `json` directly, without a jsonb copy. The result carries the database's collation,
 * so it is made bytewise like every stored text column.
 */
function jsonText(document: string, path: readonly string[], params: Params): string {
  return `((${document} #>> ${params.add([...path])}::text[]) COLLATE "C")`;
}

function compileCondition(condition: Condition, params: Params): string {
  const field = condition.field;
  switch (field.kind) {
    case 'column': {
      const bigint = BIGINT_COLUMNS.has(field.column) ? field.column : undefined;
      return predicate(quotedColumn(field.column), condition, bigint, params);
    }
    case 'json':
      return predicate(
        jsonText(quotedColumn(field.column, JSON_COLUMNS), field.path, params),
        condition,
        undefined,
        params,
      );
    case 'snapshot': {
      // Snapshots are few (one per action version) and the executions referencing them many:
      // find the matching snapshot ids first, then the executions embedding one of them.
      const column = snapshotColumn(field.snapshot);
      const match = predicate(jsonText('doc', field.path, params), condition, undefined, params);
      return `${column} IN (SELECT id FROM snapshots WHERE ${match})`;
    }
  }
}

/**
 * ORDER BY with the id tie-break. PostgreSQL sorts NULLs last ascending and first descending, the
 * opposite of the contract (MongoDB's order), so nullable columns say where their NULLs go.
 */
function orderBy(keys: readonly SortKey[]): string {
  return sortKeysWithTieBreak(keys)
    .map((k) => {
      const direction = k.descending ? 'DESC' : 'ASC';
      const nulls = NOT_NULL_COLUMNS.has(k.column) ? '' : k.descending ? ' NULLS LAST' : ' NULLS FIRST';
      return `${quotedColumn(k.column)} ${direction}${nulls}`;
    })
    .join(', ');
}

export function compileListQuery(query: ExecutionQuery): CompiledListQuery {
  const params = new Params();
  const where = query.where.map((c) => compileCondition(c, params));
  const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
  const n = params.values.length;
  return {
    // LIMIT NULL is no limit.
    sql: `SELECT ${EXECUTION_COLUMNS} FROM executions${whereSql} ORDER BY ${orderBy(query.orderBy)} LIMIT $${n + 1} OFFSET $${n + 2}`,
    countSql: `SELECT count(*) FROM executions${whereSql}`,
    params: params.values,
  };
}
