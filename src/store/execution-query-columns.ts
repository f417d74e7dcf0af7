/**
 * The backend-neutral half of compiling an ExecutionQuery: which names may be spliced into SQL and
 * the order a list comes out in. Values are always bound; the only identifiers a backend splices
 * into its SQL text come through `quotedColumn`, checked against the closed sets here, so a
 * caller's bug cannot become an injection.
 */
import { ValidationError } from '../domain/errors.ts';
import { ExecutionColumn, type ExecutionJsonColumn, type SortKey } from '../domain/execution-query.ts';

export const EXECUTION_QUERY_COLUMNS: ReadonlySet<string> = new Set(Object.values(ExecutionColumn));

export const JSON_COLUMNS: ReadonlySet<string> = new Set<ExecutionJsonColumn>([
  'context',
  'parameters',
  'liveaction',
  'trigger_refs',
]);

/** The execution column holding the id of each kind of embedded snapshot. */
export const SNAPSHOT_COLUMNS = { action: 'action_snapshot', runner: 'runner_snapshot' } as const;

/** StackStorm's default: newest first, then by action ref. */
export const DEFAULT_ORDER: readonly SortKey[] = [
  { column: 'start_ts', descending: true },
  { column: 'action_ref', descending: false },
];

/** The column name quoted for SQL, once it is known to be one of `allowed`. */
export function quotedColumn(name: string, allowed: ReadonlySet<string> = EXECUTION_QUERY_COLUMNS): string {
  if (!allowed.has(name)) throw new ValidationError(`Unknown execution column "${name}"`);
  return `"${name}"`;
}

/** The snapshot column for a snapshot kind, whatever the caller's types said. */
export function snapshotColumn(kind: string): string {
  const name = (SNAPSHOT_COLUMNS as Record<string, string>)[kind];
  if (!name) throw new ValidationError(`Unknown snapshot "${kind}"`);
  return name;
}

/**
 * The sort keys to apply: `keys`, or the default when empty, with `id` appended (in the first key's
 * direction) so that pages never overlap.
 */
export function sortKeysWithTieBreak(keys: readonly SortKey[]): SortKey[] {
  const order = keys.length > 0 ? [...keys] : [...DEFAULT_ORDER];
  if (!order.some((k) => k.column === 'id'))
    order.push({ column: 'id', descending: order[0]?.descending ?? false });
  return order;
}
