/**
 * The execution document exactly as StackStorm's API shows it (spec §3.1): embedded action, runner
 * and liveaction, timestamps with microseconds and `Z`, `web_url`, `elapsed_seconds`, the `log`,
 * falsy top-level fields omitted, and secrets masked unless the caller may and asks to see them.
 */
import {
  maskParameters,
  maskResult,
  mergeParameterSpecs,
  redactJson,
  secretParameterValues,
} from '../domain/masking.ts';
import { formatTimestamp } from '../domain/time.ts';
import type { ExecutionRecord, Json, JsonObject, ParameterSpecs } from '../domain/types.ts';

/** Every top-level field of the Execution schema, in the order documents list them. */
export const EXECUTION_FIELDS = [
  'id',
  'action',
  'runner',
  'liveaction',
  'status',
  'start_timestamp',
  'end_timestamp',
  'elapsed_seconds',
  'web_url',
  'parameters',
  'context',
  'result',
  'result_size',
  'parent',
  'children',
  'log',
  'delay',
  'rule',
  'trigger',
  'trigger_type',
  'trigger_instance',
  'workflow_execution',
  'task_execution',
] as const;
export type ExecutionField = (typeof EXECUTION_FIELDS)[number];
export const EXECUTION_FIELD_SET: ReadonlySet<string> = new Set(EXECUTION_FIELDS);

export interface ExecutionParts {
  record: ExecutionRecord;
  action: JsonObject | undefined;
  runner: JsonObject | undefined;
  /** Parsed result, when it was loaded. */
  result?: Json;
  children?: readonly string[];
}

export interface ViewOptions {
  mask: boolean;
  webUiBaseUrl: string;
  /** Only these top-level fields (plus `id`); all when undefined. */
  fields?: ReadonlySet<string>;
}

function isFalsy(value: Json | undefined): boolean {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function specsOf(doc: JsonObject | undefined, key: string): ParameterSpecs {
  const value = doc?.[key];
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as ParameterSpecs)
    : {};
}

function outputSchemaOf(doc: JsonObject | undefined): JsonObject {
  const value = doc?.['output_schema'];
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}

function maskedParameters(parts: ExecutionParts): JsonObject {
  const { record, action, runner } = parts;
  return maskParameters(
    record.parameters,
    mergeParameterSpecs(specsOf(action, 'parameters'), specsOf(runner, 'runner_parameters')),
    record.actionRef,
  );
}

/** The text forms of the execution's secret parameter values (redacted from results and output). */
export function secretValuesOf(parts: Pick<ExecutionParts, 'record' | 'action' | 'runner'>): string[] {
  return secretParameterValues(
    parts.record.parameters,
    mergeParameterSpecs(specsOf(parts.action, 'parameters'), specsOf(parts.runner, 'runner_parameters')),
  );
}

function maskedResult(parts: ExecutionParts, mask: boolean): Json | undefined {
  if (parts.result === undefined || !mask) return parts.result;
  const outputKey = parts.runner?.['output_key'];
  return redactJson(maskSchemaSecrets(parts, parts.result, outputKey), secretValuesOf(parts));
}

function maskSchemaSecrets(parts: ExecutionParts, result: Json, outputKey: Json | undefined): Json {
  return maskResult(
    result,
    typeof outputKey === 'string' ? outputKey : undefined,
    outputSchemaOf(parts.action),
    {
      runnerName: parts.record.runnerName,
    },
  );
}

/**
 * The liveaction object of `st2.liveaction__*` stream events (spec §3.2). Unlike the execution
 * document it keeps falsy values; only what was never set is absent.
 */
export function liveactionView(parts: ExecutionParts, options: { mask: boolean }): JsonObject {
  const { record } = parts;
  const doc: JsonObject = {
    id: record.liveactionId,
    status: record.status,
    start_timestamp: formatTimestamp(record.startTimestamp),
  };
  if (record.endTimestamp !== null) doc['end_timestamp'] = formatTimestamp(record.endTimestamp);
  doc['action'] = record.actionRef;
  doc['action_is_workflow'] = record.liveaction.action_is_workflow;
  doc['parameters'] = options.mask ? maskedParameters(parts) : record.parameters;
  doc['result'] = maskedResult(parts, options.mask) ?? {};
  doc['context'] = record.context;
  doc['callback'] = record.liveaction.callback;
  doc['runner_info'] = record.liveaction.runner_info;
  if (record.liveaction.notify) doc['notify'] = record.liveaction.notify;
  doc['delay'] = record.delay;
  if (record.workflowExecution) doc['workflow_execution'] = record.workflowExecution;
  if (record.taskExecution) doc['task_execution'] = record.taskExecution;
  return doc;
}

export function executionView(parts: ExecutionParts, options: ViewOptions): JsonObject {
  const { record, action, runner } = parts;
  const want = (field: ExecutionField): boolean =>
    !options.fields || field === 'id' || options.fields.has(field);
  const parameters =
    options.mask && (want('parameters') || want('liveaction')) ? maskedParameters(parts) : record.parameters;
  const values: Partial<Record<ExecutionField, Json | undefined>> = {};
  const set = (field: ExecutionField, compute: () => Json | undefined): void => {
    if (want(field)) values[field] = compute();
  };
  set('id', () => record.id);
  set('action', () => action);
  set('runner', () => runner);
  set('liveaction', () => ({
    id: record.liveactionId,
    action: record.actionRef,
    action_is_workflow: record.liveaction.action_is_workflow,
    parameters,
    callback: record.liveaction.callback,
    runner_info: record.liveaction.runner_info,
    ...(record.liveaction.notify ? { notify: record.liveaction.notify } : {}),
  }));
  set('status', () => record.status);
  set('start_timestamp', () => formatTimestamp(record.startTimestamp));
  set('end_timestamp', () =>
    record.endTimestamp === null ? undefined : formatTimestamp(record.endTimestamp),
  );
  set('elapsed_seconds', () =>
    record.endTimestamp === null ? undefined : (record.endTimestamp - record.startTimestamp) / 1_000_000,
  );
  set('web_url', () => `${options.webUiBaseUrl}/#/history/${record.id}/general`);
  set('parameters', () => parameters);
  set('context', () => record.context);
  set('result', () => maskedResult(parts, options.mask));
  set('result_size', () => record.resultSize);
  set('parent', () => record.parentId ?? undefined);
  set('children', () => (parts.children ? [...parts.children] : undefined));
  set('log', () =>
    record.log.map((entry) => ({ timestamp: formatTimestamp(entry.timestamp), status: entry.status })),
  );
  set('delay', () => record.delay);
  set('rule', () => record.triggerRefs.rule);
  set('trigger', () => record.triggerRefs.trigger);
  set('trigger_type', () => record.triggerRefs.trigger_type);
  set('trigger_instance', () => record.triggerRefs.trigger_instance);
  set('workflow_execution', () => record.workflowExecution ?? undefined);
  set('task_execution', () => record.taskExecution ?? undefined);

  const doc: JsonObject = {};
  for (const field of EXECUTION_FIELDS) {
    const value = values[field];
    if (!isFalsy(value)) doc[field] = value as Json;
  }
  return doc;
}
