/**
 * Whether a task's inbound transitions are satisfied: any one for a plain task, all (or `count`)
 * distinct inbound tasks for a join. Read on the route of the task that just completed.
 */
import { joinRequirement, prevTransitions, taskStateKey } from './graph.ts';
import type { WorkflowState } from './state.ts';
import { isActive } from './statuses.ts';

export const Inbound = { satisfied: 'satisfied', waiting: 'waiting', unsatisfied: 'unsatisfied' } as const;
export type Inbound = (typeof Inbound)[keyof typeof Inbound];

export function inboundStatus(state: WorkflowState, taskId: string, route: number): Inbound {
  const inbound = prevTransitions(state.spec, taskId);
  const evaluation = new Map<string, boolean | null>(inbound.map((t) => [t.from, null]));
  for (const t of inbound) {
    const idx = state.tasks[taskStateKey(t.from, route)];
    const entry = idx === undefined ? undefined : state.sequence[idx];
    if (!entry) continue;
    const satisfied = entry.next[t.id] === true;
    if (!evaluation.get(t.from)) evaluation.set(t.from, satisfied);
  }
  const met = [...evaluation.values()].filter((v) => v === true).length;
  if (met >= joinRequirement(state.spec, taskId)) return Inbound.satisfied;
  if ([...evaluation.values()].includes(null) && (hasActiveTasks(state) || hasReadyTasks(state))) {
    return Inbound.waiting;
  }
  return Inbound.unsatisfied;
}

/** Latest entries of every task and route (earlier runs of a loop or re-run are history). */
export function latestTasks(
  state: WorkflowState,
): { idx: number; entry: WorkflowState['sequence'][number] }[] {
  return Object.values(state.tasks)
    .sort((a, b) => a - b)
    .flatMap((idx) => {
      const entry = state.sequence[idx];
      return entry ? [{ idx, entry }] : [];
    });
}

export function hasActiveTasks(state: WorkflowState): boolean {
  return latestTasks(state).some(
    ({ entry }) => isActive(entry.status) || (entry.items ?? []).some((i) => isActive(i.status)),
  );
}

export function hasReadyTasks(state: WorkflowState): boolean {
  return state.staged.some((s) => s.ready);
}
