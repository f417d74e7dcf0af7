/** Workflow and task statuses, as Orquesta names them (`null` is Orquesta's UNSET). */
export const Status = {
  unset: 'null',
  requested: 'requested',
  scheduled: 'scheduled',
  delayed: 'delayed',
  running: 'running',
  pending: 'pending',
  pausing: 'pausing',
  paused: 'paused',
  resuming: 'resuming',
  succeeded: 'succeeded',
  failed: 'failed',
  timeout: 'timeout',
  abandoned: 'abandoned',
  retrying: 'retrying',
  canceling: 'canceling',
  canceled: 'canceled',
} as const;
export type Status = (typeof Status)[keyof typeof Status];

/** Statuses an action execution reports to the workflow (every status but Orquesta's own). */
export type ActionStatus = Exclude<Status, 'null' | 'retrying'>;

const ACTIVE: readonly Status[] = [
  'requested',
  'scheduled',
  'delayed',
  'running',
  'resuming',
  'pausing',
  'canceling',
];
const COMPLETED: readonly Status[] = ['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'];
const ABENDED: readonly Status[] = ['failed', 'timeout', 'abandoned'];

export const isActive = (s: Status | undefined): boolean => s !== undefined && ACTIVE.includes(s);
export const isCompleted = (s: Status | undefined): boolean => s !== undefined && COMPLETED.includes(s);
export const isAbended = (s: Status | undefined): boolean => s !== undefined && ABENDED.includes(s);
/** Paused, or waiting on an inquiry. */
export const isPaused = (s: Status | undefined): boolean => s === 'paused' || s === 'pending';
