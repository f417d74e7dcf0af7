/** Pause, resume and cancel of a running workflow, as events in and commands out. */
import { describe, expect, it } from 'vitest';
import { actionsRun, drive } from '../../../test/helpers/workflow-driver.ts';

const SEQUENCE = `
version: 1.0
vars:
  - done: []
tasks:
  task1:
    action: core.local cmd="sleep 5"
    next:
      - when: <% succeeded() %>
        publish: done=<% ctx(done) + [1] %>
        do: task2
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        publish: done=<% ctx(done) + [2] %>
output:
  - done: <% ctx(done) %>
`;

describe('pause and resume', () => {
  it('pauses once the running task finishes, runs nothing meanwhile, and continues on resume', () => {
    const run = drive(SEQUENCE, {}, [
      ['task1', 'running'],
      'pause',
      ['task1', 'succeeded', {}],
      'resume',
      ['task2', 'succeeded', {}],
    ]);
    expect(run.steps[2]).toEqual([
      { type: 'workflow_status', status: 'pausing' },
      { type: 'pause_action', taskId: 'task1', route: 0 },
    ]);
    expect(run.steps[3]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(run.steps[4]).toEqual([
      { type: 'workflow_status', status: 'running' },
      { type: 'run_action', taskId: 'task2', taskName: 'task2', route: 0, action: 'core.noop', input: {} },
    ]);
    expect(run.completed).toMatchObject({ status: 'succeeded', result: { output: { done: [1, 2] } } });
  });

  it('pauses at once when nothing runs, and ignores a second pause', () => {
    const run = drive(SEQUENCE, {}, [['task1', 'succeeded', {}], ['task2', 'paused'], 'pause', 'pause']);
    // task2 (say, a sub-workflow) paused on its own: the workflow pauses since nothing else runs.
    expect(run.steps[2]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(run.steps[3]).toEqual([]);
    expect(run.steps[4]).toEqual([]);
    const resumed = drive(SEQUENCE, {}, [['task1', 'succeeded', {}], ['task2', 'paused'], 'resume']);
    expect(resumed.steps[3]).toEqual([
      { type: 'workflow_status', status: 'running' },
      { type: 'resume_action', taskId: 'task2', route: 0 },
    ]);
  });

  it('runs again when a paused task is resumed from below, as StackStorm resumes the parents', () => {
    // task2 (a sub-workflow) paused on its own, then was resumed on its own.
    const run = drive(SEQUENCE, {}, [
      ['task1', 'succeeded', {}],
      ['task2', 'paused'],
      ['task2', 'running'],
    ]);
    expect(run.steps[2]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(run.steps[3]).toEqual([{ type: 'workflow_status', status: 'running' }]);
    const pausing = drive(SEQUENCE, {}, [
      ['task1', 'running'],
      'pause',
      ['task1', 'paused'],
      ['task1', 'running'],
    ]);
    expect(pausing.steps[3]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(pausing.steps[4]).toEqual([{ type: 'workflow_status', status: 'running' }]);
  });

  it('pauses on a pending inquiry and carries on once it is answered', () => {
    const run = drive(SEQUENCE, {}, [['task1', 'pending'], 'resume', ['task1', 'succeeded', {}]]);
    expect(run.steps[1]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    // The answer resumes the workflow first: the inquiry is not resumed, it waits for its answer.
    expect(run.steps[2]).toEqual([{ type: 'workflow_status', status: 'running' }]);
    expect(actionsRun(run.steps[3] ?? [])).toEqual([{ task: 'task2', action: 'core.noop', input: {} }]);
  });

  it('pauses again once one of two parallel inquiries is answered', () => {
    const definition = `
version: 1.0
tasks:
  start:
    action: core.noop
    next:
      - do: [ask_jack, ask_jill]
  ask_jack:
    action: core.ask
    next:
      - do: finish
  ask_jill:
    action: core.ask
    next:
      - do: finish
  finish:
    join: all
    action: core.noop
`;
    const run = drive(definition, {}, [
      ['start', 'succeeded', {}],
      ['ask_jack', 'pending'],
      ['ask_jill', 'pending'],
      'resume',
      ['ask_jack', 'succeeded', {}],
      'resume',
      ['ask_jill', 'succeeded', {}],
    ]);
    expect(run.steps[3]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(run.steps[4]).toEqual([{ type: 'workflow_status', status: 'running' }]);
    expect(run.steps[5]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(run.steps[6]).toEqual([{ type: 'workflow_status', status: 'running' }]);
    expect(actionsRun(run.steps[7] ?? [])).toEqual([{ task: 'finish', action: 'core.noop', input: {} }]);
  });

  it('pauses a with-items task between items', () => {
    const definition = `
version: 1.0
tasks:
  t:
    with:
      items: <% range(0, 3) %>
      concurrency: 1
    action: core.noop
`;
    const run = drive(definition, {}, [
      'pause',
      ['t', 'succeeded', 'a', { item: 0 }],
      'resume',
      ['t', 'succeeded', 'b', { item: 1 }],
      ['t', 'succeeded', 'c', { item: 2 }],
    ]);
    expect(run.steps[2]).toEqual([{ type: 'workflow_status', status: 'paused' }]);
    expect(actionsRun(run.steps[3] ?? [])).toEqual([{ task: 't', item: 1, action: 'core.noop', input: {} }]);
    expect(run.completed?.status).toBe('succeeded');
  });
});

describe('cancel', () => {
  it('cancels once running tasks finish, without starting the next', () => {
    const run = drive(SEQUENCE, {}, [['task1', 'running'], 'cancel', ['task1', 'succeeded', {}]]);
    expect(run.steps[2]).toEqual([
      { type: 'workflow_status', status: 'canceling' },
      { type: 'cancel_action', taskId: 'task1', route: 0 },
    ]);
    // The last task ends the branch; its own publish went to the task that never ran (as Orquesta).
    expect(run.steps[3]).toEqual([
      { type: 'workflow_completed', status: 'canceled', result: { output: { done: [] } } },
    ]);
  });

  it('cancels a paused workflow at once', () => {
    const run = drive(SEQUENCE, {}, ['pause', ['task1', 'succeeded', {}], 'cancel']);
    // No task ended a branch, so the output has nothing to render from (as Orquesta).
    expect(run.steps[3]).toEqual([
      { type: 'workflow_completed', status: 'canceled', result: { output: null } },
    ]);
  });

  it('cancels a paused child along with the workflow', () => {
    const run = drive(SEQUENCE, {}, [['task1', 'succeeded', {}], ['task2', 'paused'], 'cancel']);
    expect(run.steps[3]).toEqual([
      { type: 'cancel_action', taskId: 'task2', route: 0 },
      { type: 'workflow_completed', status: 'canceled', result: { output: null } },
    ]);
  });

  it('a canceled task cancels the workflow', () => {
    const run = drive(SEQUENCE, {}, [['task1', 'canceled']]);
    expect(run.completed).toMatchObject({ status: 'canceled' });
  });

  it('ignores reports about tasks once the workflow completed, and repeated reports', () => {
    const run = drive(SEQUENCE, {}, [
      ['task1', 'succeeded', {}],
      ['task1', 'succeeded', {}],
      ['task2', 'succeeded', {}],
      ['task2', 'failed', {}],
      'cancel',
    ]);
    expect(run.steps[2]).toEqual([]);
    expect(run.steps[4]).toEqual([]);
    expect(run.steps[5]).toEqual([]);
    expect(run.commands.filter((c) => c.type === 'workflow_completed')).toHaveLength(1);
  });
});

describe('cancel with items', () => {
  it('cancels running items, starts no more, and ends canceled once they report', () => {
    const definition = `
version: 1.0
tasks:
  t:
    with:
      items: <% range(0, 4) %>
      concurrency: 2
    action: core.noop
`;
    const run = drive(definition, {}, [
      'cancel',
      ['t', 'succeeded', 'a', { item: 0 }],
      ['t', 'canceled', null, { item: 1 }],
    ]);
    expect(run.steps[1]).toEqual([
      { type: 'workflow_status', status: 'canceling' },
      { type: 'cancel_action', taskId: 't', route: 0, itemId: 0 },
      { type: 'cancel_action', taskId: 't', route: 0, itemId: 1 },
    ]);
    expect(run.steps[2]).toEqual([]);
    expect(run.steps[3]).toEqual([
      { type: 'workflow_completed', status: 'canceled', result: { output: null } },
    ]);
  });
});
