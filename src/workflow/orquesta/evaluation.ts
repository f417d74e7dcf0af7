/**
 * Evaluating expressions against a workflow's state: the context a task sees (its input contexts
 * merged in order), the Orquesta functions bound to the task being evaluated, and errors turned
 * into the `<Exception>: <message>` text Orquesta logs.
 */
import {
  evaluate,
  ExpressionError,
  PyError,
  splitKeywords,
  type ExpressionContext,
  type ExpressionFunction,
} from '../expressions/index.ts';
import { taskStateKey } from './graph.ts';
import type { TaskState, WorkflowState } from './state.ts';
import { isCompleted, Status } from './statuses.ts';

/** What an expression is evaluated for: the current task (for `result()`, `succeeded()` …). */
export interface Current {
  readonly taskId?: string;
  readonly route?: number;
  readonly result?: unknown;
  readonly hasItem?: boolean;
  readonly item?: unknown;
}

/** Functions the engine adds (e.g. `st2kv`); they must be deterministic for a given state. */
export type ExtraFunctions = Readonly<Record<string, ExpressionFunction>>;

/** An evaluation failure, with the text Orquesta records in the workflow's errors. */
export class EvaluationFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EvaluationFailure';
  }
}

/** The merged context of `ctxIdxs` (later ones win), as Orquesta builds a task's context. */
export function mergeContexts(state: WorkflowState, ctxIdxs: readonly number[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const idx of ctxIdxs) Object.assign(merged, state.contexts[idx] ?? {});
  return merged;
}

export function evaluateIn(
  state: WorkflowState,
  value: unknown,
  vars: Record<string, unknown>,
  current: Current,
  extra: ExtraFunctions = {},
): unknown {
  const context: ExpressionContext = { vars, functions: { ...functionsFor(state, current), ...extra } };
  try {
    return evaluate(value, context);
  } catch (e) {
    throw new EvaluationFailure(describeError(e));
  }
}

/** `YaqlEvaluationException: Unable to …` for expression errors, `<Name>: <message>` otherwise. */
export function describeError(e: unknown): string {
  if (e instanceof EvaluationFailure) return e.message;
  if (e instanceof ExpressionError) return `${e.pythonClass}: ${e.message}`;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return String(e);
}

/** The task state entry for (task, route), falling back to the routes it split from, as Orquesta does. */
export function findTaskState(state: WorkflowState, taskId: string, route: number): TaskState | undefined {
  const idx = state.tasks[taskStateKey(taskId, route)];
  if (idx !== undefined) return state.sequence[idx];
  const details = state.routes[route] ?? [];
  for (let r = route - 1; r >= 0; r--) {
    const earlier = state.routes[r] ?? [];
    if (earlier.every((t) => details.includes(t))) return findTaskState(state, taskId, r);
  }
  return undefined;
}

/** Orquesta's error for a function used where it has no meaning (e.g. `result()` in `output`). */
function evaluationError(message: string): PyError {
  return new PyError('ExpressionEvaluationException', message);
}

function functionsFor(state: WorkflowState, current: Current): Record<string, ExpressionFunction> {
  const requireCurrent = (): { taskId: string; route: number } => {
    if (current.taskId === undefined) throw evaluationError('The current task is not set in the context.');
    return { taskId: current.taskId, route: current.route ?? 0 };
  };
  const statusOf = (taskId: string, route?: number): Status =>
    findTaskState(state, taskId, route ?? current.route ?? 0)?.status ?? Status.unset;
  const currentStatus = (): Status => {
    const { taskId, route } = requireCurrent();
    return statusOf(taskId, route);
  };
  return {
    succeeded: () => currentStatus() === Status.succeeded,
    failed: () => currentStatus() === Status.failed,
    completed: () => isCompleted(currentStatus()),
    result: () => {
      requireCurrent();
      return current.result ?? null;
    },
    item: (...args: readonly unknown[]) => {
      const { positional, named } = splitKeywords(args);
      const key = positional[0] ?? named['key'];
      if (!current.hasItem) throw new PyError('KeyError', "'__current_item'");
      if (key === undefined || key === null) return current.item;
      const item = current.item;
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        throw evaluationError('Item is not type of collections.abc.Mapping.');
      }
      if (!Object.hasOwn(item, String(key)))
        throw evaluationError(`Item does not have key "${String(key)}".`);
      return (item as Record<string, unknown>)[String(key)];
    },
    task_status: (...args: readonly unknown[]) => {
      const { positional, named } = splitKeywords(args);
      const route = positional[1] ?? named['route'];
      return statusOf(
        String(positional[0] ?? named['task_id']),
        typeof route === 'number' ? route : undefined,
      );
    },
    task: (...args: readonly unknown[]) => {
      const { positional, named } = splitKeywords(args);
      const taskId = positional[0] ?? named['task_id'];
      const route = positional[1] ?? named['route'];
      const id = taskId === undefined || taskId === null ? requireCurrent().taskId : String(taskId);
      const entry = findTaskState(state, id, typeof route === 'number' ? route : (current.route ?? 0));
      if (!entry) throw evaluationError(`Unable to find task execution for "${id}".`);
      return taskView(entry);
    },
  };
}

/**
 * What `task(name)` returns: StackStorm's task execution summary (its orquesta runner's
 * format_task_result), `result.items` for with-items. The ids and timestamps are there when the
 * engine recorded them; an unfinished task's end is Python's `str(None)`, as StackStorm shows it.
 */
export function taskView(entry: TaskState): Record<string, unknown> {
  const execution = entry.execution;
  return {
    ...(execution
      ? {
          task_execution_id: execution.task_execution_id,
          workflow_execution_id: execution.workflow_execution_id,
        }
      : {}),
    task_name: entry.id,
    task_id: entry.id,
    route: entry.route,
    result: entry.items
      ? { items: entry.items.map((i) => ({ status: i.status, result: i.result ?? null })) }
      : (entry.result ?? null),
    status: entry.status,
    ...(execution
      ? {
          start_timestamp: execution.start_timestamp,
          end_timestamp:
            isCompleted(entry.status) && execution.end_timestamp !== undefined
              ? execution.end_timestamp
              : 'None',
        }
      : {}),
  };
}
