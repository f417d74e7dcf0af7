/** What one step of the conductor works with: the state being updated and the commands issued. */
import type { ExtraFunctions } from './evaluation.ts';
import type { TaskState, WorkflowCommand, WorkflowError, WorkflowState } from './state.ts';

export interface Step {
  readonly state: WorkflowState;
  readonly commands: WorkflowCommand[];
  readonly functions: ExtraFunctions;
  /** The task completed by this step, if any: it ends its branch when the workflow ends with it. */
  completed?: TaskState;
  /**
   * This step resumed the workflow: pending inquiries do not pause it again now, since a resume
   * comes with (just before) an answer; the answer's completion then carries the workflow on.
   */
  resumed?: boolean;
}

/** Records an error once (Orquesta ignores exact duplicates). */
export function logError(state: WorkflowState, error: Omit<WorkflowError, 'type'>): void {
  const entry: WorkflowError = { type: 'error', ...error };
  const same = JSON.stringify(entry);
  if (state.errors.some((e) => JSON.stringify(e) === same)) return;
  state.errors.push(entry);
}

/** Fails the workflow from any status that is still running or pausing (Orquesta fails fast). */
export function failWorkflow(state: WorkflowState): void {
  if (['null', 'requested', 'running', 'resuming', 'pausing', 'paused'].includes(state.status)) {
    state.status = 'failed';
  }
}
