/**
 * Turning staged tasks into `run_action` commands: the task's delay, items and concurrency are
 * evaluated, its action and input rendered (once per item), and action-less tasks (and with-items
 * tasks without items) complete on the spot as StackStorm fast-forwards them.
 */
import { completeTask } from './complete-task.ts';
import { evaluateIn, describeError, mergeContexts, type Current } from './evaluation.ts';
import { retrySpec, taskStateKey } from './graph.ts';
import type { StagedTask, TaskState } from './state.ts';
import { isAbended, isActive } from './statuses.ts';
import { failWorkflow, logError, type Step } from './step-context.ts';
import type { TaskSpec } from './spec.ts';

/** Runs whatever can run now; loops because action-less tasks complete and stage more tasks. */
export function runReadyTasks(step: Step): void {
  const { state } = step;
  for (;;) {
    const running = state.status === 'running' || state.status === 'resuming';
    const ready = state.staged
      .filter((s) => s.ready && (running || (state.status === 'failed' && s.runOnFail === true)))
      .sort((a, b) => (a.id === b.id ? a.route - b.route : a.id < b.id ? -1 : 1));
    if (ready.length === 0) break;
    let renderFailed = false;
    for (const staged of ready) {
      state.staged.splice(state.staged.indexOf(staged), 1);
      try {
        startTask(step, staged);
      } catch (e) {
        renderFailed = true;
        logError(state, { message: describeError(e), task_id: staged.id, route: staged.route });
      }
    }
    if (renderFailed) failWorkflow(state);
  }
  for (const idx of Object.values(state.tasks)) {
    const entry = state.sequence[idx];
    if (entry?.items && entry.status === 'running') runItems(step, entry);
  }
}

function startTask(step: Step, staged: StagedTask): void {
  const { state } = step;
  const spec = state.spec.tasks[staged.id] as TaskSpec;
  const vars = mergeContexts(state, staged.ctxs.in);
  const current: Current = { taskId: staged.id, route: staged.route };
  const evaluate = (value: unknown, cur: Current = current): unknown =>
    evaluateIn(state, value, vars, cur, step.functions);

  let delay: number | undefined;
  if (spec.delay !== undefined) {
    const value = typeof spec.delay === 'string' ? evaluate(spec.delay) : spec.delay;
    if (!Number.isInteger(value)) throw new TypeError('The value of task delay is not type of integer.');
    delay = value as number;
  }
  if (staged.retryDelay !== undefined) delay = staged.retryDelay;

  let itemValues: unknown[] | undefined;
  let concurrency: number | undefined;
  if (spec.with) {
    const items = evaluate(spec.with.items);
    if (!Array.isArray(items)) throw new TypeError(`The value of "${spec.with.items}" is not type of list.`);
    const keys = spec.with.keys;
    itemValues = items.map((item: unknown) =>
      keys.length > 0 && Array.isArray(item)
        ? Object.fromEntries(keys.map((k, i) => [k, item[i] ?? null]))
        : keys.length === 1
          ? { [keys[0] as string]: item }
          : item,
    );
    const c = spec.with.concurrency === undefined ? undefined : evaluate(spec.with.concurrency);
    if (typeof c === 'number') concurrency = Math.max(1, Math.trunc(c));
  }

  const entry = taskEntryFor(step, staged);
  if (delay !== undefined) entry.delay = delay;

  if (itemValues) {
    entry.itemValues = itemValues;
    entry.items = itemValues.map(() => ({ status: 'null' }));
    if (concurrency !== undefined) entry.concurrency = concurrency;
    entry.status = 'running';
    if (itemValues.length === 0) {
      entry.status = 'succeeded';
      entry.result = [];
      completeTask(step, entry);
    }
    return;
  }
  if (spec.action === undefined) {
    entry.status = 'succeeded';
    entry.result = null;
    completeTask(step, entry);
    return;
  }
  const action = String(evaluate(spec.action));
  const input = (evaluate(spec.input ?? {}) ?? {}) as Record<string, unknown>;
  entry.status = 'requested';
  entry.request = {
    type: 'run_action',
    taskId: entry.id,
    taskName: entry.id,
    route: entry.route,
    action,
    input,
    ...(delay ? { delay } : {}),
  };
  step.commands.push(entry.request);
}

/** The task's entry for this run: the retrying one again, else a new one (loops and re-runs). */
function taskEntryFor(step: Step, staged: StagedTask): TaskState {
  const { state } = step;
  const key = taskStateKey(staged.id, staged.route);
  const existing = state.tasks[key] === undefined ? undefined : state.sequence[state.tasks[key]];
  if (existing && existing.status === 'retrying') return existing;
  const entry: TaskState = {
    id: staged.id,
    route: staged.route,
    ctxs: { in: [...staged.ctxs.in] },
    prev: { ...staged.prev },
    next: {},
    status: 'null',
  };
  const retry = retrySpec(state.spec, staged.id);
  if (retry) {
    const vars = mergeContexts(state, staged.ctxs.in);
    const evaluate = (v: string | number | undefined): unknown =>
      typeof v === 'string'
        ? evaluateIn(state, v, vars, { taskId: staged.id, route: staged.route }, step.functions)
        : v;
    const count = evaluate(retry.count);
    if (!Number.isInteger(count))
      throw new Error(`The retry count for task "${staged.id}" is not an integer.`);
    const delay = evaluate(retry.delay) ?? 0;
    if (!Number.isInteger(delay))
      throw new Error(`The retry delay for task "${staged.id}" is not an integer.`);
    entry.retry = { when: retry.when, count: count as number, delay: delay as number, tally: 0 };
  }
  state.sequence.push(entry);
  state.tasks[key] = state.sequence.length - 1;
  return entry;
}

/** Requests the next items of a with-items task, up to its concurrency. */
function runItems(step: Step, entry: TaskState): void {
  const { state } = step;
  const items = entry.items ?? [];
  const running = state.status === 'running' || state.status === 'resuming';
  if (!running) return;
  // Once an item failed no new item starts; the task fails when the running ones finish.
  if (items.some((i) => isAbended(i.status) || i.status === 'canceled')) return;
  let available = (entry.concurrency ?? Infinity) - items.filter((i) => isActive(i.status)).length;
  const spec = state.spec.tasks[entry.id] as TaskSpec;
  const vars = mergeContexts(state, entry.ctxs.in);
  for (let itemId = 0; itemId < items.length && available > 0; itemId++) {
    const item = items[itemId];
    if (!item || item.status !== 'null') continue;
    const current: Current = {
      taskId: entry.id,
      route: entry.route,
      hasItem: true,
      item: entry.itemValues?.[itemId],
    };
    let action: string;
    let input: Record<string, unknown>;
    try {
      action = String(evaluateIn(state, spec.action, vars, current, step.functions));
      input = (evaluateIn(state, spec.input ?? {}, vars, current, step.functions) ?? {}) as Record<
        string,
        unknown
      >;
    } catch (e) {
      logError(state, { message: describeError(e), task_id: entry.id, route: entry.route });
      failWorkflow(state);
      return;
    }
    item.status = 'requested';
    available -= 1;
    const delay =
      entry.delay && (entry.concurrency === undefined || itemId < entry.concurrency)
        ? entry.delay
        : undefined;
    item.request = {
      type: 'run_action',
      taskId: entry.id,
      taskName: entry.id,
      route: entry.route,
      itemId,
      action,
      input,
      ...(delay ? { delay } : {}),
    };
    step.commands.push(item.request);
  }
}
