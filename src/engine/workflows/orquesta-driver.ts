/**
 * Orquesta behind the common workflow loop: the conductor's events and commands translated to the
 * engine's, each task (or item) a child execution with StackStorm's `orquesta` context, and one
 * task execution id per run of a task (shared by its items, as StackStorm's TaskExecution).
 */
import type { WorkflowFunctions } from './st2kv.ts';
import { newId } from '../../domain/ids.ts';
import { isCompleted, type ExecutionStatus } from '../../domain/status.ts';
import { formatTimestamp, nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import {
  rerun,
  startWorkflow,
  step,
  WorkflowRerunError,
  type WorkflowCommand as ConductorCommand,
  type WorkflowEvent as ConductorEvent,
  type WorkflowSpec,
  type WorkflowState,
} from '../../workflow/orquesta/index.ts';
import type { StepOutcome, WorkflowCommand, WorkflowDriver, WorkflowEvent } from './types.ts';

/** What the engine persists for an Orquesta workflow: the conductor's state and ids it handed out. */
export interface OrquestaState {
  readonly workflowExecutionId: string;
  conductor: WorkflowState;
  /** Task execution ids by `<task>|<route>|<index of the task's run in the conductor's sequence>`. */
  taskExecutions: Record<string, string>;
}

export function orquestaRef(taskId: string, route: number, itemId: number | undefined): string {
  return `${taskId}|${route}|${itemId ?? ''}`;
}

function parseRef(ref: string): { taskId: string; route: number; itemId?: number } {
  const [taskId = '', route = '0', item = ''] = ref.split('|');
  return { taskId, route: Number(route), ...(item === '' ? {} : { itemId: Number(item) }) };
}

const NOT_EXECUTION_STATUSES: readonly string[] = ['null', 'retrying'];

function asExecutionStatus(status: string): ExecutionStatus | undefined {
  return NOT_EXECUTION_STATUSES.includes(status) ? undefined : (status as ExecutionStatus);
}

/** The conductor's commands in the engine's terms; run commands get their task execution id. */
function translate(state: OrquestaState, commands: readonly ConductorCommand[]): WorkflowCommand[] {
  const out: WorkflowCommand[] = [];
  for (const c of commands) {
    switch (c.type) {
      case 'run_action': {
        const index = state.conductor.tasks[`${c.taskId}__r${c.route}`] ?? -1;
        const entry = state.conductor.sequence[index];
        // Each try of a retried task is a task execution of its own, as in StackStorm (its items,
        // though, share the task's).
        const tries = entry?.retry?.tally ?? 0;
        const key = `${c.taskId}|${c.route}|${index}${tries > 0 ? `|${tries}` : ''}`;
        const taskExecution = (state.taskExecutions[key] ??= newId());
        if (entry && entry.execution?.task_execution_id !== taskExecution) {
          entry.execution = {
            task_execution_id: taskExecution,
            workflow_execution_id: state.workflowExecutionId,
            start_timestamp: pythonTimestamp(nowMicros()),
          };
        }
        out.push({
          type: 'run',
          ref: orquestaRef(c.taskId, c.route, c.itemId),
          action: c.action,
          parameters: c.input as JsonObject,
          context: {
            orquesta: {
              workflow_execution_id: state.workflowExecutionId,
              task_execution_id: taskExecution,
              task_name: c.taskName,
              task_id: c.taskId,
              task_route: c.route,
              ...(c.itemId === undefined ? {} : { item_id: c.itemId }),
            },
          },
          delayMs: Math.round((c.delay ?? 0) * 1000),
          taskExecution,
        });
        break;
      }
      case 'cancel_action':
      case 'pause_action':
      case 'resume_action':
        out.push({
          type: c.type === 'cancel_action' ? 'cancel' : c.type === 'pause_action' ? 'pause' : 'resume',
          ref: orquestaRef(c.taskId, c.route, c.itemId),
        });
        break;
      case 'workflow_status': {
        const status = asExecutionStatus(c.status);
        if (status) out.push({ type: 'status', status });
        break;
      }
      case 'workflow_completed': {
        const status = asExecutionStatus(c.status) ?? 'failed';
        out.push({ type: 'completed', status, result: c.result as unknown as JsonObject });
        break;
      }
    }
  }
  return out;
}

function toConductorEvent(event: WorkflowEvent): ConductorEvent {
  if (event.type !== 'child') return { type: event.type };
  const { taskId, route, itemId } = parseRef(event.ref);
  return {
    type: 'action_status',
    taskId,
    route,
    ...(itemId === undefined ? {} : { itemId }),
    status: event.status,
    result: event.result,
  };
}

/** How Python's `str()` prints StackStorm's UTC datetimes: `2024-01-12 22:10:26.123456+00:00`. */
export function pythonTimestamp(micros: number): string {
  const iso = formatTimestamp(micros); // 2024-01-12T22:10:26.123456Z
  const fraction = iso.slice(20, 26);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction === '000000' ? '' : `.${fraction}`}+00:00`;
}

/**
 * Records when the task's latest action execution ended, before the conductor steps on it, so
 * that `task()` in the task's own transitions shows the end (StackStorm updates the task
 * execution before the conductor evaluates them).
 */
function noteEnd(state: OrquestaState, event: WorkflowEvent): void {
  if (event.type !== 'child' || !isCompleted(event.status)) return;
  const { taskId, route } = parseRef(event.ref);
  const index = state.conductor.tasks[`${taskId}__r${route}`];
  const execution = index === undefined ? undefined : state.conductor.sequence[index]?.execution;
  if (execution) execution.end_timestamp = pythonTimestamp(event.child?.endTimestamp ?? nowMicros());
}

export const orquestaDriver: WorkflowDriver = {
  step(raw: unknown, event: WorkflowEvent, functions?: WorkflowFunctions): StepOutcome {
    const state = raw as OrquestaState;
    noteEnd(state, event);
    const next = step(state.conductor, toConductorEvent(event), functions ? { functions } : {});
    const updated: OrquestaState = {
      ...state,
      conductor: next.state,
      taskExecutions: { ...state.taskExecutions },
    };
    return { state: updated, commands: translate(updated, next.commands) };
  },
  refOf(child: ExecutionRecord): string | undefined {
    const o = child.context['orquesta'];
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return undefined;
    const taskId = o['task_id'];
    const route = o['task_route'];
    const item = o['item_id'];
    if (typeof taskId !== 'string' || typeof route !== 'number') return undefined;
    return orquestaRef(taskId, route, typeof item === 'number' ? item : undefined);
  },
};

/** Starts a new run of `spec`. */
export function startOrquesta(
  workflowExecutionId: string,
  spec: WorkflowSpec,
  input: JsonObject,
  context: JsonObject,
  functions: WorkflowFunctions = {},
): StepOutcome {
  const started = startWorkflow(spec, { input, context }, { functions });
  const state: OrquestaState = { workflowExecutionId, conductor: started.state, taskExecutions: {} };
  return { state, commands: translate(state, started.commands) };
}

/** Re-runs a completed workflow from `tasks` (spec §9.3); throws StackStorm's message on refusal. */
export function rerunOrquesta(
  previous: OrquestaState,
  tasks: readonly string[],
  reset: readonly string[],
): StepOutcome {
  try {
    const next = rerun(previous.conductor, { tasks, reset });
    const state: OrquestaState = {
      ...previous,
      conductor: next.state,
      taskExecutions: { ...previous.taskExecutions },
    };
    return { state, commands: translate(state, next.commands) };
  } catch (e) {
    if (e instanceof WorkflowRerunError && e.code === 'not_completed') {
      throw new WorkflowStartError(
        `Unable to rerun workflow execution "${previous.workflowExecutionId}" because it is not in a completed state.`,
      );
    }
    if (e instanceof WorkflowRerunError) throw new WorkflowStartError(e.message);
    throw e;
  }
}

/** A workflow that cannot start: its execution fails with `{errors: [...], output: null}`. */
export class WorkflowStartError extends Error {
  constructor(
    message: string,
    readonly errors: readonly JsonObject[] = [{ message }],
  ) {
    super(message);
    this.name = 'WorkflowStartError';
  }
}
