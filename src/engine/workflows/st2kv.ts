/**
 * Orquesta's `st2kv(key, decrypt => …, default => …)` for workflows. Expressions are evaluated
 * synchronously by the pure evaluator, so the datastore items a workflow can see (system items and
 * its user's) are read before each step — only for workflows whose definition names `st2kv`.
 */
import type { ExecutionRecord } from '../../domain/types.ts';
import { KeyValueScope, type KeyValueRecord } from '../../domain/key-value.ts';
import { PyError, splitKeywords, type ExpressionFunction } from '../../workflow/expressions/index.ts';
import type { Datastore } from '../datastore/datastore.ts';

/** Items read per scope; a datastore larger than this is read no further for one step. */
const MAX_ITEMS = 10_000;

const SYSTEM_PREFIX = 'system.';

export type WorkflowFunctions = Record<string, ExpressionFunction>;

/** Whose user-scope items a workflow reads: the user it runs as (StackStorm's `st2.user`). */
export function executionUser(execution: ExecutionRecord): string {
  const user = execution.context['user'];
  return typeof user === 'string' ? user : '';
}

/** The functions a step of a workflow run by `user` needs, given its saved state's text. */
export async function workflowFunctions(
  datastore: Datastore | undefined,
  stateText: string,
  user: string,
): Promise<WorkflowFunctions> {
  if (!datastore || !stateText.includes('st2kv')) return {};
  const read = async (scope: KeyValueScope): Promise<Map<string, KeyValueRecord>> => {
    const page = await datastore.list(
      { scope, ...(scope === KeyValueScope.user ? { user } : {}) },
      {
        limit: MAX_ITEMS,
        offset: 0,
      },
    );
    return new Map(page.items.map((item) => [item.name, item]));
  };
  const [system, own] = await Promise.all([read(KeyValueScope.system), read(KeyValueScope.user)]);
  return { st2kv: st2kvFunction(datastore, system, own) };
}

/**
 * As StackStorm's: `system.` names a system item, any other key one of the workflow user's items;
 * a missing key is an error unless a `default` is given; secrets stay encrypted unless `decrypt`.
 */
export function st2kvFunction(
  datastore: Datastore,
  system: ReadonlyMap<string, KeyValueRecord>,
  own: ReadonlyMap<string, KeyValueRecord>,
): ExpressionFunction {
  return (...args) => {
    const { positional, named } = splitKeywords(args);
    const key = positional[0];
    if (typeof key !== 'string') {
      throw new PyError('TypeError', `st2kv() expects the key as a string, not ${typeof key}`);
    }
    const decrypt = (positional[1] ?? named['decrypt']) === true;
    const isSystem = key.startsWith(SYSTEM_PREFIX);
    const name = isSystem ? key.slice(SYSTEM_PREFIX.length) : key;
    const item = (isSystem ? system : own).get(name);
    if (!item) {
      if ('default' in named) return named['default'];
      throw new PyError(
        'ExpressionEvaluationException',
        `The key "${name}" does not exist in the StackStorm datastore.`,
      );
    }
    return decrypt ? datastore.reveal(item) : item.value;
  };
}
