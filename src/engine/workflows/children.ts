/**
 * A workflow's children: creating one per task (or item) through the normal creation path, with
 * StackStorm's `parent` context, and cascading pause, resume and cancel to them as spec §9.2 says:
 * only workflow children pause and resume; cancel reaches workflow children and children that
 * have not started yet, while running actions are left to finish.
 */
import { isCancelable, isCompleted, WORKFLOW_RUNNERS } from '../../domain/status.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import type { Store } from '../../store/store.ts';
import type { ExecutionControl } from '../executions/control.ts';
import type { ExecutionCreator } from '../executions/create-execution.ts';
import type { RunCommand, WorkflowDriver } from './types.ts';

const NOT_STARTED = new Set(['requested', 'scheduled', 'delayed']);

/** StackStorm's `parent` context of a task execution. */
function parentContext(parent: ExecutionRecord): JsonObject {
  if (parent.runnerName === 'action-chain') {
    return { execution_id: parent.id, ...parent.context };
  }
  const ctx: JsonObject = { execution_id: parent.id };
  for (const key of ['user', 'pack', 'api_user', 'source_channel']) {
    const value = parent.context[key];
    if (value !== undefined) ctx[key] = value;
  }
  return ctx;
}

export async function createChild(
  creator: ExecutionCreator,
  parent: ExecutionRecord,
  command: RunCommand,
  workflowExecution: string | undefined,
): Promise<ExecutionRecord> {
  return creator.create(
    {
      action: command.action,
      parameters: command.parameters,
      context: { parent: parentContext(parent), ...command.context },
      ...(command.delayMs > 0 ? { delay: command.delayMs } : {}),
      ...(workflowExecution ? { workflowExecution } : {}),
      ...(command.taskExecution ? { taskExecution: command.taskExecution } : {}),
    },
    { requester: parent.user ?? 'stanley' },
  );
}

/** The children of `executionId`, in creation order. */
export async function childrenOf(store: Store, executionId: string): Promise<ExecutionRecord[]> {
  const ids = (await store.childrenOf([executionId])).get(executionId) ?? [];
  const records: ExecutionRecord[] = [];
  for (const id of ids) {
    const record = await store.getExecution(id);
    if (record) records.push(record);
  }
  return records;
}

export type CascadeVerb = 'pause' | 'resume' | 'cancel';

/** Applies pause, resume or cancel requests to the children of the tasks named by `refs`. */
export async function cascade(
  deps: { store: Store; control: ExecutionControl; driver: WorkflowDriver },
  parent: ExecutionRecord,
  requests: readonly { verb: CascadeVerb; ref: string }[],
): Promise<void> {
  if (requests.length === 0) return;
  const byRef = new Map<string, ExecutionRecord[]>();
  for (const child of await childrenOf(deps.store, parent.id)) {
    if (isCompleted(child.status)) continue;
    const ref = deps.driver.refOf(child);
    if (ref === undefined) continue;
    byRef.set(ref, [...(byRef.get(ref) ?? []), child]);
  }
  const requester = parent.user ?? 'stanley';
  for (const { verb, ref } of requests) {
    for (const child of byRef.get(ref) ?? []) {
      const current = (await deps.store.getExecution(child.id)) ?? child;
      const isWorkflow = WORKFLOW_RUNNERS.has(current.runnerName);
      if (verb === 'pause' && isWorkflow && current.status === 'running') {
        await deps.control.update(current, 'pausing', undefined, requester);
      } else if (verb === 'resume' && isWorkflow && current.status === 'paused') {
        await deps.control.update(current, 'resuming', undefined, requester);
      } else if (
        verb === 'cancel' &&
        isCancelable(current.status) &&
        (isWorkflow || NOT_STARTED.has(current.status))
      ) {
        await deps.control.cancel(current, requester);
      }
    }
  }
}
