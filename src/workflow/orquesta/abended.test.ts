/**
 * Abandoned and timed-out tasks, as Orquesta treats them (orquesta/statuses.py,
 * expressions/functions/workflow.py, conducting.py update_task_state, machines.py): `failed()` is
 * true for `failed` only, `completed()` for every completed status; only a `failed` action logs
 * "Execution failed. See result for details.", so a workflow failed by an abandoned or timed-out
 * task (its ACTION_ABANDONED / ACTION_EXPIRED event fails the workflow) reports `errors: []`,
 * exactly as StackStorm's result shows it. A transition taken (`completed()`) remediates the task.
 */
import { describe, expect, it } from 'vitest';
import { actionsRun, drive, exampleWorkflow } from '../../../test/helpers/workflow-driver.ts';

const COMPLETED_THEN = `
version: 1.0
tasks:
  task1:
    action: core.local cmd="sleep 60"
    next:
      - when: <% failed() %>
        do: on_failed
      - when: <% completed() %>
        publish:
          - seen: <% task_status(task1) %>
        do: on_completed
  on_failed:
    action: core.noop
  on_completed:
    action: core.noop
output:
  - seen: <% ctx().seen %>
`;

describe.each(['abandoned', 'timeout'] as const)('a task that ends %s', (status) => {
  it('takes no failed() transition and fails the workflow with no error entry', () => {
    const run = drive(exampleWorkflow('orquesta-error-handling-noop'), { cmd: 'sleep 60' }, [
      ['task1', status, {}],
    ]);
    expect(run.completed).toEqual({
      type: 'workflow_completed',
      status: 'failed',
      result: { output: { message: null }, errors: [] },
    });
    expect(run.state.sequence.map((e) => [e.id, e.status])).toEqual([['task1', status]]);
  });

  it('takes completed() transitions: the task is remediated and the workflow can succeed', () => {
    const run = drive(COMPLETED_THEN, {}, [
      ['task1', status, {}],
      ['on_completed', 'succeeded', {}],
    ]);
    expect(actionsRun(run.commands).map((a) => (a as { task: string }).task)).toEqual([
      'task1',
      'on_completed',
    ]);
    expect(run.state.sequence.map((e) => e.id)).toEqual(['task1', 'on_completed']);
    expect(run.completed).toEqual({
      type: 'workflow_completed',
      status: 'succeeded',
      result: { output: { seen: status } },
    });
  });
});
