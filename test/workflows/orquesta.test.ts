/**
 * The examples pack's Orquesta workflows run end to end over HTTP, reaching the results
 * StackStorm's integration tests (st2tests/integration/orquesta/test_wiring*.py) expect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import { FAIL_INSPECTION_ERRORS } from '../helpers/workflow-driver.ts';
import { children, field, runToEnd, startWorkflowSquall, taskNames, type Doc } from './workflow-helpers.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startWorkflowSquall();
});
afterAll(async () => {
  await squall.close();
});

const EXIT_1 = { failed: true, return_code: 1, stderr: '', stdout: '', succeeded: false };
const NO_VALUE = 'NoFunctionRegisteredException: Unknown function "#property#value"';

describe('orquesta examples', () => {
  it('runs a sequential workflow: three children, output from published values', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-sequential', { name: 'Thanos' });
    expect(doc['status']).toBe('succeeded');
    expect(doc['result']).toEqual({ output: { greeting: 'Thanos, All your base are belong to us!' } });
    const list = await children(squall, String(doc['id']));
    expect(taskNames(list)).toEqual(['task1', 'task2', 'task3']);
    const wfId = field(doc, 'context.workflow_execution');
    expect(typeof wfId).toBe('string');
    for (const child of list) {
      expect(child['status']).toBe('succeeded');
      expect(child['parent']).toBe(doc['id']);
      expect(child['workflow_execution']).toBe(wfId);
      expect(field(child, 'context.orquesta.workflow_execution_id')).toBe(wfId);
      expect(child['task_execution']).toBe(field(child, 'context.orquesta.task_execution_id'));
      expect(field(child, 'context.parent.execution_id')).toBe(doc['id']);
      expect(field(child, 'context.orquesta.task_route')).toBe(0);
      expect(field(child, 'context.user')).toBe(field(doc, 'context.user'));
    }
    expect(doc['children']).toEqual(list.map((c) => c['id']));
    // Progress lines, as StackStorm's workflow engine writes them (output_type "output").
    const output = await (await squall.api(`/api/v1/executions/${String(doc['id'])}/output`)).text();
    expect(output.split('\n')).toEqual([
      `Workflow execution "${String(wfId)}" is created.`,
      ...list.map(
        (c) =>
          `Action execution "${String(c['id'])}" requested for task "${String(field(c, 'context.orquesta.task_name'))}", route "0".`,
      ),
      'The workflow execution is completed with status "succeeded".',
      '',
      '',
    ]);
  });

  it.each<[string, Doc, string, Doc]>([
    [
      'joins parallel branches',
      {},
      'examples.orquesta-join',
      {
        output: {
          messages: [
            'Fee fi fo fum',
            'I smell the blood of an English man',
            'Be alive, or be he dead',
            "I'll grind his bones to make my bread",
          ],
        },
      },
    ],
    [
      'runs action-less tasks',
      { name: 'Thanos' },
      'examples.orquesta-test-action-less-tasks',
      { output: { greeting: 'THANOS, ALL YOUR BASE ARE BELONG TO US!' } },
    ],
    [
      'runs with-items',
      { members: ['Lakshmi', 'Lindsay', 'Tomaz', 'Matt', 'Drew'] },
      'examples.orquesta-with-items',
      {
        output: {
          items: ['Lakshmi', 'Lindsay', 'Tomaz', 'Matt', 'Drew'].map((m) => `${m}, resistance is futile!`),
        },
      },
    ],
    [
      'continues after a failure handled by noop',
      { cmd: 'exit 1' },
      'examples.orquesta-error-handling-noop',
      {
        output: { message: '$%#&@#$!!!' },
      },
    ],
  ])('%s', async (_title, input, action, expected) => {
    const doc = await runToEnd(squall, action, input);
    expect(doc['status']).toBe('succeeded');
    expect(doc['result']).toEqual(expected);
  });

  it.each<[string, Doc, Doc]>([
    [
      'examples.orquesta-output-on-error',
      {},
      {
        errors: [
          {
            type: 'error',
            task_id: 'task2',
            message: 'Execution failed. See result for details.',
            result: EXIT_1,
          },
        ],
        output: { progress: 25 },
      },
    ],
    [
      'examples.orquesta-remediate-then-fail',
      {},
      {
        errors: [
          {
            task_id: 'task1',
            type: 'error',
            message: 'Execution failed. See result for details.',
            result: EXIT_1,
          },
          { task_id: 'fail', type: 'error', message: 'Execution failed. See result for details.' },
        ],
        output: null,
      },
    ],
    [
      'examples.orquesta-error-handling-fail-manually',
      { cmd: 'exit 1' },
      {
        errors: [
          {
            task_id: 'task1',
            type: 'error',
            message: 'Execution failed. See result for details.',
            result: EXIT_1,
          },
          { task_id: 'fail', type: 'error', message: 'Execution failed. See result for details.' },
        ],
        output: { message: '$%#&@#$!!!' },
      },
    ],
    [
      'examples.orquesta-error-handling-continue',
      { cmd: 'exit 1' },
      {
        errors: [
          {
            task_id: 'task1',
            type: 'error',
            message: 'Execution failed. See result for details.',
            result: EXIT_1,
          },
        ],
        output: { message: '$%#&@#$!!!' },
      },
    ],
    [
      'examples.orquesta-fail-input-rendering',
      {},
      {
        errors: [
          {
            type: 'error',
            message: `YaqlEvaluationException: Unable to evaluate expression '<% abs(8).value %>'. ${NO_VALUE}`,
          },
        ],
        output: null,
      },
    ],
    [
      'examples.orquesta-fail-vars-rendering',
      {},
      {
        errors: [
          {
            type: 'error',
            message: `YaqlEvaluationException: Unable to evaluate expression '<% abs(8).value %>'. ${NO_VALUE}`,
          },
        ],
        output: null,
      },
    ],
    [
      'examples.orquesta-fail-start-task',
      {},
      {
        errors: [
          {
            type: 'error',
            message: `YaqlEvaluationException: Unable to evaluate expression '<% ctx().name.value %>'. ${NO_VALUE}`,
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
    ],
    [
      'examples.orquesta-fail-task-transition',
      {},
      {
        errors: [
          {
            type: 'error',
            message:
              "YaqlEvaluationException: Unable to resolve key 'value' in expression '<% succeeded() and result().value %>' from context.",
            task_transition_id: 'task2__t0',
            task_id: 'task1',
            route: 0,
          },
        ],
        output: { greeting: null },
      },
    ],
    [
      'examples.orquesta-fail-task-publish',
      {},
      {
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
    ],
    [
      'examples.orquesta-fail-output-rendering',
      {},
      {
        errors: [
          {
            type: 'error',
            message: `YaqlEvaluationException: Unable to evaluate expression '<% abs(8).value %>'. ${NO_VALUE}`,
          },
        ],
        output: null,
      },
    ],
  ])('%s fails with StackStorm result', async (action, input, expected) => {
    const doc = await runToEnd(squall, action, input);
    expect(doc['status']).toBe('failed');
    expect(doc['result']).toEqual(expected);
  });

  it('remediates before failing: the failed task and the log task are children', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-remediate-then-fail');
    const list = await children(squall, String(doc['id']));
    expect(list.map((c) => [field(c, 'context.orquesta.task_name'), c['status']])).toEqual([
      ['task1', 'failed'],
      ['log', 'succeeded'],
    ]);
  });

  it('fails inspection at start with every error, as StackStorm reports them', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-fail-inspection');
    expect(doc['status']).toBe('failed');
    expect(doc['result']).toEqual({
      errors: FAIL_INSPECTION_ERRORS,
      output: null,
    });
    expect(await children(squall, String(doc['id']))).toEqual([]);
  });

  it('stops starting items after a with-items failure and fails', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-test-with-items-failure');
    expect(doc['status']).toBe('failed');
    expect((await children(squall, String(doc['id']))).length).toBe(10);
  });

  it('runs a sub-workflow: grandchildren listed depth-first under it', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-subworkflow');
    expect(doc['status']).toBe('succeeded');
    const all = await children(squall, String(doc['id']));
    expect(taskNames(all)).toEqual(['start', 'subworkflow', 'task1', 'task2', 'task3', 'finish']);
    expect(all.every((c) => c['status'] === 'succeeded')).toBe(true);
    const direct = await children(squall, String(doc['id']), '?depth=1');
    expect(taskNames(direct)).toEqual(['start', 'subworkflow', 'finish']);
    const sub = direct[1] as Doc;
    expect(sub['result']).toEqual({ output: { greeting: 'Lakshmi, All your base are belong to us!' } });
    expect(all[2]?.['parent']).toBe(sub['id']);
  });

  it('delays a task: its child waits as a delayed execution', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-delay', { name: 'Thanos', delay: 1 });
    expect(doc['status']).toBe('succeeded');
    expect(doc['result']).toEqual({ output: { greeting: 'Thanos, All your base are belong to us!' } });
    const [first] = await children(squall, String(doc['id']));
    expect(first?.['delay']).toBe(1000);
    expect((first?.['log'] as Doc[]).map((l) => l['status'])).toContain('delayed');
  });

  it('retries a failing task until it succeeds', async () => {
    const doc = await runToEnd(squall, 'examples.orquesta-task-retry');
    expect(doc['status']).toBe('succeeded');
    const list = await children(squall, String(doc['id']));
    const checks = list.filter((c) => field(c, 'context.orquesta.task_name') === 'check');
    expect(checks.length).toBeGreaterThan(1);
    expect(checks.at(-1)?.['status']).toBe('succeeded');
    expect(checks.slice(0, -1).every((c) => c['status'] === 'failed')).toBe(true);
    // As in StackStorm, every try is a task execution of its own.
    const taskExecutions = checks.map((c) => c['task_execution']);
    expect(new Set(taskExecutions).size).toBe(checks.length);
    expect(new Set(checks.map((c) => field(c, 'context.orquesta.task_execution_id'))).size).toBe(
      checks.length,
    );
  });
});
