/** What a restarted engine needs from a persisted state: the requests it may not have carried out. */
import { describe, expect, it } from 'vitest';
import { drive, exampleWorkflow } from '../../../test/helpers/workflow-driver.ts';
import { outstandingActions } from './conductor.ts';

describe('outstandingActions', () => {
  it('lists requested actions until they first report', () => {
    const started = drive(exampleWorkflow('orquesta-join'), {}, [['task1', 'succeeded', {}]]);
    expect(outstandingActions(started.state).map((c) => c.taskId)).toEqual([
      'task2',
      'task4',
      'task6',
      'task8',
    ]);
    // Exactly the commands the step issued, so re-issuing them is the same request.
    expect(outstandingActions(started.state)).toEqual(
      started.steps[1]?.filter((c) => c.type === 'run_action'),
    );
    const later = drive(exampleWorkflow('orquesta-join'), {}, [
      ['task1', 'succeeded', {}],
      ['task2', 'running'],
      ['task4', 'succeeded', { stdout: 'x' }],
    ]);
    expect(outstandingActions(later.state).map((c) => c.taskId)).toEqual(['task6', 'task8', 'task5']);
  });

  it('lists requested items of a with-items task', () => {
    const run = drive(
      exampleWorkflow('orquesta-with-items-concurrency'),
      { members: ['a', 'b', 'c'], concurrency: 2 },
      [['task1', 'running', undefined, { item: 0 }]],
    );
    expect(outstandingActions(run.state).map((c) => c.itemId)).toEqual([1]);
    expect(outstandingActions(run.state)[0]).toMatchObject({
      action: 'core.echo',
      input: { message: 'b, resistance is futile!' },
    });
  });

  it('lists nothing once the workflow completed', () => {
    const run = drive(exampleWorkflow('orquesta-sequential'), { name: 'S' }, [
      ['task1', 'succeeded', { stdout: 'S' }],
      ['task2', 'succeeded', { stdout: 'B' }],
      ['task3', 'succeeded', { stdout: 'S, B' }],
    ]);
    expect(run.completed?.status).toBe('succeeded');
    expect(outstandingActions(run.state)).toEqual([]);
  });
});
