/**
 * A backend-neutral description of an executions list query. The API layer compiles StackStorm's
 * query parameters into this; each store backend compiles it into its own SQL.
 */

/** Columns of the execution row that can be filtered and sorted on. */
export const ExecutionColumn = {
  id: 'id',
  status: 'status',
  actionRef: 'action_ref',
  runnerName: 'runner_name',
  user: 'user',
  parentId: 'parent_id',
  liveactionId: 'liveaction_id',
  startTimestamp: 'start_ts',
  endTimestamp: 'end_ts',
  ruleName: 'rule_name',
  triggerName: 'trigger_name',
  triggerTypeName: 'trigger_type_name',
  triggerInstanceId: 'trigger_instance_id',
  workflowExecution: 'workflow_execution',
  taskExecution: 'task_execution',
} as const;
export type ExecutionColumn = (typeof ExecutionColumn)[keyof typeof ExecutionColumn];

/** JSON documents on the execution row that a path can reach into. */
export type ExecutionJsonColumn = 'context' | 'parameters' | 'liveaction' | 'trigger_refs';

/**
 * Where a condition looks:
 * - a plain column;
 * - a path inside one of the row's JSON documents (compared as text);
 * - a path inside the embedded action or runner snapshot (compared as text).
 */
export type FieldRef =
  | { kind: 'column'; column: ExecutionColumn }
  | { kind: 'json'; column: ExecutionJsonColumn; path: readonly string[] }
  | { kind: 'snapshot'; snapshot: 'action' | 'runner'; path: readonly string[] };

export type Condition =
  | { field: FieldRef; op: 'eq'; value: string | number }
  | { field: FieldRef; op: 'in'; values: readonly string[] }
  | { field: FieldRef; op: 'absent' }
  | { field: FieldRef; op: 'gt' | 'gte' | 'lt' | 'lte'; value: string | number };

export interface SortKey {
  column: ExecutionColumn;
  descending: boolean;
}

export interface ExecutionQuery {
  where: readonly Condition[];
  orderBy: readonly SortKey[];
  /** null: no limit. */
  limit: number | null;
  offset: number;
  /** Whether the caller needs the total number of matches (X-Total-Count). */
  countTotal: boolean;
}

/** Columns `GET /executions/views/filters` reports distinct values for. */
export type DistinctColumn = Extract<
  ExecutionColumn,
  'action_ref' | 'rule_name' | 'runner_name' | 'status' | 'trigger_name' | 'trigger_type_name' | 'user'
>;
