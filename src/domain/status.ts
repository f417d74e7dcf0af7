/** The 14 execution statuses, in the order StackStorm lists them in its schemas and messages. */
export const ExecutionStatus = {
  requested: 'requested',
  scheduled: 'scheduled',
  delayed: 'delayed',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  timeout: 'timeout',
  abandoned: 'abandoned',
  canceling: 'canceling',
  canceled: 'canceled',
  pending: 'pending',
  pausing: 'pausing',
  paused: 'paused',
  resuming: 'resuming',
} as const;
export type ExecutionStatus = (typeof ExecutionStatus)[keyof typeof ExecutionStatus];

export const ALL_STATUSES: readonly ExecutionStatus[] = Object.values(ExecutionStatus);

const COMPLETED: ReadonlySet<ExecutionStatus> = new Set([
  'succeeded',
  'failed',
  'timeout',
  'abandoned',
  'canceled',
]);

const CANCELABLE: ReadonlySet<ExecutionStatus> = new Set([
  'requested',
  'scheduled',
  'delayed',
  'running',
  'pausing',
  'paused',
  'resuming',
]);

export function isStatus(value: unknown): value is ExecutionStatus {
  return typeof value === 'string' && (ALL_STATUSES as readonly string[]).includes(value);
}

export function isCompleted(status: ExecutionStatus): boolean {
  return COMPLETED.has(status);
}

export function isCancelable(status: ExecutionStatus): boolean {
  return CANCELABLE.has(status);
}

/** Runner types whose executions are workflows (they have children and can pause). */
export const WORKFLOW_RUNNERS: ReadonlySet<string> = new Set(['action-chain', 'orquesta']);
