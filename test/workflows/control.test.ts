/**
 * Pause, resume and cancel of running workflows over HTTP, cascading to sub-workflows (spec §9.2),
 * as StackStorm's test_wiring_pause_and_resume.py, test_wiring_cancel.py and the with-items
 * cancellation tests do: the task that runs (a shell loop waiting for a file) finishes gracefully,
 * then the workflow settles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import {
  children,
  field,
  gateFiles,
  put,
  run,
  startWorkflowSquall,
  statusIs,
  taskChildren,
  taskNames,
  until,
  type Doc,
} from './workflow-helpers.ts';

let squall: TestSquall;
beforeAll(async () => {
  squall = await startWorkflowSquall();
});
afterAll(async () => {
  await squall.close();
  gates.cleanUp();
});

const gates = gateFiles('squall-control-');
const tempfile = (): string => gates.create();
const remove = (path: string): void => gates.remove(path);

describe('pause and resume', () => {
  it('pauses after the running task, then resumes to success', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-pause', { tempfile: path });
    await taskChildren(squall, id, 'task1', 'running');
    const pausing = await put(squall, id, 'pausing');
    expect(pausing['status']).toBe('pausing');
    await until(squall, id, statusIs('pausing', 'paused'));
    remove(path);
    await until(squall, id, statusIs('paused'));
    expect(taskNames(await children(squall, id))).toEqual(['task1']);
    const resuming = await put(squall, id, 'resuming');
    expect(['resuming', 'running']).toContain(resuming['status']);
    const done = await until(squall, id, statusIs('succeeded'));
    expect(taskNames(await children(squall, id))).toEqual(['task1', 'task2']);
    expect(field(done, 'context.paused_by')).toBe('stanley');
    expect((done['log'] as Doc[]).map((l) => l['status'])).toEqual([
      'requested',
      'scheduled',
      'running',
      'pausing',
      'paused',
      'resuming',
      'running',
      'succeeded',
    ]);
  });

  it('cascades pause and resume to a sub-workflow', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-pause-subworkflow', { tempfile: path });
    const [sub] = await taskChildren(squall, id, 'task1', 'running');
    const subId = String(sub?.['id']);
    await taskChildren(squall, subId, 'task1', 'running');
    await put(squall, id, 'pausing');
    await until(squall, id, statusIs('pausing', 'paused'));
    await until(squall, subId, statusIs('pausing', 'paused'));
    remove(path);
    await until(squall, subId, statusIs('paused'));
    await until(squall, id, statusIs('paused'));
    await put(squall, id, 'resuming');
    await until(squall, subId, statusIs('succeeded'));
    await until(squall, id, statusIs('succeeded'));
    expect(taskNames(await children(squall, id))).toEqual(['task1', 'task1', 'task2', 'task2']);
  });
});

// StackStorm's test_pause_and_resume_cascade_from_subworkflow and test_pause_from_*_subworkflows_*.
describe('pause and resume from a sub-workflow', () => {
  async function subworkflowOf(id: string, task: string): Promise<string> {
    const [sub] = await taskChildren(squall, id, task, 'running');
    const subId = String(sub?.['id']);
    await taskChildren(squall, subId, 'task1', 'running');
    return subId;
  }

  /** orquesta-test-pause-subworkflows with both sub-workflows running, each waiting on its file. */
  async function twoSubworkflows() {
    const [file1, file2] = [tempfile(), tempfile()];
    const id = await run(squall, 'examples.orquesta-test-pause-subworkflows', { file1, file2 });
    return {
      id,
      sub1: await subworkflowOf(id, 'task1'),
      sub2: await subworkflowOf(id, 'task2'),
      file1,
      file2,
    };
  }

  it('pausing a sub-workflow pauses the workflow once nothing else runs; resuming it resumes both', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-pause-subworkflow', { tempfile: path });
    const subId = await subworkflowOf(id, 'task1');
    await put(squall, subId, 'pausing');
    await until(squall, subId, statusIs('pausing', 'paused'));
    expect((await until(squall, id, statusIs('running')))['status']).toBe('running');
    remove(path);
    await until(squall, subId, statusIs('paused'));
    await until(squall, id, statusIs('paused'));
    await put(squall, subId, 'resuming');
    await until(squall, subId, statusIs('succeeded'));
    await until(squall, id, statusIs('succeeded'));
  });

  it('one of two sub-workflows paused: the workflow runs on, pauses when the other ends, resumes with it', async () => {
    const { id, sub1, sub2, file1, file2 } = await twoSubworkflows();
    await put(squall, sub1, 'pausing');
    remove(file1);
    await until(squall, sub1, statusIs('paused'));
    await until(squall, id, statusIs('running'));
    await until(squall, sub2, statusIs('running'));
    remove(file2);
    await until(squall, sub2, statusIs('succeeded'));
    await until(squall, id, statusIs('paused'));
    await put(squall, sub1, 'resuming');
    await until(squall, sub1, statusIs('succeeded'));
    await until(squall, id, statusIs('succeeded'));
    expect(taskNames(await children(squall, id, '?depth=1'))).toEqual(['task1', 'task2', 'task3']);
  });

  it('one of two sub-workflows paused and resumed while the workflow still runs', async () => {
    const { id, sub1, sub2, file1, file2 } = await twoSubworkflows();
    await put(squall, sub1, 'pausing');
    remove(file1);
    await until(squall, sub1, statusIs('paused'));
    await put(squall, sub1, 'resuming');
    await until(squall, sub1, statusIs('succeeded'));
    expect((await until(squall, id, statusIs('running')))['status']).toBe('running');
    remove(file2);
    await until(squall, sub2, statusIs('succeeded'));
    await until(squall, id, statusIs('succeeded'));
  });

  it('both sub-workflows paused from below: resuming the workflow resumes them', async () => {
    const { id, sub1, sub2, file1, file2 } = await twoSubworkflows();
    await put(squall, sub1, 'pausing');
    await put(squall, sub2, 'pausing');
    remove(file1);
    remove(file2);
    await until(squall, sub1, statusIs('paused'));
    await until(squall, sub2, statusIs('paused'));
    await until(squall, id, statusIs('paused'));
    await put(squall, id, 'resuming');
    await until(squall, sub1, statusIs('succeeded'));
    await until(squall, sub2, statusIs('succeeded'));
    await until(squall, id, statusIs('succeeded'));
  });
});

describe('with-items pause and resume', () => {
  it('pauses between batches of a with-items task and resumes the remaining items', async () => {
    const paths = [tempfile(), tempfile(), tempfile(), tempfile()];
    const id = await run(squall, 'examples.orquesta-test-with-items', { tempfiles: paths, concurrency: 2 });
    const running = await taskChildren(squall, id, 'task1', 'running', 2);
    await put(squall, id, 'pausing');
    // The two running items are the first two (items start in order).
    expect(running.map((c) => field(c, 'context.orquesta.item_id')).sort()).toEqual([0, 1]);
    for (const p of paths.slice(0, 2)) remove(p);
    await until(squall, id, statusIs('paused'));
    expect((await children(squall, id)).map((c) => c['status'])).toEqual(['succeeded', 'succeeded']);
    await put(squall, id, 'resuming');
    for (const p of paths.slice(2)) remove(p);
    await until(squall, id, statusIs('succeeded'));
    const list = await children(squall, id);
    expect(list.map((c) => field(c, 'context.orquesta.item_id'))).toEqual([0, 1, 2, 3]);
    // Items share their task's task execution.
    expect(new Set(list.map((c) => c['task_execution'])).size).toBe(1);
  });
});

describe('cancel', () => {
  it('cancels after the running task finishes: the next task never starts', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-cancel', { tempfile: path, message: 'hello' });
    await taskChildren(squall, id, 'task1', 'running');
    const res = await squall.api(`/api/v1/executions/${id}`, { method: 'DELETE' });
    expect(((await res.json()) as Doc)['status']).toBe('canceling');
    remove(path);
    const done = await until(squall, id, statusIs('canceled'));
    expect(done['result']).toEqual({ output: null });
    expect((await children(squall, id)).map((c) => [taskNames([c])[0], c['status']])).toEqual([
      ['task1', 'succeeded'],
    ]);
  });

  it('cascades cancel to a sub-workflow', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-cancel-subworkflow', {
      tempfile: path,
      message: 'hello',
    });
    const [sub] = await taskChildren(squall, id, 'task1', 'running');
    const subId = String(sub?.['id']);
    await taskChildren(squall, subId, 'task1', 'running');
    await squall.api(`/api/v1/executions/${id}`, { method: 'DELETE' });
    await until(squall, id, statusIs('canceling'));
    await until(squall, subId, statusIs('canceling'));
    remove(path);
    await until(squall, subId, statusIs('canceled'));
    await until(squall, id, statusIs('canceled'));
  });

  it('cancels a with-items task: running items finish, no more start', async () => {
    const paths = [tempfile(), tempfile(), tempfile(), tempfile()];
    const id = await run(squall, 'examples.orquesta-test-with-items', { tempfiles: paths, concurrency: 2 });
    await taskChildren(squall, id, 'task1', 'running', 2);
    await squall.api(`/api/v1/executions/${id}`, { method: 'DELETE' });
    await until(squall, id, statusIs('canceling'));
    for (const p of paths) remove(p);
    await until(squall, id, statusIs('canceled'));
    const list = await children(squall, id);
    expect(list.map((c) => c['status'])).toEqual(['succeeded', 'succeeded']);
  });

  it('keeps a workflow canceling on PUT canceled while a child still runs (spec §2.5)', async () => {
    const path = tempfile();
    const id = await run(squall, 'examples.orquesta-test-cancel', { tempfile: path, message: 'hello' });
    await taskChildren(squall, id, 'task1', 'running');
    await put(squall, id, 'canceling');
    expect((await put(squall, id, 'canceled'))['status']).toBe('canceling');
    remove(path);
    await until(squall, id, statusIs('canceled'));
  });

  it('cancels a task that waits on its delay: its child never runs', async () => {
    const id = await run(squall, 'examples.orquesta-delay', { name: 'Ada', delay: 30 });
    const [child] = await taskChildren(squall, id, 'task1', 'delayed');
    await squall.api(`/api/v1/executions/${id}`, { method: 'DELETE' });
    const done = await until(squall, id, statusIs('canceled'));
    expect(done['status']).toBe('canceled');
    const after = (await (await squall.api(`/api/v1/executions/${String(child?.['id'])}`)).json()) as Doc;
    expect(after['status']).toBe('canceled');
    expect((after['log'] as Doc[]).map((l) => l['status'])).not.toContain('running');
  });
});
