/**
 * What happens when a task completes: retry, the transitions evaluated in order (`when`, then
 * `publish`, then staging what `do` names), the `fail` / `noop` / `continue` directives, and the
 * workflow status that follows.
 */
import { evaluateIn, describeError, mergeContexts } from './evaluation.ts';
import { inCycle, isJoinTask, isSplitTask, nextTransitions, taskStateKey, type Transition } from './graph.ts';
import { hasActiveTasks, Inbound, inboundStatus } from './inbound.ts';
import { isDirective } from './spec.ts';
import type { StagedTask, TaskState } from './state.ts';
import { isAbended, isCompleted, type Status } from './statuses.ts';
import { failWorkflow, logError, type Step } from './step-context.ts';

/** Orquesta's record of a failed action execution. */
export function logFailure(step: Step, taskId: string, result: unknown): void {
  logError(step.state, {
    message: 'Execution failed. See result for details.',
    task_id: taskId,
    ...(result !== undefined && result !== null ? { result } : {}),
  });
}

/** Called once a task entry reaches a completed status (with its result already recorded). */
export function completeTask(step: Step, entry: TaskState): void {
  const { state } = step;
  step.completed = entry;
  const idx = state.tasks[taskStateKey(entry.id, entry.route)] ?? -1;
  const vars = mergeContexts(state, entry.ctxs.in);
  const current = { taskId: entry.id, route: entry.route, result: entry.result };

  // With items, each failed item was logged as it failed.
  if (entry.status === 'failed' && !entry.items) logFailure(step, entry.id, entry.result);

  if (shouldRetry(step, entry, vars, current)) {
    const retry = entry.retry as NonNullable<TaskState['retry']>;
    retry.tally += 1;
    entry.status = 'retrying';
    state.staged.push({
      id: entry.id,
      route: entry.route,
      ctxs: { in: [...entry.ctxs.in] },
      prev: { ...entry.prev },
      ready: true,
      retryDelay: retry.delay,
    });
    return;
  }

  const transitions = nextTransitions(state.spec, entry.id);
  if (transitions.length === 0) entry.term = true;
  const directives: StagedTask[] = [];
  const readyNext: StagedTask[] = [];
  let manualFail = false;
  for (const t of transitions) {
    const taken = evaluateTransition(step, entry, t, vars, current);
    if (!taken) continue;
    const staged = stageNext(step, entry, idx, t, taken.newContext);
    if (isDirective(t.to)) {
      directives.push(staged);
      manualFail ||= t.to === 'fail';
    } else if (staged.ready) {
      readyNext.push(staged);
    }
  }
  if (manualFail) for (const s of readyNext) s.runOnFail = true;

  applyTaskOutcome(step, entry);
  for (const directive of directives) runDirective(step, directive);
  if (isCompleted(state.status)) entry.term = true;
}

function shouldRetry(
  step: Step,
  entry: TaskState,
  vars: Record<string, unknown>,
  current: { taskId: string; route: number; result: unknown },
): boolean {
  const retry = entry.retry;
  const { state } = step;
  if (!retry || retry.tally >= retry.count) return false;
  if (!['running', 'resuming', 'pausing', 'canceling'].includes(state.status)) return false;
  if (state.status === 'canceling') return false;
  if (retry.when === undefined) return isAbended(entry.status);
  try {
    return Boolean(evaluateIn(state, retry.when, vars, current, step.functions));
  } catch (e) {
    logError(state, { message: describeError(e), task_id: entry.id, route: entry.route });
    failWorkflow(state);
    return false;
  }
}

function evaluateTransition(
  step: Step,
  entry: TaskState,
  t: Transition,
  vars: Record<string, unknown>,
  current: { taskId: string; route: number; result: unknown },
): { newContext: Record<string, unknown> } | undefined {
  const { state } = step;
  const transitionSpec = state.spec.tasks[entry.id]?.next[t.ref];
  try {
    entry.next[t.id] =
      t.when === undefined ? true : Boolean(evaluateIn(state, t.when, vars, current, step.functions));
  } catch (e) {
    logError(state, {
      message: describeError(e),
      task_id: entry.id,
      route: entry.route,
      task_transition_id: t.id,
    });
    failWorkflow(state);
    return undefined;
  }
  if (!entry.next[t.id]) return undefined;
  const rolling = { ...vars };
  const newContext: Record<string, unknown> = {};
  let failed = false;
  for (const p of transitionSpec?.publish ?? []) {
    try {
      const value = evaluateIn(state, p.value, rolling, current, step.functions);
      rolling[p.name] = value;
      newContext[p.name] = value;
    } catch (e) {
      logError(state, {
        message: describeError(e),
        task_id: entry.id,
        route: entry.route,
        task_transition_id: t.id,
      });
      failed = true;
    }
  }
  if (failed) {
    failWorkflow(state);
    return undefined;
  }
  return { newContext };
}

function stageNext(
  step: Step,
  entry: TaskState,
  entryIdx: number,
  t: Transition,
  newContext: Record<string, unknown>,
): StagedTask {
  const { state } = step;
  const outCtxs = [...entry.ctxs.in];
  if (Object.keys(newContext).length > 0) {
    state.contexts.push(newContext);
    const ctxIdx = state.contexts.length - 1;
    outCtxs.push(ctxIdx);
    entry.ctxs.out = { [t.id]: ctxIdx };
  }
  const route = nextRoute(step, t, entry.route);
  const backref = `${entry.id}__t${t.key}`;
  // A join that already ran on this route (join on a count) is not run again by late branches.
  const joined = state.tasks[taskStateKey(t.to, route)];
  if (joined !== undefined && isJoinTask(state.spec, t.to) && !inCycle(state.spec, t.to)) {
    const joinEntry = state.sequence[joined] as TaskState;
    (joinEntry.prev as Record<string, number>)[backref] = entryIdx;
    return { id: t.to, route, ctxs: { in: outCtxs }, prev: {}, ready: false };
  }
  let staged = state.staged.find((s) => s.id === t.to && s.route === route);
  if (staged) {
    // The root context is already in the staged task's contexts; adding it again would let it
    // overwrite what the other branch published.
    staged.ctxs.in.push(...outCtxs.filter((i) => i !== 0));
    staged.prev[backref] = entryIdx;
  } else {
    staged = { id: t.to, route, ctxs: { in: outCtxs }, prev: { [backref]: entryIdx }, ready: false };
    state.staged.push(staged);
  }
  staged.ready = inboundStatus(state, t.to, entry.route) === Inbound.satisfied;
  return staged;
}

/** A task reached from several branches runs once per branch, each on its own route. */
function nextRoute(step: Step, t: Transition, route: number): number {
  const { state } = step;
  if (!isSplitTask(state.spec, t.to) || inCycle(state.spec, t.to)) return route;
  const details = state.routes[route] ?? [];
  const via = `${t.from}__t${t.key}`;
  if (details.includes(via)) return route;
  state.routes.push([...details, via]);
  return state.routes.length - 1;
}

/** Whether the completed task leads anywhere (a failure with such a transition is remediated). */
function hasNext(step: Step, entry: TaskState): boolean {
  for (const t of nextTransitions(step.state.spec, entry.id)) {
    // A transition to a join counts even when the join still waits for other branches.
    if (t.to !== 'continue' && entry.next[t.id]) return true;
  }
  return false;
}

/** The workflow status after a task completed (Orquesta's workflow state machine, in short). */
function applyTaskOutcome(step: Step, entry: TaskState): void {
  const { state } = step;
  const status: Status = entry.status;
  if (isAbended(status) && !hasNext(step, entry)) {
    if (state.status === 'canceling') return;
    failWorkflow(state);
    return;
  }
  if (status === 'canceled' && ['running', 'resuming', 'pausing'].includes(state.status)) {
    state.status = hasActiveTasks(state) ? 'canceling' : 'canceled';
  }
}

/** `noop` and `continue` succeed, `fail` fails: each is recorded as a task of its own. */
function runDirective(step: Step, staged: StagedTask): void {
  const { state } = step;
  state.staged.splice(state.staged.indexOf(staged), 1);
  const entry: TaskState = {
    id: staged.id,
    route: staged.route,
    ctxs: { in: staged.ctxs.in },
    prev: staged.prev,
    next: {},
    status: staged.id === 'fail' ? 'failed' : 'succeeded',
    term: true,
  };
  state.sequence.push(entry);
  state.tasks[taskStateKey(entry.id, entry.route)] = state.sequence.length - 1;
  if (entry.status === 'failed') {
    logError(state, { message: 'Execution failed. See result for details.', task_id: entry.id });
    if (state.status !== 'canceling') failWorkflow(state);
  }
}
