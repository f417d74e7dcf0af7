/**
 * Crash safety with a real process: SIGKILL Squall mid-workflow, restart it on the same data
 * directory, and every workflow continues from its saved state — what finished is not run again,
 * a delayed task still runs, and a task that was running ends `abandoned` with the workflow's
 * error handling applied.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, ROOT } from '../helpers/processes.ts';
import { EXAMPLE_PACKS, field, taskNames, type Doc } from './workflow-helpers.ts';

const processes: ChildProcess[] = [];
const dirs: string[] = [];

afterEach(() => {
  for (const child of processes.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Squall {
  url: string;
  child: ChildProcess;
  exited: Promise<unknown>;
}

async function serve(dataDir: string, port: number): Promise<Squall> {
  const args = [
    '--port',
    String(port),
    '--data-dir',
    dataDir,
    '--packs-path',
    EXAMPLE_PACKS,
    '--log-level',
    'warn',
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', ...args], {
    env: { ...process.env, SQUALL_AUTH: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  processes.push(child);
  let logs = '';
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/executions?limit=1`)).ok) return { url, child, exited };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`squall did not start: ${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function getJson(url: string): Promise<unknown> {
  return (await fetch(url)).json();
}

async function start(s: Squall, action: string, parameters: Doc): Promise<string> {
  const res = await fetch(`${s.url}/api/v1/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ action, parameters }),
  });
  expect(res.status).toBe(201);
  return String(((await res.json()) as Doc)['id']);
}

async function until<T>(probe: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (check(value)) return value;
    if (Date.now() > deadline) throw new Error(`never matched: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const childrenOf = (s: Squall, id: string) => () =>
  getJson(`${s.url}/api/v1/executions/${id}/children`) as Promise<Doc[]>;
const execution = (s: Squall, id: string) => () =>
  getJson(`${s.url}/api/v1/executions/${id}`) as Promise<Doc>;
const completed = (doc: Doc): boolean =>
  ['succeeded', 'failed', 'canceled', 'abandoned'].includes(String(doc['status']));

async function kill(s: Squall): Promise<void> {
  s.child.kill('SIGKILL');
  await s.exited;
}

describe('workflows survive SIGKILL', () => {
  it('continues a workflow whose next task was delayed: nothing runs twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'squall-crash-'));
    dirs.push(dataDir);
    const port = await freePort();
    let s = await serve(dataDir, port);
    const sequential = await start(s, 'examples.orquesta-sequential', { name: 'Ada' });
    const delayed = await start(s, 'examples.orquesta-delay', { name: 'Ada', delay: 4 });
    // The delay example delays task1: kill while its child waits.
    await until(childrenOf(s, delayed), (list) => list.some((c) => c['status'] === 'delayed'));
    await until(execution(s, sequential), completed);
    await kill(s);

    s = await serve(dataDir, port);
    const done = await until(execution(s, delayed), completed);
    expect(done['status']).toBe('succeeded');
    expect(done['result']).toEqual({ output: { greeting: 'Ada, All your base are belong to us!' } });
    const list = await childrenOf(s, delayed)();
    expect(taskNames(list)).toEqual(['task1', 'task2', 'task3']);
    expect((await execution(s, sequential)())['status']).toBe('succeeded');
    expect(taskNames(await childrenOf(s, sequential)())).toEqual(['task1', 'task2', 'task3']);
  }, 90_000);

  it('abandons the tasks that were running, and their workflows handle it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'squall-crash-'));
    dirs.push(dataDir);
    const port = await freePort();
    let s = await serve(dataDir, port);
    const handled = await start(s, 'examples.orquesta-error-handling-noop', {
      cmd: 'sleep 60',
      timeout: 120,
    });
    const unhandled = await start(s, 'examples.orquesta-sequential', { name: '$(sleep 60)' });
    await until(childrenOf(s, handled), (list) => list.some((c) => c['status'] === 'running'));
    await until(childrenOf(s, unhandled), (list) => list.some((c) => c['status'] === 'running'));
    await kill(s);

    s = await serve(dataDir, port);
    // Orquesta's failed() is true for `failed` only: an abandoned task takes no `failed()`
    // transition, so the workflow fails; only a `failed` action logs an error, so StackStorm's
    // result has `errors: []` (src/workflow/orquesta/abended.test.ts).
    const noop = await until(execution(s, handled), completed);
    expect(noop['status']).toBe('failed');
    expect(noop['result']).toEqual({ output: { message: null }, errors: [] });
    expect((await childrenOf(s, handled)()).map((c) => c['status'])).toEqual(['abandoned']);

    const failed = await until(execution(s, unhandled), completed);
    expect(failed['status']).toBe('failed');
    expect(failed['result']).toEqual({ output: { greeting: null }, errors: [] });
    const [task1] = await childrenOf(s, unhandled)();
    expect(task1?.['status']).toBe('abandoned');
    expect(field(task1 ?? {}, 'result.error')).toBe(
      'Squall stopped while this action was running; its outcome is unknown.',
    );
    // Nothing after the abandoned task ran.
    expect(await childrenOf(s, unhandled)()).toHaveLength(1);
  }, 90_000);
});
