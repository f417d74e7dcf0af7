/**
 * Compiles `GET /executions` query parameters into a backend-neutral `ExecutionQuery`, with
 * StackStorm's filter names, special values (`null`, `A..B` ranges), advanced `filter=`, sort keys
 * and limit rules (spec §2.1).
 */
import { ValidationError } from '../domain/errors.ts';
import type {
  Condition,
  ExecutionColumn,
  ExecutionQuery,
  FieldRef,
  SortKey,
} from '../domain/execution-query.ts';
import { isId } from '../domain/ids.ts';
import { parseTimestamp } from '../domain/time.ts';

/** Simple filter parameters and the column each one compares. */
export const FILTER_COLUMNS = {
  id: 'id',
  status: 'status',
  parent: 'parent_id',
  trigger_type: 'trigger_type_name',
  trigger: 'trigger_name',
  trigger_instance: 'trigger_instance_id',
  rule: 'rule_name',
  action: 'action_ref',
  runner: 'runner_name',
  user: 'user',
  liveaction: 'liveaction_id',
  timestamp: 'start_ts',
} as const satisfies Record<string, ExecutionColumn>;
export type FilterName = keyof typeof FILTER_COLUMNS;

const SORT_COLUMNS: Record<string, ExecutionColumn> = {
  ...FILTER_COLUMNS,
  start_timestamp: 'start_ts',
  end_timestamp: 'end_ts',
};

const TIMESTAMP_COLUMNS: ReadonlySet<ExecutionColumn> = new Set(['start_ts', 'end_ts']);

export interface ListParams {
  filters: Partial<Record<FilterName, string | string[]>>;
  filter?: string | undefined;
  sort?: string | undefined;
  sortAsc?: string | undefined;
  sortDesc?: string | undefined;
  timestampGt?: string | undefined;
  timestampLt?: string | undefined;
  limit: number | null;
  offset: number;
}

const BAD_DATETIME = 'Datetime value does not match expected format.';

function micros(text: string): number {
  const value = parseTimestamp(text.trim());
  if (value === undefined) throw new ValidationError(BAD_DATETIME);
  return value;
}

function column(c: ExecutionColumn): FieldRef {
  return { kind: 'column', column: c };
}

/**
 * The conditions for one filter value, applying StackStorm's conventions: `null` means "absent",
 * `A..B` is an inclusive datetime range (either order) that also leads the sort in its direction.
 */
function conditionsFor(field: FieldRef, value: string, sort: SortKey[]): Condition[] {
  if (value.toLowerCase() === 'null') return [{ field, op: 'absent' }];
  if (value.includes('..')) {
    const [a = '', b = ''] = value.split('..', 2);
    const from = micros(a);
    const to = micros(b);
    if (field.kind === 'column') {
      const existing = sort.findIndex((s) => s.column === field.column);
      if (existing >= 0) sort.splice(existing, 1);
      sort.unshift({ column: field.column, descending: from > to });
    }
    return [
      { field, op: 'gte', value: Math.min(from, to) },
      { field, op: 'lte', value: Math.max(from, to) },
    ];
  }
  if (field.kind === 'column' && TIMESTAMP_COLUMNS.has(field.column)) {
    return [{ field, op: 'eq', value: micros(value) }];
  }
  return [{ field, op: 'eq', value }];
}

const KNOWN_HEADS = new Set([
  'action',
  'runner',
  'liveaction',
  'context',
  'parameters',
  'rule',
  'trigger',
  'trigger_type',
  'trigger_instance',
  'result',
  'result_size',
  'children',
  'log',
  'delay',
  'web_url',
  'elapsed_seconds',
]);

/** Resolves an advanced-filter path (`context.user`, `action.pack`, …) to where it is stored. */
export function resolvePath(path: string): FieldRef {
  const [head = '', ...rest] = path.split('.');
  const simple: Record<string, ExecutionColumn> = {
    id: 'id',
    status: 'status',
    parent: 'parent_id',
    start_timestamp: 'start_ts',
    end_timestamp: 'end_ts',
    workflow_execution: 'workflow_execution',
    task_execution: 'task_execution',
  };
  const direct = simple[head];
  if (direct && rest.length === 0) return column(direct);
  switch (head) {
    case 'action':
      if (rest.length === 1 && rest[0] === 'ref') return column('action_ref');
      if (rest.length > 0) return { kind: 'snapshot', snapshot: 'action', path: rest };
      break;
    case 'runner':
      if (rest.length === 1 && rest[0] === 'name') return column('runner_name');
      if (rest.length > 0) return { kind: 'snapshot', snapshot: 'runner', path: rest };
      break;
    case 'liveaction':
      if (rest.length === 1 && rest[0] === 'id') return column('liveaction_id');
      if (rest.length === 1 && rest[0] === 'action') return column('action_ref');
      if (rest.length > 0) return { kind: 'json', column: 'liveaction', path: rest };
      break;
    case 'context':
      if (rest.length === 1 && rest[0] === 'user') return column('user');
      if (rest.length > 0) return { kind: 'json', column: 'context', path: rest };
      break;
    case 'parameters':
      if (rest.length > 0) return { kind: 'json', column: 'parameters', path: rest };
      break;
    case 'rule':
    case 'trigger':
    case 'trigger_type':
    case 'trigger_instance':
      if (rest.length > 0) return { kind: 'json', column: 'trigger_refs', path: [head, ...rest] };
      break;
  }
  if (direct || KNOWN_HEADS.has(head)) throw new ValidationError(`Filtering on "${path}" is not supported.`);
  throw new ValidationError(`Cannot resolve field "${head}"`);
}

export function compileListQuery(params: ListParams): ExecutionQuery {
  const sort: SortKey[] = [];
  const where: Condition[] = [];
  const byField = new Map<string, Condition[]>();
  const add = (key: string, field: FieldRef, value: string): void => {
    byField.set(key, conditionsFor(field, value, sort));
  };

  for (const [name, raw] of Object.entries(params.filters) as [FilterName, string | string[] | undefined][]) {
    if (raw === undefined || raw === '' || (Array.isArray(raw) && raw.every((v) => v === ''))) continue;
    const col = FILTER_COLUMNS[name];
    if (Array.isArray(raw)) {
      const values = raw.filter((v) => v !== '');
      for (const v of values) {
        if (!isId(v)) {
          throw new ValidationError(
            `'${v}' is not a valid ObjectId, it must be a 12-byte input or a 24-character hex string`,
          );
        }
      }
      byField.set(col, [{ field: column(col), op: 'in', values }]);
    } else {
      add(col, column(col), raw);
    }
  }
  if (params.filter) {
    // Advanced filter: space-separated `path:value` tokens, ANDed with the others; same field wins.
    for (const token of params.filter.split(' ').filter((t) => t !== '')) {
      const colon = token.indexOf(':');
      if (colon < 0) throw new ValidationError(`invalid format for filter "${token}"`);
      const field = resolvePath(token.slice(0, colon));
      const key = field.kind === 'column' ? field.column : `${field.kind}:${JSON.stringify(field)}`;
      add(key, field, token.slice(colon + 1));
    }
  }
  for (const conditions of byField.values()) where.push(...conditions);
  if (params.timestampGt)
    where.push({ field: column('start_ts'), op: 'gt', value: micros(params.timestampGt) });
  if (params.timestampLt)
    where.push({ field: column('start_ts'), op: 'lt', value: micros(params.timestampLt) });

  const explicit: SortKey[] = [];
  for (const key of (params.sort ?? '').split(',')) {
    const trimmed = key.trim();
    const descending = trimmed.startsWith('-');
    const name = trimmed.replace(/^[-+]/, '');
    const col = SORT_COLUMNS[name];
    if (col) explicit.push({ column: col, descending });
  }
  let orderBy: SortKey[];
  if (explicit.length > 0) orderBy = explicit;
  else if (sort.length > 0) orderBy = [...sort, { column: 'action_ref', descending: false }];
  else {
    const ascending =
      !(params.timestampLt || params.sortDesc) && Boolean(params.timestampGt || params.sortAsc);
    orderBy = [
      { column: 'start_ts', descending: !ascending },
      { column: 'action_ref', descending: false },
    ];
  }
  // A final tie-break keeps pages stable when timestamps collide.
  if (!orderBy.some((k) => k.column === 'id'))
    orderBy.push({ column: 'id', descending: orderBy[0]?.descending ?? true });
  return { where, orderBy, limit: params.limit, offset: params.offset, countTotal: true };
}
