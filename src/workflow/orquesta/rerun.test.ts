/** Re-running a completed workflow from failed tasks (spec §9.3), with-items reset included. */
import { describe, expect, it } from 'vitest';
import { actionsRun, continueRun, drive, exampleWorkflow } from '../../../test/helpers/workflow-driver.ts';
import { rerun, WorkflowRerunError } from './rerun.ts';

const FAILED = { failed: true, return_code: 1, stderr: '', stdout: '', succeeded: false };

describe('rerun', () => {
  const failedRun = () =>
    drive(exampleWorkflow('tests/orquesta-test-rerun'), { tempfile: '/tmp/x' }, [
      ['task1', 'succeeded', {}],
      ['task2', 'failed', FAILED],
    ]);

  it('runs the failed task again with its original input and continues from it', () => {
    const first = failedRun();
    expect(first.completed?.status).toBe('failed');
    const again = rerun(first.state, { tasks: ['task2'] });
    expect(again.commands).toEqual([
      { type: 'workflow_status', status: 'running' },
      {
        type: 'run_action',
        taskId: 'task2',
        taskName: 'task2',
        route: 0,
        action: 'core.local',
        input: { cmd: 'exit `cat /tmp/x`' },
      },
    ]);
    const rest = continueRun(again.state, [
      ['task2', 'succeeded', {}],
      ['task3', 'succeeded', {}],
    ]);
    // task1 is not run again.
    expect(actionsRun(rest.commands)).toEqual([{ task: 'task3', action: 'core.noop', input: {} }]);
    expect(rest.completed).toEqual({
      type: 'workflow_completed',
      status: 'succeeded',
      result: { output: null },
    });
    // The earlier failure is forgotten; the history of task2 keeps both runs.
    expect(rest.state.errors).toEqual([]);
    expect(rest.state.sequence.filter((t) => t.id === 'task2').map((t) => t.status)).toEqual([
      'failed',
      'succeeded',
    ]);
  });

  it('re-runs the terminal failed tasks when none are named', () => {
    const again = rerun(failedRun().state);
    expect(actionsRun(again.commands)).toEqual([
      { task: 'task2', action: 'core.local', input: { cmd: 'exit `cat /tmp/x`' } },
    ]);
  });

  it('refuses a workflow that is still running, and unknown tasks', () => {
    const running = drive(exampleWorkflow('tests/orquesta-test-rerun'), { tempfile: '/tmp/x' }, []);
    expect(() => rerun(running.state, { tasks: ['task1'] })).toThrow(WorkflowRerunError);
    expect(() => rerun(failedRun().state, { tasks: ['task2', 'nope', 'zap'] })).toThrow(
      'Unable to rerun workflow because one or more tasks is not found: nope, zap',
    );
  });

  describe('with items', () => {
    // Items 1 and 3 fail (the fixture's `cmd` exits with item % 2 when the file holds 1).
    const failedItems = () =>
      drive(exampleWorkflow('tests/orquesta-test-rerun-with-items'), { tempfile: '/tmp/y' }, [
        ['task1', 'succeeded', { stdout: '0' }, { item: 0 }],
        ['task1', 'failed', FAILED, { item: 1 }],
        ['task1', 'succeeded', { stdout: '2' }, { item: 2 }],
        ['task1', 'failed', FAILED, { item: 3 }],
      ]);

    it('re-runs only the failed items without reset', () => {
      const first = failedItems();
      expect(first.completed?.status).toBe('failed');
      const again = rerun(first.state, { tasks: ['task1'] });
      expect(actionsRun(again.commands).map((a) => (a as { item: number }).item)).toEqual([1, 3]);
      const rest = continueRun(again.state, [
        ['task1', 'succeeded', { stdout: '1' }, { item: 1 }],
        ['task1', 'succeeded', { stdout: '3' }, { item: 3 }],
      ]);
      expect(rest.completed?.status).toBe('succeeded');
      expect(rest.state.sequence[0]?.result).toEqual([
        { stdout: '0' },
        { stdout: '1' },
        { stdout: '2' },
        { stdout: '3' },
      ]);
    });

    it('re-runs every item with reset', () => {
      const again = rerun(failedItems().state, { tasks: ['task1'], reset: ['task1'] });
      expect(actionsRun(again.commands).map((a) => (a as { item: number }).item)).toEqual([0, 1, 2, 3]);
    });
  });
});
