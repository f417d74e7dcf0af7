/**
 * Glossary — StackStorm's nouns, used exactly as StackStorm uses them.
 *
 * - **pack**: a folder of content (`pack.yaml`, `actions/…`) that registers under one name, e.g. `core`.
 * - **action**: a named, parameterised unit of work in a pack, referenced as `<pack>.<name>`
 *   (split at the first dot). Its metadata names a runner type and an optional entry point.
 * - **runner type**: the kind of machinery that runs an action (`local-shell-cmd`, `http-request`,
 *   `orquesta`, …), with its own *runner parameters* that actions inherit and may override.
 * - **execution**: the user-facing history record of one run of an action (`/api/v1/executions`).
 *   It embeds copies of the action and runner type as they were when it was created.
 * - **liveaction**: StackStorm's "work order" record behind an execution. Squall keeps one row per
 *   execution and exposes the liveaction as a projection with its own id, because clients expect
 *   `execution.liveaction.id` and `st2.liveaction__*` events.
 * - **workflow**: an action whose runner (`orquesta`, `action-chain`) runs other actions as child
 *   executions; a **task** is one step of a workflow.
 * - **trigger** / **rule**: an event type and the rule that maps its instances to an action run.
 *   Executions created by rules carry copies of them; Squall records them for filtering.
 * - **output**: the stdout/stderr an execution printed, stored in ordered chunks.
 * - **result**: the structured JSON a runner returns; stored apart from the execution row.
 */
import type { ExecutionStatus } from './status.ts';

/** Any JSON value. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

/** Metadata for one parameter of an action or runner type (a JSON-schema fragment plus st2 keys). */
export interface ParameterSpec {
  type?: string | string[];
  description?: string;
  default?: Json;
  required?: boolean;
  immutable?: boolean;
  secret?: boolean;
  position?: number;
  enum?: Json[];
  [key: string]: Json | undefined;
}
export type ParameterSpecs = Record<string, ParameterSpec>;

/** Notification settings as sent on the wire. */
export type NotifySettings = JsonObject;

/** An action as StackStorm's API shows it (`Action` in the OpenAPI document). */
export interface Action {
  id: string;
  uid: string;
  ref: string;
  name: string;
  pack: string;
  description: string;
  enabled: boolean;
  entry_point: string;
  runner_type: string;
  parameters: ParameterSpecs;
  output_schema: JsonObject;
  tags: JsonObject[];
  notify: NotifySettings;
  metadata_file: string;
}

/** A runner type as StackStorm's API shows it (`RunnerType`). */
export interface RunnerType {
  id: string;
  uid: string;
  name: string;
  description: string;
  enabled: boolean;
  runner_package: string;
  runner_module: string;
  runner_parameters: ParameterSpecs;
  output_key?: string;
  output_schema: JsonObject;
}

/** A pack registered from disk. */
export interface Pack {
  ref: string;
  path: string;
  metadata: JsonObject;
}

export interface LogEntry {
  timestamp: number; // microseconds since the epoch
  status: ExecutionStatus;
}

/** References to the rules-engine objects that caused an execution (absent when run by hand). */
export interface TriggerRefs {
  rule?: JsonObject;
  trigger?: JsonObject;
  trigger_type?: JsonObject;
  trigger_instance?: JsonObject;
}

/**
 * One execution as the store keeps it. Timestamps are microseconds since the epoch; the API layer
 * formats them. `result` is deliberately absent: it lives apart and is loaded only on request.
 */
export interface ExecutionRecord {
  id: string;
  liveactionId: string;
  actionRef: string;
  /** Content-addressed snapshots of the action and runner type at creation time. */
  actionSnapshotId: string;
  runnerSnapshotId: string;
  runnerName: string;
  status: ExecutionStatus;
  startTimestamp: number;
  endTimestamp: number | null;
  parentId: string | null;
  user: string | null;
  parameters: JsonObject;
  context: JsonObject;
  /** The liveaction-only fields: `callback`, `runner_info`, `notify`, `action_is_workflow`. */
  liveaction: LiveactionFields;
  log: LogEntry[];
  delay: number;
  resultSize: number;
  triggerRefs: TriggerRefs;
  workflowExecution: string | null;
  taskExecution: string | null;
}

export interface LiveactionFields {
  action_is_workflow: boolean;
  callback: JsonObject;
  runner_info: JsonObject;
  notify?: NotifySettings;
}

/** One stored chunk of output. */
export interface OutputChunk {
  id: number;
  executionId: string;
  actionRef: string;
  runnerRef: string;
  timestamp: number;
  outputType: string;
  data: string;
}
