/**
 * The conductor driven by events, as tables: each row is a workflow (most from StackStorm's
 * examples pack, see test/fixtures/packs/examples/README.md), the action results the engine
 * reports, and what the workflow must request and end with. Expected results follow StackStorm's
 * integration tests (st2tests/integration/orquesta/).
 */
import { describe, expect, it } from 'vitest';
import { loadWorkflowSpec, startWorkflow, step } from './index.ts';
import {
  actionsRun,
  drive,
  exampleWorkflow,
  type DriverEvent,
} from '../../../test/helpers/workflow-driver.ts';

interface Row {
  readonly name: string;
  readonly definition: string;
  readonly input?: Record<string, unknown>;
  readonly events: readonly DriverEvent[];
  /** The actions requested, in order, over the whole run. */
  readonly actions?: readonly unknown[];
  readonly status: string;
  readonly result?: unknown;
}

const FAILED_LOCAL = { failed: true, return_code: 1, stderr: '', stdout: '', succeeded: false };
const ok = (stdout: string): Record<string, unknown> => ({
  stdout,
  stderr: '',
  return_code: 0,
  succeeded: true,
  failed: false,
});

const rows: Row[] = [
  {
    name: 'sequential: publish flows from task to task and into output',
    definition: exampleWorkflow('orquesta-sequential'),
    input: { name: 'Stanley' },
    events: [
      ['task1', 'running'],
      ['task1', 'succeeded', ok('Stanley')],
      ['task2', 'succeeded', ok('All your base are belong to us!')],
      ['task3', 'succeeded', ok('Stanley, All your base are belong to us!')],
    ],
    actions: [
      { task: 'task1', action: 'core.echo', input: { message: 'Stanley' } },
      { task: 'task2', action: 'core.echo', input: { message: 'All your base are belong to us!' } },
      { task: 'task3', action: 'core.echo', input: { message: 'Stanley, All your base are belong to us!' } },
    ],
    status: 'succeeded',
    result: { output: { greeting: 'Stanley, All your base are belong to us!' } },
  },
  {
    name: 'basic: inline action parameters are rendered from input',
    definition: exampleWorkflow('orquesta-basic'),
    input: { cmd: 'echo hi', timeout: 30 },
    events: [['task1', 'succeeded', ok('hi')]],
    actions: [{ task: 'task1', action: 'core.local', input: { cmd: 'echo hi', timeout: 30 } }],
    status: 'succeeded',
    result: { output: { stdout: 'hi' } },
  },
  {
    name: 'join all: four branches converge, each publish reaches the output',
    definition: exampleWorkflow('orquesta-join'),
    events: [
      ['task1', 'succeeded', {}],
      ['task2', 'succeeded', ok('Fee fi')],
      ['task4', 'succeeded', ok('I smell the blood of an English man')],
      ['task6', 'succeeded', {}],
      ['task8', 'succeeded', {}],
      ['task3', 'succeeded', ok('fo fum')],
      ['task5', 'succeeded', {}],
      ['task7', 'succeeded', ok('Be alive, or be he dead')],
      ['task9', 'succeeded', {}],
      ['task10', 'succeeded', {}],
    ],
    actions: [
      { task: 'task1', action: 'core.noop', input: {} },
      { task: 'task2', action: 'core.echo', input: { message: 'Fee fi' } },
      { task: 'task4', action: 'core.echo', input: { message: 'I smell the blood of an English man' } },
      { task: 'task6', action: 'core.noop', input: {} },
      { task: 'task8', action: 'core.noop', input: {} },
      { task: 'task3', action: 'core.echo', input: { message: 'fo fum' } },
      { task: 'task5', action: 'core.noop', input: {} },
      { task: 'task7', action: 'core.echo', input: { message: 'Be alive, or be he dead' } },
      { task: 'task9', action: 'core.noop', input: {} },
      { task: 'task10', action: 'core.noop', input: {} },
    ],
    status: 'succeeded',
    result: {
      output: {
        messages: [
          'Fee fi fo fum',
          'I smell the blood of an English man',
          'Be alive, or be he dead',
          "I'll grind his bones to make my bread",
        ],
      },
    },
  },
  {
    name: 'join count: the join runs once two of three branches arrive',
    definition: `
version: 1.0
tasks:
  init:
    action: core.noop
    next:
      - do: a, b, c
  a:
    action: core.noop
    next: [{do: done}]
  b:
    action: core.noop
    next: [{do: done}]
  c:
    action: core.noop
    next: [{do: done}]
  done:
    join: 2
    action: core.noop
`,
    events: [
      ['init', 'succeeded', {}],
      ['a', 'succeeded', {}],
      ['c', 'succeeded', {}],
      ['done', 'succeeded', {}],
      ['b', 'succeeded', {}],
    ],
    actions: [
      { task: 'init', action: 'core.noop', input: {} },
      { task: 'a', action: 'core.noop', input: {} },
      { task: 'b', action: 'core.noop', input: {} },
      { task: 'c', action: 'core.noop', input: {} },
      { task: 'done', action: 'core.noop', input: {} },
    ],
    status: 'succeeded',
    result: { output: null },
  },
  {
    name: 'branching: the failure branch runs and the success branch does not',
    definition: exampleWorkflow('orquesta-error-handling-fail-manually'),
    input: { cmd: 'exit 1' },
    events: [
      ['task1', 'failed', FAILED_LOCAL],
      ['task3', 'succeeded', {}],
    ],
    actions: [
      { task: 'task1', action: 'core.local', input: { cmd: 'exit 1', timeout: null } },
      { task: 'task3', action: 'core.noop', input: {} },
    ],
    status: 'failed',
    result: {
      errors: [
        {
          type: 'error',
          message: 'Execution failed. See result for details.',
          task_id: 'task1',
          result: FAILED_LOCAL,
        },
        { type: 'error', message: 'Execution failed. See result for details.', task_id: 'fail' },
      ],
      output: { message: '$%#&@#$!!!' },
    },
  },
  {
    name: 'noop: a handled failure lets the workflow succeed',
    definition: exampleWorkflow('orquesta-error-handling-noop'),
    input: { cmd: 'exit 1' },
    events: [['task1', 'failed', FAILED_LOCAL]],
    status: 'succeeded',
    result: { output: { message: '$%#&@#$!!!' } },
  },
  {
    name: 'continue: the failure is not handled, the publish still reaches the output',
    definition: exampleWorkflow('orquesta-error-handling-continue'),
    input: { cmd: 'exit 1' },
    events: [['task1', 'failed', FAILED_LOCAL]],
    status: 'failed',
    result: {
      errors: [
        {
          type: 'error',
          message: 'Execution failed. See result for details.',
          task_id: 'task1',
          result: FAILED_LOCAL,
        },
      ],
      output: { message: '$%#&@#$!!!' },
    },
  },
  {
    name: 'remediate then fail: the remediation runs before the workflow fails',
    definition: exampleWorkflow('orquesta-remediate-then-fail'),
    events: [
      ['task1', 'failed', FAILED_LOCAL],
      ['log', 'succeeded', ok('task1 failed with exit code: ')],
    ],
    actions: [
      { task: 'task1', action: 'core.local', input: { cmd: 'exit 1' } },
      { task: 'log', action: 'core.echo', input: { message: 'task1 failed with exit code: ' } },
    ],
    status: 'failed',
    result: {
      errors: [
        {
          type: 'error',
          message: 'Execution failed. See result for details.',
          task_id: 'task1',
          result: FAILED_LOCAL,
        },
        { type: 'error', message: 'Execution failed. See result for details.', task_id: 'fail' },
      ],
      output: null,
    },
  },
  {
    name: 'output on error: the output is rendered from where the workflow stopped',
    definition: exampleWorkflow('orquesta-output-on-error'),
    events: [
      ['task1', 'succeeded', {}],
      ['task2', 'failed', FAILED_LOCAL],
    ],
    status: 'failed',
    result: {
      errors: [
        {
          type: 'error',
          message: 'Execution failed. See result for details.',
          task_id: 'task2',
          result: FAILED_LOCAL,
        },
      ],
      output: { progress: 25 },
    },
  },
  {
    name: 'action-less tasks complete on their own; a join of two of them runs once',
    definition: exampleWorkflow('tests/orquesta-test-action-less-tasks'),
    input: { name: 'Thanos' },
    events: [
      ['task2', 'succeeded', ok('Thanos')],
      ['task3', 'succeeded', ok('All your base are belong to us!')],
      ['task6', 'succeeded', ok('THANOS, ALL YOUR BASE ARE BELONG TO US!')],
    ],
    actions: [
      { task: 'task2', action: 'core.echo', input: { message: 'Thanos' } },
      { task: 'task3', action: 'core.echo', input: { message: 'All your base are belong to us!' } },
      // Both branches publish `greeting`; the join sees the later branch's (st2's test_action_less).
      { task: 'task6', action: 'core.echo', input: { message: 'THANOS, ALL YOUR BASE ARE BELONG TO US!' } },
    ],
    status: 'succeeded',
    result: { output: { greeting: 'THANOS, ALL YOUR BASE ARE BELONG TO US!' } },
  },
  {
    name: 'delay: the task waits the rendered number of seconds',
    definition: exampleWorkflow('orquesta-delay'),
    input: { name: 'Stanley', delay: 1 },
    events: [
      ['task1', 'succeeded', ok('Stanley')],
      ['task2', 'succeeded', ok('All your base are belong to us!')],
      ['task3', 'succeeded', ok('Stanley, All your base are belong to us!')],
    ],
    actions: [
      { task: 'task1', action: 'core.echo', input: { message: 'Stanley' }, delay: 1 },
      { task: 'task2', action: 'core.echo', input: { message: 'All your base are belong to us!' } },
      { task: 'task3', action: 'core.echo', input: { message: 'Stanley, All your base are belong to us!' } },
    ],
    status: 'succeeded',
    result: { output: { greeting: 'Stanley, All your base are belong to us!' } },
  },
];

describe('orquesta conductor', () => {
  it.each(rows)('$name', (row) => {
    const run = drive(row.definition, row.input ?? {}, row.events);
    if (row.actions) expect(actionsRun(run.commands)).toEqual(row.actions);
    expect(run.completed?.status).toBe(row.status);
    if (row.result) expect(run.completed?.result).toEqual(row.result);
    expect(run.commands.filter((c) => c.type === 'workflow_completed')).toHaveLength(1);
  });
});

describe('functions', () => {
  it('offers task_status() and task() on other tasks, and the engine’s own functions', () => {
    const definition = `
version: 1.0
vars:
  - secret: <% st2kv('system.secret') %>
tasks:
  a:
    action: core.noop
    next:
      - do: b
  b:
    action: core.echo message=<% ctx(secret) %>
    next:
      - when: <% task_status(a) = 'succeeded' %>
        publish: from_a=<% task(a).result.value %>
output:
  - from_a: <% ctx(from_a) %>
`;
    const functions = { st2kv: (key: unknown) => `value of ${String(key)}` };
    const started = startWorkflow(loadWorkflowSpec(definition), {}, { functions });
    let state = started.state;
    state = step(
      state,
      { type: 'action_status', taskId: 'a', route: 0, status: 'succeeded', result: { value: 42 } },
      { functions },
    ).state;
    const last = step(
      state,
      { type: 'action_status', taskId: 'b', route: 0, status: 'succeeded', result: {} },
      { functions },
    );
    expect(state.sequence[1]?.request?.input).toEqual({ message: 'value of system.secret' });
    expect(last.commands).toEqual([
      { type: 'workflow_completed', status: 'succeeded', result: { output: { from_a: 42 } } },
    ]);
  });
});
