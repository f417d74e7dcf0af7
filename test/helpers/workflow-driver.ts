/**
 * Drives the pure Orquesta conductor through a list of events, as the engine would, collecting
 * what it commands after each one. Used by the evaluator's table tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  loadWorkflowSpec,
  startWorkflow,
  step,
  type ActionStatus,
  type WorkflowCommand,
  type WorkflowEvent,
  type WorkflowState,
} from '../../src/workflow/orquesta/index.ts';

const WORKFLOWS = join(import.meta.dirname, '..', 'fixtures', 'packs', 'examples', 'actions', 'workflows');

/** A workflow of the examples pack fixture, e.g. `orquesta-join` or `tests/orquesta-test-rerun`. */
export function exampleWorkflow(name: string): string {
  return readFileSync(join(WORKFLOWS, `${name}.yaml`), 'utf8');
}

/** `[task, status, result?, {route, item}]`, or a workflow-level request. */
export type DriverEvent =
  | readonly [string, ActionStatus, unknown?, { route?: number; item?: number }?]
  | 'pause'
  | 'resume'
  | 'cancel';

export interface Run {
  readonly state: WorkflowState;
  /** Commands issued by the start and then by each event, in order. */
  readonly steps: WorkflowCommand[][];
  readonly commands: WorkflowCommand[];
  readonly completed: Extract<WorkflowCommand, { type: 'workflow_completed' }> | undefined;
}

export function toEvent(e: DriverEvent): WorkflowEvent {
  if (typeof e === 'string') return { type: e };
  const [taskId, status, result, where] = e;
  return {
    type: 'action_status',
    taskId,
    route: where?.route ?? 0,
    ...(where?.item === undefined ? {} : { itemId: where.item }),
    status,
    ...(result === undefined ? {} : { result }),
  };
}

export function drive(
  definition: string,
  input: Record<string, unknown>,
  events: readonly DriverEvent[],
): Run {
  const started = startWorkflow(loadWorkflowSpec(definition), { input });
  return continueRun(started.state, events, [started.commands]);
}

export function continueRun(
  state: WorkflowState,
  events: readonly DriverEvent[],
  steps: WorkflowCommand[][] = [],
): Run {
  let current = state;
  const all = [...steps];
  for (const e of events) {
    // Through JSON between steps, as the engine persists it: the state must survive that unchanged.
    const persisted = JSON.parse(JSON.stringify(current)) as WorkflowState;
    const result = step(persisted, toEvent(e));
    current = result.state;
    all.push(result.commands);
  }
  const commands = all.flat();
  const completed = commands.find(
    (c): c is Extract<WorkflowCommand, { type: 'workflow_completed' }> => c.type === 'workflow_completed',
  );
  return { state: current, steps: all, commands, completed };
}

/** The `run_action` commands, shortened to what a table row compares. */
export function actionsRun(commands: readonly WorkflowCommand[]): unknown[] {
  return commands.flatMap((c) =>
    c.type === 'run_action'
      ? [
          {
            task: c.taskId,
            ...(c.route === 0 ? {} : { route: c.route }),
            ...(c.itemId === undefined ? {} : { item: c.itemId }),
            action: c.action,
            input: c.input,
            ...(c.delay === undefined ? {} : { delay: c.delay }),
          },
        ]
      : [],
  );
}

/**
 * The errors StackStorm's inspection reports for the examples' `tests/orquesta-fail-inspection`
 * (its integration test's expectation), in its order: by inspection and by a run alike.
 */
export const FAIL_INSPECTION_ERRORS = [
  {
    type: 'content',
    message: 'The action "std.noop" is not registered in the database.',
    schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.action',
    spec_path: 'tasks.task3.action',
  },
  {
    type: 'context',
    language: 'yaql',
    expression: '<% ctx().foobar %>',
    message: 'Variable "foobar" is referenced before assignment.',
    schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input',
    spec_path: 'tasks.task1.input',
  },
  {
    type: 'expression',
    language: 'yaql',
    expression: '<% <% succeeded() %>',
    message: "Parse error: unexpected '<' at position 0 of expression '<% succeeded()'",
    schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.next.items.properties.when',
    spec_path: 'tasks.task2.next[0].when',
  },
  {
    type: 'syntax',
    message: "[{'cmd': 'echo <% ctx().macro %>'}] is not valid under any of the given schemas",
    schema_path: 'properties.tasks.patternProperties.^\\w+$.properties.input.oneOf',
    spec_path: 'tasks.task2.input',
  },
];
