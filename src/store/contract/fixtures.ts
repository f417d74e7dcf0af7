/**
 * Builders for test data with sensible defaults, for the store contract and any other suite that
 * needs an execution or an action without caring about most of its fields.
 */
import { newId } from '../../domain/ids.ts';
import { nowMicros } from '../../domain/time.ts';
import type { Action, ExecutionRecord } from '../../domain/types.ts';

/**
 * A `requested` execution of `core.local`, started now, with a single log entry matching its
 * status. Override anything; `log` follows the overridden status and start time unless given.
 */
export function makeExecution(overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  const startTimestamp = overrides.startTimestamp ?? nowMicros();
  const status = overrides.status ?? 'requested';
  return {
    id: newId(),
    liveactionId: newId(),
    actionRef: 'core.local',
    actionSnapshotId: 'a0a0a0a0a0a0a0a0a0a0a0a0',
    runnerSnapshotId: 'b0b0b0b0b0b0b0b0b0b0b0b0',
    runnerName: 'local-shell-cmd',
    endTimestamp: null,
    parentId: null,
    user: 'stanley',
    parameters: { cmd: 'echo hi' },
    context: { user: 'stanley' },
    liveaction: { action_is_workflow: false, callback: {}, runner_info: {} },
    delay: 0,
    resultSize: 0,
    triggerRefs: {},
    workflowExecution: null,
    taskExecution: null,
    ...overrides,
    status,
    startTimestamp,
    log: overrides.log ?? [{ timestamp: startTimestamp, status }],
  };
}

/** An enabled action `<pack>.<name>` (default `core.local`) with one parameter. */
export function makeAction(overrides: Partial<Action> = {}): Action {
  const pack = overrides.pack ?? 'core';
  const name = overrides.name ?? 'local';
  return {
    id: newId(),
    uid: `action:${pack}:${name}`,
    ref: `${pack}.${name}`,
    name,
    pack,
    description: `The ${name} action`,
    enabled: true,
    entry_point: '',
    runner_type: 'local-shell-cmd',
    parameters: { cmd: { type: 'string', required: true } },
    output_schema: {},
    tags: [],
    notify: {},
    metadata_file: `actions/${name}.yaml`,
    ...overrides,
  };
}
