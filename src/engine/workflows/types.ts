/**
 * What the workflow orchestration moves around: the document persisted per workflow (the
 * evaluator's state plus the engine's bookkeeping), the events fed to an evaluator and the
 * commands it answers with, in one shape for Orquesta and ActionChain.
 */
import type { WorkflowFunctions } from './st2kv.ts';
import type { ExecutionStatus } from '../../domain/status.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import type { WorkflowKind } from '../../store/store.ts';

/** Start a child execution for one task (or item) of the workflow. */
export interface RunCommand {
  readonly type: 'run';
  /** Identifies the task (or item) the child runs for; see `refOf`. */
  readonly ref: string;
  readonly action: string;
  readonly parameters: JsonObject;
  /** The child's context beyond `parent` (the engine adds it): `orquesta` or `chain`. */
  readonly context: JsonObject;
  readonly delayMs: number;
  readonly taskExecution?: string;
}

export type WorkflowCommand =
  | RunCommand
  /** Pause, resume or cancel the children of a task (spec §9.2 says which ones really change). */
  | { readonly type: 'pause' | 'resume' | 'cancel'; readonly ref: string }
  /** The workflow execution's status changed without completing. */
  | { readonly type: 'status'; readonly status: ExecutionStatus; readonly result?: JsonObject }
  | { readonly type: 'completed'; readonly status: ExecutionStatus; readonly result: JsonObject };

export type WorkflowEvent =
  | {
      readonly type: 'child';
      readonly ref: string;
      /** Undefined when the child could not even be created. */
      readonly child: ExecutionRecord | undefined;
      readonly status: ExecutionStatus;
      readonly result: JsonObject;
    }
  | { readonly type: 'pause' | 'resume' | 'cancel' };

/** The persisted document of one workflow. */
export interface WorkflowDoc {
  readonly kind: WorkflowKind;
  /** The evaluator's state (Orquesta's WorkflowState or ActionChain's ChainState), plain JSON. */
  state: unknown;
  /** Child executions whose final status the evaluator has consumed (never fed twice). */
  applied: string[];
  /** Children requested but not heard of yet, by ref: re-issued after a crash if never created. */
  pending: Record<string, RunCommand>;
  /** The completion the evaluator reported, kept until the execution shows it. */
  completion?: { status: ExecutionStatus; result: JsonObject };
}

export interface StepOutcome {
  readonly state: unknown;
  readonly commands: WorkflowCommand[];
}

/** One evaluator behind the common loop. */
export interface WorkflowDriver {
  /** `functions`: what the engine adds to the workflow's expressions (`st2kv`). */
  step(state: unknown, event: WorkflowEvent, functions?: WorkflowFunctions): StepOutcome;
  /** The ref a child execution was created for, from its context. */
  refOf(child: ExecutionRecord): string | undefined;
}
