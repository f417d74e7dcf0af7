/**
 * The examples pack's ActionChains run end to end over HTTP (spec §7.9): children with the node in
 * their context, StackStorm's `{tasks, published}` result, failure paths, pause and resume.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import {
  children,
  field,
  put,
  run,
  runToEnd,
  startWorkflowSquall,
  taskNames,
  until,
  type Doc,
} from './workflow-helpers.ts';

let squall: TestSquall;
let dir: string;
beforeAll(async () => {
  squall = await startWorkflowSquall();
  dir = mkdtempSync(join(tmpdir(), 'squall-chain-'));
});
afterAll(async () => {
  await squall.close();
  rmSync(dir, { recursive: true, force: true });
});

function tasksOf(doc: Doc): Doc[] {
  return field(doc, 'result.tasks') as Doc[];
}

describe('action-chain examples', () => {
  it('runs a sequential chain: published values and one task record per child', async () => {
    const doc = await runToEnd(squall, 'examples.chain-sequential', { name: 'Thanos' });
    expect(doc['status']).toBe('succeeded');
    expect(field(doc, 'result.published')).toEqual({ greeting: 'Thanos, All your base are belong to us!' });
    const list = await children(squall, String(doc['id']));
    expect(taskNames(list)).toEqual(['task1', 'task2', 'task3']);
    const records = tasksOf(doc);
    expect(records.map((t) => [t['id'], t['name'], t['state'], t['workflow']])).toEqual([
      ['task1', 'task1', 'succeeded', null],
      ['task2', 'task2', 'succeeded', null],
      ['task3', 'task3', 'succeeded', null],
    ]);
    records.forEach((t, i) => {
      const child = list[i] as Doc;
      expect(t['execution_id']).toBe(child['id']);
      expect(t['liveaction_id']).toBe(field(child, 'liveaction.id'));
      expect(t['result']).toEqual(child['result']);
      expect(typeof t['created_at']).toBe('string');
      expect(field(child, 'context.parent.execution_id')).toBe(doc['id']);
      expect(field(child, 'context.parent.user')).toBe('stanley');
      expect(field(child, 'context.chain.name')).toBe(t['name']);
    });
  });

  it('passes parameters and earlier results down the chain', async () => {
    const doc = await runToEnd(squall, 'examples.echochain-param', { input1: 'hi' });
    expect(doc['status']).toBe('succeeded');
    expect(tasksOf(doc).map((t) => field(t, 'result.stdout'))).toEqual([
      'c1, input hi',
      'c2 c1, input hi',
      'c3 c2 c1, input hi',
    ]);
  });

  it('fails before running a chain whose graph names a missing node, as StackStorm pre-run does', async () => {
    const doc = await runToEnd(squall, 'examples.echochain_task_failure');
    expect(doc['status']).toBe('failed');
    const message = 'Unable to find node with name "c4" referenced in "on-failure" in task "c1".';
    expect(doc['result']).toEqual({ error: message, traceback: message });
    expect(await children(squall, String(doc['id']))).toEqual([]);
  });

  it('follows on-failure when a node fails', async () => {
    const doc = await runToEnd(squall, 'examples.echochain-param', { input1: 'x; exit 1' });
    expect(tasksOf(doc).map((t) => [t['name'], t['state']])).toEqual([
      ['c1', 'failed'],
      ['c4', 'succeeded'],
    ]);
    expect(doc['status']).toBe('succeeded');
  });

  it('pauses after the running node and resumes with the next one', async () => {
    const path = join(dir, 'pause');
    writeFileSync(path, '');
    const id = await run(squall, 'examples.chain-test-pause-resume', { tempfile: path, message: 'resumed' });
    await until(squall, id, () => true);
    const deadline = Date.now() + 30_000;
    while ((await children(squall, id)).every((c) => c['status'] !== 'running')) {
      if (Date.now() > deadline) throw new Error('task1 never ran');
      await new Promise((r) => setTimeout(r, 25));
    }
    await put(squall, id, 'pausing');
    rmSync(path);
    const paused = await until(squall, id, (d) => d['status'] === 'paused');
    expect(tasksOf(paused).map((t) => t['name'])).toEqual(['task1']);
    await put(squall, id, 'resuming');
    const done = await until(squall, id, (d) => d['status'] === 'succeeded');
    expect(tasksOf(done).map((t) => [t['name'], field(t, 'result.stdout')])).toEqual([
      ['task1', ''],
      ['task2', 'resumed'],
    ]);
  });
});
