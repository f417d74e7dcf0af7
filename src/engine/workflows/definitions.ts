/**
 * Reading a workflow's definition (the action's entry point inside its pack) and what the
 * inspection's content checks need to know about the actions a workflow names.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecutionRecord } from '../../domain/types.ts';
import type { Store } from '../../store/store.ts';
import { loadWorkflowSpec, type ActionParameters } from '../../workflow/orquesta/index.ts';
import type { RunnerTypeRegistry } from '../runner-types.ts';
import { WorkflowStartError } from './orquesta-driver.ts';

/** The text of the workflow definition an execution runs. */
export async function readDefinition(store: Store, execution: ExecutionRecord): Promise<string> {
  const stored = await store.getAction(execution.actionRef);
  if (!stored) throw new WorkflowStartError(`Action "${execution.actionRef}" cannot be found.`);
  const { action } = stored;
  const pack = await store.getPack(action.pack);
  if (!pack)
    throw new WorkflowStartError(`Pack "${action.pack}" of action "${action.ref}" is not registered.`);
  const path = join(pack.path, 'actions', action.entry_point);
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw new WorkflowStartError(
      `Unable to read the workflow definition "${path}": ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** The parameters of each registered action a definition names, for `inspectWorkflow`. */
export async function actionParameters(
  store: Store,
  runnerTypes: RunnerTypeRegistry,
  refs: Iterable<string>,
): Promise<Map<string, ActionParameters>> {
  const found = new Map<string, ActionParameters>();
  for (const ref of new Set(refs)) {
    const stored = ref.includes('.') ? await store.getAction(ref) : undefined;
    if (!stored) continue;
    const runner = runnerTypes.byName(stored.action.runner_type)?.runnerType;
    found.set(ref, { ...(runner?.runner_parameters ?? {}), ...stored.action.parameters } as ActionParameters);
  }
  return found;
}

/** The action refs an Orquesta definition names ([] when it does not even parse). */
export function actionRefsOf(definition: string): string[] {
  try {
    const spec = loadWorkflowSpec(definition);
    return Object.values(spec.tasks).flatMap((t) => (t.action ? [t.action] : []));
  } catch {
    return [];
  }
}
