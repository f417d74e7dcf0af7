/**
 * The Orquesta conductor as a pure step function: `step(state, event) → { state, commands }`.
 * The engine persists the returned state after every step, carries out the commands (run an
 * action, cancel or pause one, report the workflow's status or completion) and feeds back what
 * happens to the actions as events. No I/O, no clock: delays are seconds on `run_action`.
 */
import { completeTask, logFailure } from './complete-task.ts';
import { describeError, type ExtraFunctions } from './evaluation.ts';
import { evaluateIn } from './evaluation.ts';
import { startTasks, taskStateKey } from './graph.ts';
import { hasActiveTasks, latestTasks } from './inbound.ts';
import { finish } from './finish.ts';
import type {
  ActionEvent,
  PendingRequest,
  StepResult,
  TaskState,
  WorkflowEvent,
  WorkflowState,
} from './state.ts';
import type { WorkflowSpec } from './spec.ts';
import { isActive, isCompleted, isPaused, type Status } from './statuses.ts';
import { runReadyTasks } from './run-tasks.ts';
import { logError, type Step } from './step-context.ts';

export interface StartOptions {
  /** The workflow's input (the execution's parameters). */
  readonly input?: Record<string, unknown>;
  /** What `ctx()` sees besides input and vars, e.g. StackStorm's `{st2: {...}}`. */
  readonly context?: Record<string, unknown>;
}

export interface StepOptions {
  /** Functions the engine provides beyond Orquesta's own, e.g. `st2kv`. */
  readonly functions?: ExtraFunctions;
}

/** A new, not yet started workflow; `step(state, {type: 'requested'})` starts it. */
export function initialState(spec: WorkflowSpec, options: StartOptions = {}): WorkflowState {
  return {
    spec,
    status: 'null',
    input: structuredClone(options.input ?? {}),
    context: structuredClone(options.context ?? {}),
    contexts: [],
    routes: [],
    sequence: [],
    tasks: {},
    staged: [],
    errors: [],
    output: null,
    reported: false,
    reruns: [],
  };
}

/** Creates and starts a workflow in one go. */
export function startWorkflow(
  spec: WorkflowSpec,
  options: StartOptions = {},
  stepOptions: StepOptions = {},
): StepResult {
  return step(initialState(spec, options), { type: 'requested' }, stepOptions);
}

export function step(previous: WorkflowState, event: WorkflowEvent, options: StepOptions = {}): StepResult {
  const state = structuredClone(previous);
  const s: Step = { state, commands: [], functions: options.functions ?? {} };
  const before = state.status;
  switch (event.type) {
    case 'requested':
      if (state.status === 'null') request(s);
      break;
    case 'action_status':
      onActionStatus(s, event);
      break;
    case 'pause':
      pause(s);
      break;
    case 'resume':
      resume(s);
      break;
    case 'cancel':
      cancel(s);
      break;
  }
  runReadyTasks(s);
  // A resume finds the execution `resuming`: whatever the workflow settles to (running, or paused
  // again on a pending inquiry) is news to the engine even if it was paused before.
  const resumed = event.type === 'resume' && (before === 'paused' || before === 'pausing');
  finish(s, resumed ? 'resuming' : before);
  return { state, commands: s.commands };
}

/** Renders input then vars (each may read the ones before it) and stages the start tasks. */
function request(s: Step): void {
  const { state } = s;
  const ctx: Record<string, unknown> = { ...state.context };
  let failed = false;
  for (const input of state.spec.input) {
    const given = Object.hasOwn(state.input, input.name) ? state.input[input.name] : input.value;
    try {
      ctx[input.name] = evaluateIn(state, given, ctx, {}, s.functions);
    } catch (e) {
      logError(state, { message: describeError(e) });
      failed = true;
    }
  }
  for (const v of state.spec.vars) {
    try {
      ctx[v.name] = evaluateIn(state, v.value, ctx, {}, s.functions);
    } catch (e) {
      logError(state, { message: describeError(e) });
      failed = true;
    }
  }
  if (failed) {
    state.status = 'failed';
    return;
  }
  state.status = 'running';
  state.contexts.push(ctx);
  state.routes.push([]);
  for (const id of startTasks(state.spec)) {
    state.staged.push({ id, route: 0, ctxs: { in: [0] }, prev: {}, ready: true });
  }
}

function onActionStatus(s: Step, event: ActionEvent): void {
  const { state } = s;
  const idx = state.tasks[taskStateKey(event.taskId, event.route)];
  const entry = idx === undefined ? undefined : state.sequence[idx];
  // Unknown or already completed: a late or repeated report (e.g. replayed after a crash).
  if (!entry || isCompleted(entry.status) || entry.status === 'retrying') return;
  const previous = entry.status;
  if (entry.items) {
    const item = event.itemId === undefined ? undefined : entry.items[event.itemId];
    if (!item || isCompleted(item.status)) return;
    delete item.request;
    item.status = event.status;
    if (event.result !== undefined) item.result = event.result;
    if (event.status === 'failed') logFailure(s, entry.id, event.result);
    entry.status = itemsStatus(entry, state.status);
  } else {
    delete entry.request;
    entry.status = event.status;
    if (event.result !== undefined) entry.result = event.result;
  }
  if (isCompleted(entry.status) && entry.status !== previous) {
    if (entry.items) entry.result = entry.items.map((i) => i.result ?? null);
    completeTask(s, entry);
    return;
  }
  if (isPaused(previous) && isActive(entry.status)) resumedFromBelow(state);
  afterTaskProgress(s, entry);
}

/**
 * A paused task's action was resumed directly (a sub-workflow resumed on its own): the workflow it
 * paused runs again, as StackStorm's handle_action_execution_resume does. A workflow the user
 * is pausing stays pausing.
 */
function resumedFromBelow(state: WorkflowState): void {
  if (state.status === 'paused') state.status = 'running';
}

/** A with-items task's status from its items' (Orquesta waits for running items before failing). */
function itemsStatus(entry: TaskState, workflowStatus: Status): Status {
  const statuses = (entry.items ?? []).map((i) => i.status);
  if (statuses.some(isActive)) return 'running';
  if (statuses.some(isPaused)) return 'paused';
  if (statuses.includes('canceled')) return 'canceled';
  if (statuses.some((st) => st === 'failed' || st === 'timeout' || st === 'abandoned')) return 'failed';
  if (statuses.includes('null')) {
    if (workflowStatus === 'pausing' || workflowStatus === 'paused') return 'paused';
    if (workflowStatus === 'canceling' || workflowStatus === 'canceled') return 'canceled';
    return 'running';
  }
  return 'succeeded';
}

/** A task paused or waits on an inquiry: the workflow pauses once nothing else is active. */
function afterTaskProgress(s: Step, entry: TaskState): void {
  const { state } = s;
  if (!isPaused(entry.status)) return;
  if (state.status === 'running' || state.status === 'resuming' || state.status === 'pausing') {
    if (!hasActiveTasks(state)) state.status = 'paused';
    else if (entry.status === 'pending' || state.status === 'pausing') state.status = 'pausing';
  }
}

/**
 * The actions requested but not yet heard of. After a crash the engine re-issues those it has no
 * child execution for: the state was persisted with them, the commands may not have run.
 */
export function outstandingActions(state: WorkflowState): PendingRequest[] {
  const pending: PendingRequest[] = [];
  for (const { entry } of latestTasks(state)) {
    if (entry.request) pending.push(entry.request);
    for (const item of entry.items ?? []) if (item.request) pending.push(item.request);
  }
  return pending;
}

function activeRefs(state: WorkflowState): { taskId: string; route: number; itemId?: number }[] {
  const refs: { taskId: string; route: number; itemId?: number }[] = [];
  for (const { entry } of latestTasks(state)) {
    if (entry.items) {
      entry.items.forEach((item, itemId) => {
        if (isActive(item.status)) refs.push({ taskId: entry.id, route: entry.route, itemId });
      });
    } else if (isActive(entry.status)) {
      refs.push({ taskId: entry.id, route: entry.route });
    }
  }
  return refs;
}

function pause(s: Step): void {
  const { state } = s;
  if (!['running', 'resuming', 'pausing'].includes(state.status)) return;
  const refs = activeRefs(state);
  state.status = refs.length > 0 ? 'pausing' : 'paused';
  for (const ref of refs) s.commands.push({ type: 'pause_action', ...ref });
}

function resume(s: Step): void {
  const { state } = s;
  if (state.status !== 'paused' && state.status !== 'pausing') return;
  state.status = 'running';
  s.resumed = true;
  // Paused actions are resumed; a pending inquiry waits for its answer, not for a resume.
  for (const { entry } of latestTasks(state)) {
    if (entry.items) {
      entry.items.forEach((item, itemId) => {
        if (item.status !== 'paused') return;
        item.status = 'resuming';
        s.commands.push({ type: 'resume_action', taskId: entry.id, route: entry.route, itemId });
      });
      if (entry.status === 'paused') entry.status = 'running';
    } else if (entry.status === 'paused') {
      // Active again: the workflow does not settle back to paused before the action reports.
      entry.status = 'resuming';
      s.commands.push({ type: 'resume_action', taskId: entry.id, route: entry.route });
    }
  }
}

function cancel(s: Step): void {
  const { state } = s;
  if (!['running', 'resuming', 'pausing', 'paused', 'canceling'].includes(state.status)) return;
  const refs = activeRefs(state);
  state.status = refs.length > 0 ? 'canceling' : 'canceled';
  // Paused children (sub-workflows, inquiries) are canceled too; they no longer hold the workflow.
  for (const ref of [...refs, ...pausedRefs(state)]) s.commands.push({ type: 'cancel_action', ...ref });
}

function pausedRefs(state: WorkflowState): { taskId: string; route: number; itemId?: number }[] {
  const refs: { taskId: string; route: number; itemId?: number }[] = [];
  for (const { entry } of latestTasks(state)) {
    if (entry.items) {
      entry.items.forEach((item, itemId) => {
        if (isPaused(item.status)) refs.push({ taskId: entry.id, route: entry.route, itemId });
      });
    } else if (isPaused(entry.status)) {
      refs.push({ taskId: entry.id, route: entry.route });
    }
  }
  return refs;
}
