/**
 * The whole state of one workflow run: a plain JSON value the engine persists after every step
 * and hands back with the next event. Shaped after Orquesta's WorkflowState so re-runs and the
 * task functions (`task()`, `succeeded()`, …) can be answered from it alone.
 */
import type { WorkflowSpec } from './spec.ts';
import type { ActionStatus, Status } from './statuses.ts';

export interface RetryState {
  readonly when: string | undefined;
  readonly count: number;
  readonly delay: number;
  tally: number;
}

/**
 * What the engine knows of the task execution behind a task entry (StackStorm's TaskExecution),
 * recorded by the engine for `task()`; timestamps as Python prints a datetime.
 */
export interface TaskExecutionInfo {
  readonly task_execution_id: string;
  readonly workflow_execution_id: string;
  readonly start_timestamp: string;
  /** The end of the latest of its action executions; shown only once the task completed. */
  end_timestamp?: string;
}

/** One run of a task on a route (a re-run or a loop appends another entry). */
export interface TaskState {
  readonly id: string;
  readonly route: number;
  /** Indexes into `contexts` merged (in order) to form the task's input context. */
  readonly ctxs: { in: number[]; out?: Record<string, number> };
  /** Inbound transition id (`<from>__t<key>`) → index of the source task's entry in `sequence`. */
  readonly prev: Record<string, number>;
  /** Transition id → whether its condition held when the task completed. */
  next: Record<string, boolean>;
  status: Status;
  /** The action's result; for a with-items task, the item results in item order. */
  result?: unknown;
  /** With-items: the evaluated items (each rendered into the action input when it runs). */
  itemValues?: unknown[];
  /** With-items: each item's status and result. */
  items?: ItemState[];
  /** With-items: how many items may run at once (undefined: all). */
  concurrency?: number;
  /** Seconds the task's actions wait before running. */
  delay?: number;
  /** Kept until the action first reports, so a restarted engine can re-issue a lost request. */
  request?: PendingRequest;
  retry?: RetryState;
  /** The task ended a branch of the workflow; its context feeds the output. */
  term?: boolean;
  execution?: TaskExecutionInfo;
}

/** A `run_action` issued but not yet acknowledged by any report about the action. */
export type PendingRequest = Extract<WorkflowCommand, { type: 'run_action' }>;

export interface ItemState {
  status: Status;
  result?: unknown;
  /** Kept until the action first reports, so a restarted engine can re-issue a lost request. */
  request?: PendingRequest;
}

/** A task that was reached and waits to run (or, with items, still has items to run). */
export interface StagedTask {
  readonly id: string;
  readonly route: number;
  ctxs: { in: number[] };
  prev: Record<string, number>;
  /** A join is staged before all of its branches arrive; it runs once ready. */
  ready: boolean;
  /** Runs even though the workflow failed: the remediation before an explicit `fail`. */
  runOnFail?: boolean;
  /** Seconds before a retry. */
  retryDelay?: number;
}

export interface WorkflowError {
  readonly type: 'error';
  readonly message: string;
  readonly task_id?: string;
  readonly route?: number;
  readonly task_transition_id?: string;
  readonly result?: unknown;
}

export interface WorkflowState {
  readonly spec: WorkflowSpec;
  status: Status;
  /** The input given when the workflow was requested (before defaults). */
  readonly input: Record<string, unknown>;
  /** The context the workflow runs in (StackStorm's `st2` / `parent` keys), readable via `ctx()`. */
  readonly context: Record<string, unknown>;
  contexts: Record<string, unknown>[];
  /** Route 0 is the main line; each split appends the transitions that lead into it. */
  routes: string[][];
  sequence: TaskState[];
  /** `<task>__r<route>` → index of the task's latest entry in `sequence`. */
  tasks: Record<string, number>;
  staged: StagedTask[];
  errors: WorkflowError[];
  output: Record<string, unknown> | null;
  /** Set once the `workflow_completed` command was issued for the current run. */
  reported: boolean;
  reruns: number[][];
}

/** Status of the action execution behind one task (or item) when it changes. */
export interface ActionEvent {
  readonly type: 'action_status';
  readonly taskId: string;
  readonly route: number;
  readonly itemId?: number;
  readonly status: ActionStatus;
  readonly result?: unknown;
}

export type WorkflowEvent =
  | { readonly type: 'requested' }
  | ActionEvent
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'cancel' };

/** Identifies one action execution of the workflow. */
export interface TaskRef {
  readonly taskId: string;
  readonly route: number;
  readonly itemId?: number;
}

export type WorkflowCommand =
  | {
      readonly type: 'run_action';
      readonly taskId: string;
      /** Orquesta's task name: the task id. */
      readonly taskName: string;
      readonly route: number;
      readonly itemId?: number;
      readonly action: string;
      readonly input: Record<string, unknown>;
      /** Seconds to wait before running (task `delay`, or the retry delay). */
      readonly delay?: number;
    }
  /** Cancel the action execution(s) (the engine applies §9.2: workflows and delayed actions). */
  | ({ readonly type: 'cancel_action' } & TaskRef)
  | ({ readonly type: 'pause_action' } & TaskRef)
  | ({ readonly type: 'resume_action' } & TaskRef)
  /** The workflow's status changed without completing (pausing, paused, canceling, running…). */
  | { readonly type: 'workflow_status'; readonly status: Status }
  | {
      readonly type: 'workflow_completed';
      readonly status: Status;
      readonly result: WorkflowResult;
    };

/** StackStorm's result of an orquesta execution. */
export interface WorkflowResult {
  readonly output: Record<string, unknown> | null;
  readonly errors?: WorkflowError[];
}

export interface StepResult {
  readonly state: WorkflowState;
  readonly commands: WorkflowCommand[];
}
