/**
 * What a workflow is told, as it arrives (a child's new status, a child that could not be created,
 * a control request), and its translation into evaluator events when the workflow steps.
 */
import { isCompleted } from '../../domain/status.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import type { Store, WorkflowRecord } from '../../store/store.ts';
import type { WorkflowDoc, WorkflowEvent } from './types.ts';
import { driverFor } from './drivers.ts';

/** What a workflow is told: a child's new status (its result read when stepped), or a control request. */
export type Inbound =
  | { readonly type: 'child'; readonly child: ExecutionRecord }
  | { readonly type: 'child_failed'; readonly ref: string; readonly error: string }
  | { readonly type: 'pause' | 'resume' | 'cancel' };

export interface Loaded {
  record: WorkflowRecord;
  doc: WorkflowDoc;
}

/** Turns what arrived into evaluator events, dropping children already consumed. */
export async function toEvents(
  store: Store,
  loaded: Loaded,
  inbound: readonly Inbound[],
): Promise<WorkflowEvent[]> {
  const { doc } = loaded;
  const driver = driverFor(doc.kind);
  const childIds = inbound.flatMap((e) => (e.type === 'child' ? [e.child.id] : []));
  const results = childIds.length > 0 ? await store.getResults(childIds) : new Map<string, string>();
  const events: WorkflowEvent[] = [];
  for (const e of inbound) {
    if (e.type === 'child_failed') {
      delete doc.pending[e.ref];
      events.push({
        type: 'child',
        ref: e.ref,
        child: undefined,
        status: 'failed',
        result: { error: e.error },
      });
      continue;
    }
    if (e.type !== 'child') {
      events.push(e);
      continue;
    }
    const { child } = e;
    // A child of an execution this workflow no longer runs for (before a re-run) is not its task.
    if (child.parentId !== loaded.record.executionId || doc.applied.includes(child.id)) continue;
    const ref = driver.refOf(child);
    if (ref === undefined) continue;
    if (isCompleted(child.status)) doc.applied.push(child.id);
    delete doc.pending[ref];
    const text = results.get(child.id);
    const result = text ? (JSON.parse(text) as JsonObject) : {};
    events.push({ type: 'child', ref, child, status: child.status, result });
  }
  return events;
}
