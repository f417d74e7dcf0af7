/**
 * The `squall` CLI driving real Orquesta workflows (the examples pack fixture), as a user would:
 * pause and resume, re-run from a task with and without reset, and tail of a workflow showing its
 * children's output as they run (a small ticking workflow written for the test).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';
import { writeScratchPack } from '../workflows/scratch-pack.ts';
import { cliEnv, finished, runCliProcess, startCli, waitForOutput } from './cli-process.ts';

const PACKS = join(import.meta.dirname, '..', 'fixtures', 'packs');
type Doc = Record<string, unknown>;

const TICKING = `version: 1.0
input:
  - tempfile
tasks:
  task1:
    action: core.local
    input:
      cmd: "while [ -e '<% ctx().tempfile %>' ]; do echo tick; sleep 0.2; done; echo one done"
    next:
      - when: <% succeeded() %>
        do: task2
  task2:
    action: core.local cmd="echo two"
`;

let squall: TestSquall;
let env: Record<string, string>;
let dir: string;
let scratch: string;
const squallCli = (args: string[]) => runCliProcess(args, env);

beforeAll(async () => {
  scratch = writeScratchPack('clitestwf', {
    ticking: {
      meta:
        'name: ticking\nrunner_type: orquesta\nentry_point: workflows/ticking.yaml\nenabled: true\n' +
        'parameters:\n  tempfile:\n    type: string\n    required: true\n',
      entryPoint: ['workflows/ticking.yaml', TICKING],
    },
  });
  squall = await startTestSquall({ packsPaths: [PACKS, scratch] });
  env = cliEnv({ SQUALL_URL: squall.url, COLUMNS: '200' });
  dir = mkdtempSync(join(tmpdir(), 'squall-cli-wf-'));
});
afterAll(async () => {
  await squall.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
});

let files = 0;
function tempfile(content = ''): string {
  const path = join(dir, `f${files++}`);
  writeFileSync(path, content);
  return path;
}

function remove(path: string): void {
  rmSync(path);
  expect(existsSync(path)).toBe(false);
}

async function start(action: string, parameters: Doc): Promise<string> {
  const res = await squall.api('/api/v1/executions', { method: 'POST', json: { action, parameters } });
  expect(res.status).toBe(201);
  return String(((await res.json()) as Doc)['id']);
}

async function childrenOf(id: string): Promise<Doc[]> {
  const res = await squall.api(`/api/v1/executions/${id}/children?depth=1`);
  return (await res.json()) as Doc[];
}

const taskOf = (c: Doc): unknown =>
  (c['context'] as { orquesta?: { task_name?: unknown } }).orquesta?.task_name;

/** Waits until task `name` of workflow `id` has a child in `status`. */
async function taskIn(id: string, name: string, status: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await childrenOf(id)).some((c) => taskOf(c) === name && c['status'] === status)) {
    if (Date.now() > deadline) throw new Error(`task ${name} of ${id} never ${status}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('squall execution pause / resume of an Orquesta workflow', () => {
  it('pauses after the running task and resumes to success', async () => {
    const path = tempfile();
    const id = await start('examples.orquesta-test-pause', { tempfile: path });
    await taskIn(id, 'task1', 'running');

    const pause = await squallCli(['execution', 'pause', id]);
    expect(pause.stderr).toBe('');
    expect(pause.code).toBe(0);
    expect(pause.stdout).toBe(`${id} pausing\n`);
    remove(path);
    expect((await squall.waitFor(id, ['paused']))['status']).toBe('paused');
    expect((await childrenOf(id)).map(taskOf)).toEqual(['task1']);

    const resume = await squallCli(['execution', 'resume', id]);
    expect(resume.code).toBe(0);
    expect(resume.stdout).toMatch(new RegExp(`^${id} (resuming|running)\\n$`));
    const done = await squall.waitFor(id);
    expect(done['status']).toBe('succeeded');
    expect((await childrenOf(id)).map(taskOf)).toEqual(['task1', 'task2']);

    // Resuming what is no longer paused is StackStorm's refusal, as an error line.
    const again = await squallCli(['execution', 'resume', id]);
    expect(again.code).toBe(7);
    expect(again.stderr).toBe('squall: Execution is already in completed state.\n');
  });
});

describe('squall execution re-run --tasks of an Orquesta workflow', () => {
  it('re-runs from the failed task, continuing the original workflow', async () => {
    const path = tempfile('1');
    const original = await start('examples.orquesta-test-rerun', { tempfile: path });
    expect((await squall.waitFor(original))['status']).toBe('failed');
    writeFileSync(path, '0');

    const res = await squallCli(['execution', 're-run', original, '--tasks', 'task2', '-j']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const again = JSON.parse(res.stdout) as Doc;
    expect(again['status']).toBe('succeeded');
    expect(again['context']).toMatchObject({
      're-run': { ref: original, tasks: ['task2'], reset: ['task2'] },
    });
    expect((await childrenOf(String(again['id']))).map(taskOf)).toEqual(['task2', 'task3']);
  });

  it('keeps the succeeded items of a with-items task with --no-reset', async () => {
    const path = tempfile('1');
    const original = await start('examples.orquesta-test-rerun-with-items', { tempfile: path });
    expect((await squall.waitFor(original))['status']).toBe('failed');
    writeFileSync(path, '0');

    const kept = await squallCli([
      'execution',
      're-run',
      original,
      '--tasks',
      'task1',
      '--no-reset',
      'task1',
      '-j',
    ]);
    expect(kept.code).toBe(0);
    const keptDoc = JSON.parse(kept.stdout) as Doc;
    expect(keptDoc['status']).toBe('succeeded');
    expect((keptDoc['context'] as Doc)['re-run']).toEqual({ ref: original, tasks: ['task1'] });
    // Only the two items that failed ran again.
    expect(await childrenOf(String(keptDoc['id']))).toHaveLength(2);
  });

  it('fails the re-run with StackStorm’s message for an unknown task', async () => {
    const original = await start('examples.orquesta-test-rerun', { tempfile: tempfile('0') });
    await squall.waitFor(original);
    const res = await squallCli(['execution', 're-run', original, '--tasks', 'nope', '-j']);
    const doc = JSON.parse(res.stdout) as Doc;
    expect(doc['status']).toBe('failed');
    expect(doc['result']).toEqual({
      errors: [{ message: 'Unable to rerun workflow because one or more tasks is not found: nope' }],
      output: null,
    });
    expect(res.code).not.toBe(0);
  });
});

describe('squall execution tail of an Orquesta workflow', () => {
  it("shows each task child's output live, then the workflow's status", async () => {
    const path = tempfile();
    const id = await start('clitestwf.ticking', { tempfile: path });
    await taskIn(id, 'task1', 'running');
    const child = startCli(['execution', 'tail', id], env);
    const done = finished(child);
    let stderr = '';
    child.stderr?.on('data', (d) => (stderr += String(d)));
    // task1 ticks until its file is gone: the tail is following once a tick shows.
    await waitForOutput(child, 'tick\n', 30_000);
    remove(path);
    const result = await done;
    const task2 = (await childrenOf(id)).find((c) => taskOf(c) === 'task2');
    // The children's output, between the workflow's own progress lines (as StackStorm writes them).
    const rest =
      'one done\n' +
      `Action execution "${String(task2?.['id'])}" requested for task "task2", route "0".\n` +
      'two\n' +
      'The workflow execution is completed with status "succeeded".\n\n';
    expect(result.stdout.replace(/^(tick\n)+/, '')).toBe(rest);
    expect(result.stdout.startsWith('tick\n')).toBe(true);
    expect(stderr).toMatch(/── task1 succeeded\n/);
    expect(stderr).toMatch(/── task2 succeeded\n/);
    expect(stderr).toContain('✔ succeeded  clitestwf.ticking');
    expect(result.code).toBe(0);
  });
});
