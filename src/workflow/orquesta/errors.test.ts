/**
 * Expression failures at every stage end the workflow with StackStorm's result shape and
 * messages (st2tests/integration/orquesta/test_wiring_error_handling.py).
 */
import { describe, expect, it } from 'vitest';
import {
  actionsRun,
  drive,
  exampleWorkflow,
  type DriverEvent,
} from '../../../test/helpers/workflow-driver.ts';

const ABS_VALUE =
  "YaqlEvaluationException: Unable to evaluate expression '<% abs(8).value %>'. " +
  'NoFunctionRegisteredException: Unknown function "#property#value"';

const rows: {
  name: string;
  workflow: string;
  input?: Record<string, unknown>;
  events: DriverEvent[];
  result: unknown;
}[] = [
  {
    name: 'input rendering',
    workflow: 'tests/orquesta-fail-input-rendering',
    events: [],
    result: { errors: [{ type: 'error', message: ABS_VALUE }], output: null },
  },
  {
    name: 'vars rendering',
    workflow: 'tests/orquesta-fail-vars-rendering',
    events: [],
    result: { errors: [{ type: 'error', message: ABS_VALUE }], output: null },
  },
  {
    name: 'start task rendering, then output rendering',
    workflow: 'tests/orquesta-fail-start-task',
    input: { name: 'Stanley' },
    events: [],
    result: {
      errors: [
        {
          type: 'error',
          message:
            "YaqlEvaluationException: Unable to evaluate expression '<% ctx().name.value %>'. " +
            'NoFunctionRegisteredException: Unknown function "#property#value"',
          task_id: 'task1',
          route: 0,
        },
        {
          type: 'error',
          message:
            "YaqlEvaluationException: Unable to resolve key 'greeting' in expression '<% ctx().greeting %>' from context.",
        },
      ],
      output: null,
    },
  },
  {
    name: 'task transition',
    workflow: 'tests/orquesta-fail-task-transition',
    input: { name: 'Stanley' },
    events: [['task1', 'succeeded', { stdout: 'Stanley' }]],
    result: {
      errors: [
        {
          type: 'error',
          message:
            "YaqlEvaluationException: Unable to resolve key 'value' in expression " +
            "'<% succeeded() and result().value %>' from context.",
          task_transition_id: 'task2__t0',
          task_id: 'task1',
          route: 0,
        },
      ],
      output: { greeting: null },
    },
  },
  {
    name: 'task publish',
    workflow: 'tests/orquesta-fail-task-publish',
    input: { name: 'Stanley' },
    events: [['task1', 'succeeded', { stdout: 'Stanley' }]],
    result: {
      errors: [
        {
          type: 'error',
          message:
            "YaqlEvaluationException: Unable to resolve key 'value' in expression '<% result().value %>' from context.",
          task_transition_id: 'task2__t0',
          task_id: 'task1',
          route: 0,
        },
      ],
      output: { greeting: null },
    },
  },
  {
    name: 'output rendering',
    workflow: 'tests/orquesta-fail-output-rendering',
    input: { name: 'Stanley' },
    events: [
      ['task1', 'succeeded', { stdout: 'Stanley' }],
      ['task2', 'succeeded', { stdout: 'All your base are belong to us!' }],
      ['task3', 'succeeded', { stdout: 'Stanley, All your base are belong to us!' }],
    ],
    result: { errors: [{ type: 'error', message: ABS_VALUE }], output: null },
  },
];

describe('workflow errors', () => {
  it.each(rows)('$name fails the workflow with StackStorm’s errors', (row) => {
    const run = drive(exampleWorkflow(row.workflow), row.input ?? {}, row.events);
    expect(run.completed?.status).toBe('failed');
    expect(run.completed?.result).toEqual(row.result);
  });

  it('requests no task once the start task failed to render', () => {
    const run = drive(exampleWorkflow('tests/orquesta-fail-start-task'), { name: 'Stanley' }, []);
    expect(actionsRun(run.commands)).toEqual([]);
  });

  it('fails fast: a task failure fails the workflow, which completes when running tasks finish', () => {
    const definition = `
version: 1.0
tasks:
  a:
    action: core.noop
    next: [{do: [b, c]}]
  b:
    action: core.local cmd="exit 1"
  c:
    action: core.noop
    next: [{do: d}]
  d:
    action: core.noop
`;
    const run = drive(definition, {}, [
      ['a', 'succeeded', {}],
      ['b', 'failed', { return_code: 1 }],
      ['c', 'succeeded', {}],
    ]);
    expect(run.steps[2]).toEqual([]);
    expect(actionsRun(run.commands).map((a) => (a as { task: string }).task)).toEqual(['a', 'b', 'c']);
    expect(run.completed?.status).toBe('failed');
  });
});
