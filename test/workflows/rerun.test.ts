/**
 * Re-running an Orquesta workflow over HTTP (spec §9.3), as StackStorm's
 * st2tests/integration/orquesta/test_wiring_rerun.py does: from the start (a new workflow), from a
 * failed task (the original workflow continues), and a with-items task with and without reset.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestSquall } from '../helpers/squall.ts';
import { children, field, runToEnd, startWorkflowSquall, taskNames, type Doc } from './workflow-helpers.ts';

let squall: TestSquall;
let dir: string;
beforeAll(async () => {
  squall = await startWorkflowSquall();
  dir = mkdtempSync(join(tmpdir(), 'squall-rerun-'));
});
afterAll(async () => {
  await squall.close();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
function tempfile(content: string): string {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  return path;
}

async function reRun(id: string, body: Doc): Promise<Doc> {
  const res = await squall.api(`/api/v1/executions/${id}/re_run`, { method: 'POST', json: body });
  const doc = (await res.json()) as Doc;
  expect(res.status, JSON.stringify(doc)).toBe(201);
  return squall.waitFor(String(doc['id']), undefined, 30_000);
}

describe('re-run', () => {
  it('re-runs the whole workflow as a new workflow execution', async () => {
    const path = tempfile('1');
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun', { tempfile: path });
    expect(original['status']).toBe('failed');
    writeFileSync(path, '0');
    const again = await reRun(String(original['id']), {});
    expect(again['status']).toBe('succeeded');
    expect(field(again, 'context.workflow_execution')).not.toBe(
      field(original, 'context.workflow_execution'),
    );
    expect(taskNames(await children(squall, String(again['id'])))).toEqual(['task1', 'task2', 'task3']);
  });

  it('re-runs from the failed task, continuing the original workflow', async () => {
    const path = tempfile('1');
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun', { tempfile: path });
    expect(original['status']).toBe('failed');
    expect(taskNames(await children(squall, String(original['id'])))).toEqual(['task1', 'task2']);
    writeFileSync(path, '0');
    const again = await reRun(String(original['id']), { tasks: ['task2'], reset: ['task2'] });
    expect(again['status']).toBe('succeeded');
    expect(again['result']).toEqual({ output: null });
    expect(field(again, 'context.workflow_execution')).toBe(field(original, 'context.workflow_execution'));
    expect(field(again, 'context.re-run')).toEqual({
      ref: original['id'],
      tasks: ['task2'],
      reset: ['task2'],
    });
    // task1 succeeded before: it is not run again and not a child of the re-run.
    const list = await children(squall, String(again['id']));
    expect(taskNames(list)).toEqual(['task2', 'task3']);
    expect(list.every((c) => c['workflow_execution'] === field(original, 'context.workflow_execution'))).toBe(
      true,
    );
  });

  it('re-runs a task of a workflow that already succeeded', async () => {
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun', { tempfile: tempfile('0') });
    expect(original['status']).toBe('succeeded');
    const again = await reRun(String(original['id']), { tasks: ['task2'] });
    expect(again['status']).toBe('succeeded');
    expect(field(again, 'context.workflow_execution')).toBe(field(original, 'context.workflow_execution'));
    expect(taskNames(await children(squall, String(again['id'])))).toEqual(['task2', 'task3']);
  });

  it('re-runs every item of a with-items task when reset', async () => {
    const path = tempfile('1');
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun-with-items', { tempfile: path });
    expect(original['status']).toBe('failed');
    writeFileSync(path, '0');
    const again = await reRun(String(original['id']), { tasks: ['task1'], reset: ['task1'] });
    expect(again['status']).toBe('succeeded');
    expect((await children(squall, String(again['id']))).length).toBe(4);
  });

  it('re-runs only the failed items of a with-items task without reset', async () => {
    const path = tempfile('1');
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun-with-items', { tempfile: path });
    expect(original['status']).toBe('failed');
    writeFileSync(path, '0');
    const again = await reRun(String(original['id']), { tasks: ['task1'] });
    expect(again['status']).toBe('succeeded');
    expect((await children(squall, String(again['id']))).length).toBe(2);
  });

  it('fails the re-run with StackStorm result when a task does not exist', async () => {
    const original = await runToEnd(squall, 'examples.orquesta-test-rerun', { tempfile: tempfile('0') });
    const again = await reRun(String(original['id']), { tasks: ['nope'] });
    expect(again['status']).toBe('failed');
    expect(again['result']).toEqual({
      errors: [{ message: 'Unable to rerun workflow because one or more tasks is not found: nope' }],
      output: null,
    });
  });
});
