/**
 * `task()` answers what StackStorm's orquesta runner's `task` function does (its
 * orquesta_functions/runtime.py format_task_result): the task execution and workflow execution
 * ids, name, route, result, status and timestamps, in YAQL and Jinja.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { writeScratchPack } from './scratch-pack.ts';
import { children, EXAMPLE_PACKS, field, runToEnd, type Doc } from './workflow-helpers.ts';

const WORKFLOW = `version: 1.0
tasks:
  task1:
    action: core.echo message="hi"
    next:
      - when: <% succeeded() %>
        publish:
          - own: <% task(task1) %>
        do: task2
  task2:
    action: core.noop
    next:
      - publish:
          - first: '{{ task("task1") }}'
          - current: <% task() %>
output:
  - own: <% ctx().own %>
  - first: <% ctx().first %>
  - current: <% ctx().current %>
`;

let squall: TestSquall;
let packsDir: string;
beforeAll(async () => {
  packsDir = writeScratchPack('wftask', {
    'task-view': {
      meta: 'name: task-view\nrunner_type: orquesta\nentry_point: workflows/task-view.yaml\nenabled: true\n',
      entryPoint: ['workflows/task-view.yaml', WORKFLOW],
    },
  });
  squall = await startTestSquall({ packsPaths: [EXAMPLE_PACKS, packsDir] });
});
afterAll(async () => {
  await squall.close();
  rmSync(packsDir, { recursive: true, force: true });
});

// Python's str() of a UTC datetime.
const PY_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{6})?\+00:00$/;

describe('task()', () => {
  it('shows the task execution as StackStorm’s task() does', async () => {
    const done = await runToEnd(squall, 'wftask.task-view');
    expect(done['status'], JSON.stringify(done['result'])).toBe('succeeded');
    const [task1, task2] = await children(squall, String(done['id']));
    const wfId = field(done, 'context.workflow_execution');
    const idOf = (child: Doc | undefined): unknown =>
      field(child ?? {}, 'context.orquesta.task_execution_id');

    const own = field(done, 'result.output.own') as Doc;
    expect(Object.keys(own)).toEqual([
      'task_execution_id',
      'workflow_execution_id',
      'task_name',
      'task_id',
      'route',
      'result',
      'status',
      'start_timestamp',
      'end_timestamp',
    ]);
    expect(own).toMatchObject({
      task_execution_id: idOf(task1),
      workflow_execution_id: wfId,
      task_name: 'task1',
      task_id: 'task1',
      route: 0,
      status: 'succeeded',
    });
    expect(field(own, 'result.stdout')).toBe('hi');
    expect(own['start_timestamp']).toMatch(PY_TIME);
    // Evaluated in task1's own transition: StackStorm has recorded its end by then.
    expect(own['end_timestamp']).toMatch(PY_TIME);

    // A whole-string Jinja expression keeps the value's type, as Orquesta's does.
    const first = field(done, 'result.output.first') as Doc;
    expect(first).toEqual({ ...own, end_timestamp: first['end_timestamp'] });
    expect(first['end_timestamp']).toMatch(PY_TIME);

    const current = field(done, 'result.output.current') as Doc;
    expect(current).toMatchObject({
      task_execution_id: idOf(task2),
      task_name: 'task2',
      status: 'succeeded',
    });
    expect(current['task_execution_id']).not.toBe(own['task_execution_id']);
  });
});
