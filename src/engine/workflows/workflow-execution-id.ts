/**
 * The workflow execution id an orquesta execution gets when it is created (spec §9.1): a new one,
 * or for a re-run from tasks the original's, so the re-run continues that workflow (spec §9.3).
 */
import { newId } from '../../domain/ids.ts';
import type { Json, JsonObject } from '../../domain/types.ts';
import type { Store } from '../../store/store.ts';

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Undefined for a re-run whose original has none (the run then fails with StackStorm's message). */
export async function workflowExecutionIdFor(store: Store, context: JsonObject): Promise<string | undefined> {
  const reRun = context['re-run'];
  const tasks = isObject(reRun) ? reRun['tasks'] : undefined;
  if (isObject(reRun) && Array.isArray(tasks) && tasks.length > 0) {
    const ref = reRun['ref'];
    const original = typeof ref === 'string' ? await store.getExecution(ref) : undefined;
    const id = original?.context['workflow_execution'];
    return typeof id === 'string' ? id : undefined;
  }
  return newId();
}
