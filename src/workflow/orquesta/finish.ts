/**
 * The end of every step: settle the workflow's status once nothing is active (succeeded, paused,
 * canceled), fail on a join that can no longer be reached, render `output` when the workflow
 * completes, and report status changes and completion as commands.
 */
import { describeError, evaluateIn, mergeContexts } from './evaluation.ts';
import { hasActiveTasks, Inbound, inboundStatus, latestTasks } from './inbound.ts';
import type { WorkflowState } from './state.ts';
import { isAbended, isCompleted, isPaused, type Status } from './statuses.ts';
import { logError, type Step } from './step-context.ts';

export function finish(s: Step, before: Status): void {
  const { state } = s;
  settle(state, s.resumed === true);
  if (isCompleted(state.status)) {
    if (s.completed && !isCompleted(before)) s.completed.term = true;
    const remediating = state.status === 'failed' && state.staged.some((t) => t.ready && t.runOnFail);
    if (!state.reported && !hasActiveTasks(state) && !remediating) {
      renderOutput(s);
      state.reported = true;
      s.commands.push({
        type: 'workflow_completed',
        status: state.status,
        result: {
          output: state.output && Object.keys(state.output).length > 0 ? state.output : null,
          ...(isAbended(state.status) ? { errors: state.errors } : {}),
        },
      });
    }
    return;
  }
  if (state.status !== before && state.status !== 'null') {
    // First, so the engine records the status before it starts what the step requested.
    s.commands.unshift({ type: 'workflow_status', status: state.status });
  }
}

function settle(state: WorkflowState, resumed: boolean): void {
  const active = hasActiveTasks(state);
  if (active) return;
  switch (state.status) {
    case 'running':
    case 'resuming': {
      if (state.staged.some((t) => t.ready)) return;
      const paused = latestTasks(state).filter(({ entry }) => isPaused(entry.status));
      if (paused.length > 0) {
        if (!resumed || paused.some(({ entry }) => entry.status !== 'pending')) state.status = 'paused';
        return;
      }
      state.status = 'succeeded';
      failOnUnreachableJoins(state);
      return;
    }
    case 'pausing':
      state.status = 'paused';
      return;
    case 'canceling':
      state.status = 'canceled';
      return;
    default:
      return;
  }
}

/** A join some of whose branches arrived while the others never will. */
function failOnUnreachableJoins(state: WorkflowState): void {
  for (const staged of state.staged) {
    if (staged.ready || state.spec.tasks[staged.id]?.join === undefined) continue;
    if (inboundStatus(state, staged.id, staged.route) !== Inbound.unsatisfied) continue;
    state.status = 'failed';
    logError(state, {
      message: `UnreachableJoinError: The join task|route "${staged.id}|${staged.route}" is partially satisfied but unreachable.`,
      task_id: staged.id,
      route: staged.route,
    });
  }
}

/** The context at the end: the terminal tasks' contexts merged, first one whole, then the rest's own. */
function terminalContext(state: WorkflowState): Record<string, unknown> {
  const terms = state.sequence.filter((t) => t.term);
  const [first, ...others] = terms;
  // No task ended a branch (e.g. the start task failed to render): Orquesta renders from nothing.
  if (!first) return {};
  const ctx = mergeContexts(state, first.ctxs.in);
  for (const t of others)
    Object.assign(
      ctx,
      mergeContexts(
        state,
        t.ctxs.in.filter((i) => i !== 0),
      ),
    );
  return ctx;
}

function renderOutput(s: Step): void {
  const { state } = s;
  if (state.output !== null || state.spec.output.length === 0 || state.contexts.length === 0) return;
  const rolling = terminalContext(state);
  const output: Record<string, unknown> = {};
  let failed = false;
  for (const o of state.spec.output) {
    try {
      const value = evaluateIn(state, o.value, rolling, {}, s.functions);
      rolling[o.name] = value;
      output[o.name] = value;
    } catch (e) {
      logError(state, { message: describeError(e) });
      failed = true;
    }
  }
  if (Object.keys(output).length > 0) state.output = output;
  if (failed && !['timeout', 'abandoned', 'canceled'].includes(state.status)) state.status = 'failed';
}
