/**
 * The workflow as a graph of tasks and transitions, derived from the spec the way Orquesta's
 * composer derives it: transitions out of a task are ordered by target name, several transitions
 * to the same target get keys 0, 1, …, and a transition's id is `<target>__t<key>`.
 */
import { isDirective, type RetrySpec, type WorkflowSpec } from './spec.ts';

export interface Transition {
  readonly from: string;
  readonly to: string;
  /** Index among the transitions from `from` to `to` (Orquesta's multigraph edge key). */
  readonly key: number;
  /** Index of the `next` entry this transition comes from. */
  readonly ref: number;
  readonly when: string | undefined;
  /** `<to>__t<key>`: how the source task's state records whether the transition was taken. */
  readonly id: string;
}

export function transitionId(to: string, key: number): string {
  return `${to}__t${key}`;
}

export function taskStateKey(taskId: string, route: number): string {
  return `${taskId}__r${route}`;
}

/** Outbound transitions of `taskId`, in the order Orquesta evaluates them (directives included). */
export function nextTransitions(spec: WorkflowSpec, taskId: string): Transition[] {
  const task = spec.tasks[taskId];
  if (!task) return [];
  const raw: { to: string; ref: number; when: string | undefined }[] = [];
  task.next.forEach((t, ref) => {
    for (const to of t.do) if (to !== 'retry') raw.push({ to, ref, when: t.when });
  });
  raw.sort((a, b) => (a.to < b.to ? -1 : a.to > b.to ? 1 : 0));
  const keys = new Map<string, number>();
  return raw.map((r) => {
    const key = keys.get(r.to) ?? 0;
    keys.set(r.to, key + 1);
    return { from: taskId, to: r.to, key, ref: r.ref, when: r.when, id: transitionId(r.to, key) };
  });
}

/** Inbound transitions of `taskId` from every task of the workflow. */
export function prevTransitions(spec: WorkflowSpec, taskId: string): Transition[] {
  const result: Transition[] = [];
  for (const name of Object.keys(spec.tasks).sort()) {
    for (const t of nextTransitions(spec, name)) if (t.to === taskId) result.push(t);
  }
  return result;
}

/** Tasks no transition leads to, by name. */
export function startTasks(spec: WorkflowSpec): string[] {
  return Object.keys(spec.tasks)
    .filter((name) => prevTransitions(spec, name).length === 0)
    .sort();
}

export function isJoinTask(spec: WorkflowSpec, taskId: string): boolean {
  return spec.tasks[taskId]?.join !== undefined;
}

/** A task referenced by several transitions that does not join them: each branch runs it anew. */
export function isSplitTask(spec: WorkflowSpec, taskId: string): boolean {
  return !isJoinTask(spec, taskId) && prevTransitions(spec, taskId).length > 1;
}

export function inCycle(spec: WorkflowSpec, taskId: string): boolean {
  const seen = new Set<string>();
  const queue = nextTransitions(spec, taskId).map((t) => t.to);
  while (queue.length > 0) {
    const name = queue.shift() as string;
    if (name === taskId) return true;
    if (seen.has(name)) continue;
    seen.add(name);
    queue.push(...nextTransitions(spec, name).map((t) => t.to));
  }
  return false;
}

/** How many inbound branches a join waits for (`all` → every distinct inbound task). */
export function joinRequirement(spec: WorkflowSpec, taskId: string): number {
  const join = spec.tasks[taskId]?.join;
  if (join === 'all') return new Set(prevTransitions(spec, taskId).map((t) => t.from)).size;
  return join ?? 1;
}

/** The task's retry policy: its `retry` block, or `do: retry` (three retries while the condition holds). */
export function retrySpec(spec: WorkflowSpec, taskId: string): RetrySpec | undefined {
  const task = spec.tasks[taskId];
  if (!task) return undefined;
  for (const t of task.next) {
    if (t.do.includes('retry')) return { when: t.when ?? '<% completed() %>', count: 3, delay: undefined };
  }
  return task.retry;
}

export function hasTask(spec: WorkflowSpec, name: string): boolean {
  return isDirective(name) || Object.hasOwn(spec.tasks, name);
}
