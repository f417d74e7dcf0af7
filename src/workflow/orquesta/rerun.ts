/**
 * Re-running a completed workflow from some of its tasks (StackStorm's `re_run` with `tasks` and
 * `reset`, spec §9.3): the named tasks run again on every route they ran on, with-items tasks
 * re-run their failed items (all items when reset), and what succeeded before stays done.
 */
import type { StepOptions } from './conductor.ts';
import { finish } from './finish.ts';
import { taskStateKey } from './graph.ts';
import { runReadyTasks } from './run-tasks.ts';
import type { StepResult, TaskState, WorkflowState } from './state.ts';
import { isAbended, isCompleted } from './statuses.ts';
import type { Step } from './step-context.ts';

export interface RerunOptions {
  /** Task names to re-run; none: every terminal task that failed. */
  readonly tasks?: readonly string[];
  /** With-items tasks among `tasks` whose items all run again (otherwise only the failed ones). */
  readonly reset?: readonly string[];
}

export const RerunErrorCode = { notCompleted: 'not_completed', tasksNotFound: 'tasks_not_found' } as const;
export type RerunErrorCode = (typeof RerunErrorCode)[keyof typeof RerunErrorCode];

/** Why a re-run was refused; the engine words `notCompleted` with the workflow execution's id. */
export class WorkflowRerunError extends Error {
  constructor(
    readonly code: RerunErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WorkflowRerunError';
  }
}

export function rerun(
  previous: WorkflowState,
  options: RerunOptions = {},
  stepOptions: StepOptions = {},
): StepResult {
  if (!isCompleted(previous.status)) {
    throw new WorkflowRerunError(
      RerunErrorCode.notCompleted,
      'The workflow execution is not in a completed state.',
    );
  }
  const state = structuredClone(previous);
  const s: Step = { state, commands: [], functions: stepOptions.functions ?? {} };
  const requested = options.tasks ?? [];
  const missing = requested.filter((name) => entriesOf(state, name).length === 0);
  if (missing.length > 0) {
    throw new WorkflowRerunError(
      RerunErrorCode.tasksNotFound,
      `Unable to rerun workflow because one or more tasks is not found: ${missing.join(', ')}`,
    );
  }
  const candidates =
    requested.length > 0
      ? collapse(
          state,
          requested.flatMap((name) => entriesOf(state, name)),
        )
      : state.sequence.flatMap((entry, idx) =>
          entry.term && isAbended(entry.status) ? [{ idx, entry }] : [],
        );
  state.reruns.push(candidates.map((c) => c.idx));
  const reset = new Set(options.reset ?? []);
  for (const { idx, entry } of [...candidates].sort((a, b) => byTask(a.entry, b.entry))) {
    rerunTask(state, idx, entry, reset.has(entry.id));
  }
  // Branches that had somewhere to go continue too.
  for (const entry of state.sequence) {
    if (entry.term && Object.values(entry.next).some(Boolean)) delete entry.term;
  }
  state.output = null;
  state.reported = false;
  state.status = 'running';
  runReadyTasks(s);
  finish(s, 'resuming');
  return { state, commands: s.commands };
}

function byTask(a: TaskState, b: TaskState): number {
  return a.id === b.id ? a.route - b.route : a.id < b.id ? -1 : 1;
}

/** The latest entry of the task on each route it ran on. */
function entriesOf(state: WorkflowState, name: string): { idx: number; entry: TaskState }[] {
  return Object.entries(state.tasks).flatMap(([key, idx]) => {
    const entry = state.sequence[idx];
    return entry && entry.id === name && key === taskStateKey(name, entry.route) ? [{ idx, entry }] : [];
  });
}

/** Entries that ran after (were reached from) the entry at `idx`. */
function downstream(state: WorkflowState, idx: number): Set<number> {
  const result = new Set<number>([idx]);
  const queue = [idx];
  while (queue.length > 0) {
    const from = queue.shift() as number;
    state.sequence.forEach((t, i) => {
      if (!result.has(i) && Object.values(t.prev).includes(from)) {
        result.add(i);
        queue.push(i);
      }
    });
  }
  return result;
}

/** Drops requested tasks that a requested task upstream of them will reach again anyway. */
function collapse(
  state: WorkflowState,
  requests: { idx: number; entry: TaskState }[],
): { idx: number; entry: TaskState }[] {
  return requests.filter(
    (r) => !requests.some((other) => other.idx !== r.idx && downstream(state, other.idx).has(r.idx)),
  );
}

function rerunTask(state: WorkflowState, idx: number, entry: TaskState, resetItems: boolean): void {
  delete entry.term;
  state.errors = state.errors.filter((e) => e.task_id !== entry.id);
  if (entry.items) {
    for (const item of entry.items) {
      if (resetItems || isAbended(item.status)) {
        item.status = 'null';
        delete item.result;
      }
    }
    entry.status = 'running';
    entry.next = {};
    delete entry.result;
  } else {
    state.staged.push({
      id: entry.id,
      route: entry.route,
      ctxs: { in: [...entry.ctxs.in] },
      prev: { ...entry.prev },
      ready: true,
    });
  }
  for (const i of downstream(state, idx)) delete state.sequence[i]?.term;
}
