/**
 * Orquesta workflows as pure functions: load and inspect a definition, then drive a run with
 * `step(state, event) → { state, commands }` (and `rerun` from failed tasks). The engine owns
 * persistence, child executions and timers.
 */
export { loadWorkflowSpec, parseDefinition } from './load-spec.ts';
export {
  inspectWorkflow,
  type ActionParameters,
  type InspectionError,
  type InspectOptions,
} from './inspect.ts';
export {
  initialState,
  outstandingActions,
  startWorkflow,
  step,
  type StartOptions,
  type StepOptions,
} from './conductor.ts';
export { rerun, RerunErrorCode, WorkflowRerunError, type RerunOptions } from './rerun.ts';
export type * from './state.ts';
export type * from './spec.ts';
export { Status, type ActionStatus } from './statuses.ts';
