/**
 * Control of existing executions: cancel (DELETE), update (PUT) and re-run (spec §2.5, §2.6, §2.8,
 * §4.3). Unlike StackStorm, canceling a running action stops its work: the dispatcher kills the
 * action's whole process group, and a late result never overwrites `canceled`.
 */
import { RefusedWithOkError, ValidationError } from '../../domain/errors.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import { isCancelable, isCompleted, WORKFLOW_RUNNERS } from '../../domain/status.ts';
import { nowMicros } from '../../domain/time.ts';
import type { ExecutionRecord, Json, JsonObject } from '../../domain/types.ts';
import type { Store, Transition } from '../../store/store.ts';
import type { StopReason } from '../dispatch/dispatcher.ts';
import type { EventBus } from '../events.ts';
import type { ExecutionCreator } from './create-execution.ts';
import { serializeResult } from './result.ts';
import { cancelCompleted } from './transitions.ts';

export interface ControlDeps {
  store: Store;
  bus: EventBus;
  creator: ExecutionCreator;
  /** Stops a run in this process; false when it is not running here. */
  stopRun(executionId: string, reason: StopReason): boolean;
  /**
   * Whether other processes may be running executions (a shared store): a `canceling` execution
   * not running here is then left to the worker running it (or, if that worker is gone, to the
   * lease reaper) to end.
   */
  othersMayRun?: boolean;
}

export interface ReRunRequest {
  parameters: JsonObject;
  tasks: string[];
  reset: string[];
  user: string;
  delay?: number;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class ExecutionControl {
  readonly #deps: ControlDeps;

  constructor(deps: ControlDeps) {
    this.#deps = deps;
  }

  async #apply(change: Transition): Promise<ExecutionRecord | undefined> {
    const record = await this.#deps.store.transition(change);
    if (record) this.#deps.bus.emit({ type: 'execution.updated', record });
    return record;
  }

  /** DELETE: cancels; idempotent on `canceled`; a refusal is StackStorm's 200 with a faultstring. */
  async cancel(execution: ExecutionRecord, requester: string): Promise<ExecutionRecord> {
    if (execution.status === 'canceled') return execution;
    if (!isCancelable(execution.status)) {
      throw new RefusedWithOkError(`Action cannot be canceled. State = ${execution.status}.`);
    }
    const underWorkflow = isObject(execution.context['parent']);
    const target: ExecutionStatus =
      execution.status === 'running' || underWorkflow ? 'canceling' : 'canceled';
    const at = nowMicros();
    const updated = await this.#apply({
      id: execution.id,
      from: [execution.status],
      to: target,
      at,
      result: serializeResult({ message: 'Action canceled by user.', user: requester }),
      contextPatch: { cancelled_by: requester },
      ...(target === 'canceled' ? { endTimestamp: at, owner: null } : {}),
    });
    if (!updated) {
      // The status moved under us (it finished, or another cancel won): answer with what is now true.
      const current = await this.#deps.store.getExecution(execution.id);
      if (!current) return execution;
      return current.status === execution.status ? current : this.cancel(current, requester);
    }
    if (target === 'canceling') return this.#finishCanceling(updated);
    return updated;
  }

  /**
   * A `canceling` execution ends `canceled` once its work has stopped. If this process runs it,
   * the dispatcher kills it and records `canceled`; on a shared store the worker running it does
   * (it hears of the cancel); otherwise nothing runs it and it ends now.
   * Workflows stay `canceling` until their children stop (the workflow engine finalises them).
   */
  async #finishCanceling(execution: ExecutionRecord): Promise<ExecutionRecord> {
    if (this.#deps.stopRun(execution.id, 'cancel')) return execution;
    if (WORKFLOW_RUNNERS.has(execution.runnerName)) return execution;
    if (this.#deps.othersMayRun) return execution;
    return (await this.#apply(cancelCompleted(execution.id, nowMicros()))) ?? execution;
  }

  /** PUT: external status changes, cancel, pause and resume requests (spec §2.5). */
  async update(
    execution: ExecutionRecord,
    status: ExecutionStatus,
    result: JsonObject | undefined,
    requester: string,
  ): Promise<ExecutionRecord> {
    const current = execution.status;
    if (isCompleted(current)) throw new ValidationError('Execution is already in completed state.');
    const at = nowMicros();
    const isWorkflow = WORKFLOW_RUNNERS.has(execution.runnerName);
    const notSupported = (verb: string): ValidationError =>
      new ValidationError(
        `Failed updating execution. Unable to ${verb} liveaction "${execution.liveactionId}" because it is not supported by the "${execution.runnerName}" runner.`,
      );

    if (current === 'canceling' && status === 'canceled') {
      // A workflow stays canceling while a child is still active (spec §2.5).
      if (isWorkflow && (await this.#hasActiveChild(execution.id))) return execution;
      return (await this.#finalize(execution, 'canceled', result, at)) ?? execution;
    }
    if (status === 'canceling' || status === 'canceled') {
      if (current === 'canceling') return execution;
      if (!isCancelable(current)) throw new ValidationError(`Action cannot be canceled. State = ${current}.`);
      return this.cancel(execution, requester);
    }
    if (current === 'pausing' && status === 'paused') {
      if (isWorkflow && (await this.#hasActiveChild(execution.id))) return execution;
      return (await this.#apply({ id: execution.id, from: ['pausing'], to: 'paused', at })) ?? execution;
    }
    if (status === 'pausing' || status === 'paused') {
      if (!isWorkflow) throw notSupported('pause');
      if (current === 'pausing' || current === 'paused') return execution;
      if (current !== 'running') {
        throw new ValidationError(
          `Failed updating execution. Unable to pause liveaction "${execution.liveactionId}" because it is not in a running state.`,
        );
      }
      return (
        (await this.#apply({
          id: execution.id,
          from: ['running'],
          to: 'pausing',
          at,
          contextPatch: { paused_by: requester },
        })) ?? execution
      );
    }
    if (status === 'resuming') {
      if (!isWorkflow) throw notSupported('resume');
      if (current === 'running' || current === 'resuming') return execution;
      if (current !== 'paused') {
        throw new ValidationError(
          `Failed updating execution. Unable to resume liveaction "${execution.liveactionId}" because it is in "${current}" state and not in "paused" state.`,
        );
      }
      return (
        (await this.#apply({
          id: execution.id,
          from: ['paused'],
          to: 'resuming',
          at,
          contextPatch: { resumed_by: requester },
        })) ?? execution
      );
    }
    if (status === current) return execution;
    const updated = await this.#finalize(execution, status, result, at);
    if (updated && isCompleted(status)) {
      // Completed from outside: whatever still runs for it here is no longer wanted.
      this.#deps.stopRun(execution.id, 'cancel');
    }
    return updated ?? execution;
  }

  /** Whether a child still runs: inactive children are completed, paused or pending (spec §2.5). */
  async #hasActiveChild(id: string): Promise<boolean> {
    const ids = (await this.#deps.store.childrenOf([id])).get(id) ?? [];
    for (const childId of ids) {
      const child = await this.#deps.store.getExecution(childId);
      if (child && !isCompleted(child.status) && child.status !== 'paused' && child.status !== 'pending')
        return true;
    }
    return false;
  }

  async #finalize(
    execution: ExecutionRecord,
    status: ExecutionStatus,
    result: JsonObject | undefined,
    at: number,
  ): Promise<ExecutionRecord | undefined> {
    const completed = isCompleted(status);
    return this.#apply({
      id: execution.id,
      from: [execution.status],
      to: status,
      at,
      ...(result && Object.keys(result).length > 0 ? { result: serializeResult(result) } : {}),
      ...(completed ? { endTimestamp: at, owner: null } : {}),
    });
  }

  /** POST re_run: a new execution of the same action with the original's parameters merged. */
  async reRun(
    original: ExecutionRecord,
    refAsGiven: string,
    request: ReRunRequest,
    requester: string,
  ): Promise<ExecutionRecord> {
    if (request.tasks.length > 0 && original.runnerName !== 'orquesta') {
      throw new ValidationError('Task option is only supported for Orquesta workflows.');
    }
    const reRun: JsonObject = { ref: refAsGiven };
    if (request.tasks.length > 0) reRun['tasks'] = request.tasks;
    if (request.reset.length > 0) reRun['reset'] = request.reset;
    const context: JsonObject = { 're-run': reRun };
    const trace = original.context['trace_context'];
    if (isObject(trace)) context['trace_context'] = trace;
    return this.#deps.creator.create(
      {
        action: original.actionRef,
        parameters: { ...original.parameters, ...request.parameters },
        context,
        user: request.user,
        ...(request.delay !== undefined ? { delay: request.delay } : {}),
      },
      { requester },
    );
  }
}

/** Re-run body checks that come before the original is looked up (spec §2.8, steps 2–3). */
export function checkReRunRequest(request: ReRunRequest): void {
  if ((request.tasks.length > 0 || request.reset.length > 0) && Object.keys(request.parameters).length > 0) {
    throw new ValidationError('Parameters override is not supported when re-running task(s) for a workflow.');
  }
  if (request.reset.some((task) => !request.tasks.includes(task))) {
    throw new ValidationError('List of tasks to reset does not match the tasks to rerun.');
  }
}
