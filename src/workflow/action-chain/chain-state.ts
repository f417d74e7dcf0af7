/**
 * The state of one ActionChain run (a JSON value the engine persists after every step), the
 * events it consumes and the commands it issues — the same shape as the Orquesta conductor's.
 */
import type { ChainSpec } from './chain-spec.ts';

/** A child execution's status as the chain sees it. */
export type ChildStatus =
  | 'requested'
  | 'scheduled'
  | 'delayed'
  | 'running'
  | 'pending'
  | 'pausing'
  | 'paused'
  | 'resuming'
  | 'succeeded'
  | 'failed'
  | 'timeout'
  | 'abandoned'
  | 'canceling'
  | 'canceled';

export type ChainStatus =
  | 'requested'
  | 'running'
  | 'pausing'
  | 'paused'
  | 'canceling'
  | 'canceled'
  | 'succeeded'
  | 'failed'
  | 'timeout';

/** One entry of the result's `tasks`: StackStorm's shape (the engine's `execution` fields merged in). */
export interface ChainTaskRecord {
  readonly id: string;
  readonly name: string;
  readonly workflow: null;
  state: ChildStatus;
  result: unknown;
  /** `execution_id`, `liveaction_id`, `created_at`, `updated_at` as the engine reported them. */
  [field: string]: unknown;
}

export interface ChainResult {
  tasks: ChainTaskRecord[];
  published?: Record<string, unknown>;
  error?: string;
}

export interface ChainState {
  readonly spec: ChainSpec;
  status: ChainStatus;
  /** The chain execution's parameters (readable by name in templates). */
  readonly parameters: Record<string, unknown>;
  /** The chain execution's context: templates read it as `action_context.parent`. */
  readonly context: Record<string, unknown>;
  readonly displayPublished: boolean;
  vars: Record<string, unknown>;
  /** Each node's latest result (`{{ node.stdout }}`). */
  results: Record<string, unknown>;
  result: ChainResult;
  /** The node whose action runs now (or is paused). */
  current?: string;
  /** Where the chain goes from here: the outcome of the last node decided it. */
  outcome: ChainStatus;
  reported: boolean;
}

export type ChainEvent =
  | { readonly type: 'requested' }
  | {
      readonly type: 'action_status';
      readonly node: string;
      readonly status: ChildStatus;
      readonly result?: unknown;
      /** The child execution's ids and timestamps, copied into the task record. */
      readonly execution?: Readonly<Record<string, unknown>>;
    }
  | { readonly type: 'pause' }
  | { readonly type: 'resume' }
  | { readonly type: 'cancel' };

export type ChainCommand =
  | {
      readonly type: 'run_action';
      readonly node: string;
      readonly action: string;
      readonly parameters: Record<string, unknown>;
      /** The child's context: `{parent: {execution_id, ...chain context}, chain: <node>}` minus the id the engine adds. */
      readonly context: { readonly chain: Readonly<Record<string, unknown>> };
    }
  | { readonly type: 'pause_action'; readonly node: string }
  | { readonly type: 'resume_action'; readonly node: string }
  | { readonly type: 'cancel_action'; readonly node: string }
  | { readonly type: 'chain_status'; readonly status: ChainStatus; readonly result: ChainResult }
  | { readonly type: 'chain_completed'; readonly status: ChainStatus; readonly result: ChainResult };

export interface ChainStepResult {
  readonly state: ChainState;
  readonly commands: ChainCommand[];
}
