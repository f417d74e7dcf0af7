/**
 * The execution row, as every SQL backend stores it, and its mapping to and from ExecutionRecord.
 * Both backends select the same columns in the same order and hand back documents as JSON text and
 * times as numbers, so one mapping serves both. Mapping is on the hot path (every transition
 * returns a record), so it is a flat copy plus one JSON.parse per document column.
 */
import type { ExecutionStatus } from '../domain/status.ts';
import type {
  ExecutionRecord,
  Json,
  JsonObject,
  LiveactionFields,
  LogEntry,
  TriggerRefs,
} from '../domain/types.ts';

/**
 * What every query returning executions selects: the row minus queue bookkeeping. Backends read
 * it as arrays (not objects), which is cheaper per row; ExecutionRow names the positions.
 */
export const EXECUTION_COLUMNS = `id, liveaction_id, action_ref, action_snapshot, runner_snapshot, runner_name,
  status, start_ts, end_ts, parent_id, "user", parameters, context, liveaction, log, delay, result_size,
  trigger_refs, workflow_execution, task_execution`;

export type ExecutionRow = [
  id: string,
  liveactionId: string,
  actionRef: string,
  actionSnapshot: string,
  runnerSnapshot: string,
  runnerName: string,
  status: ExecutionStatus,
  startTs: number,
  endTs: number | null,
  parentId: string | null,
  user: string | null,
  parameters: string,
  context: string,
  liveaction: string,
  log: string,
  delay: number,
  resultSize: number,
  triggerRefs: string,
  workflowExecution: string | null,
  taskExecution: string | null,
];

/** Documents are often empty; skipping the parser for them is measurably cheaper. */
function parseObject<T>(text: string): T {
  return (text === '{}' ? {} : JSON.parse(text)) as T;
}

export function rowToRecord(row: ExecutionRow): ExecutionRecord {
  return {
    id: row[0],
    liveactionId: row[1],
    actionRef: row[2],
    actionSnapshotId: row[3],
    runnerSnapshotId: row[4],
    runnerName: row[5],
    status: row[6],
    startTimestamp: row[7],
    endTimestamp: row[8],
    parentId: row[9],
    user: row[10],
    parameters: parseObject<JsonObject>(row[11]),
    context: parseObject<JsonObject>(row[12]),
    liveaction: JSON.parse(row[13]) as LiveactionFields,
    log: JSON.parse(row[14]) as LogEntry[],
    delay: row[15],
    resultSize: row[16],
    triggerRefs: parseObject<TriggerRefs>(row[17]),
    workflowExecution: row[18],
    taskExecution: row[19],
  };
}

/** The columns an insert sets, in the order of InsertExecutionParams. */
export const INSERT_EXECUTION_COLUMNS = `id, liveaction_id, action_ref, action_snapshot,
  runner_snapshot, runner_name, status, start_ts, end_ts, parent_id, "user", parameters, context, liveaction,
  log, delay, result_size, trigger_refs, rule_name, trigger_name, trigger_type_name, trigger_instance_id,
  workflow_execution, task_execution, run_at`;

export type InsertExecutionParams = [
  string,
  string,
  string,
  string,
  string,
  string,
  string,
  number,
  number | null,
  string | null,
  string | null,
  string,
  string,
  string,
  string,
  number,
  number,
  string,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  string | null,
  number | null,
];

/** A string member of a trigger reference (`rule.name`, …), for its indexed column. */
function refField(ref: JsonObject | undefined, key: string): string | null {
  const value: Json | undefined = ref?.[key];
  return typeof value === 'string' ? value : null;
}

export function recordToInsertParams(r: ExecutionRecord): InsertExecutionParams {
  const refs = r.triggerRefs;
  const queued = r.status === 'requested' || r.status === 'delayed';
  return [
    r.id,
    r.liveactionId,
    r.actionRef,
    r.actionSnapshotId,
    r.runnerSnapshotId,
    r.runnerName,
    r.status,
    r.startTimestamp,
    r.endTimestamp,
    r.parentId,
    r.user,
    JSON.stringify(r.parameters),
    JSON.stringify(r.context),
    JSON.stringify(r.liveaction),
    JSON.stringify(r.log),
    r.delay,
    r.resultSize,
    JSON.stringify(refs),
    refField(refs.rule, 'name'),
    refField(refs.trigger, 'name'),
    refField(refs.trigger_type, 'name'),
    refField(refs.trigger_instance, 'id'),
    r.workflowExecution,
    r.taskExecution,
    // delay is in milliseconds, run_at in microseconds like every other time in the store.
    queued ? r.startTimestamp + r.delay * 1000 : null,
  ];
}
