/**
 * `squall serve` as a user runs it: a real process, configured by flags and environment, loading
 * packs from --packs-path, shutting down cleanly, and recovering after being killed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './helpers/processes.ts';

const ROOT = join(import.meta.dirname, '..');
const PACKS = join(ROOT, 'test', 'fixtures', 'packs');
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

interface Serve {
  url: string;
  child: ChildProcess;
  logs: () => string;
  exited: Promise<number | null>;
}

async function serve(args: string[], env: Record<string, string> = {}): Promise<Serve> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', ...args], {
    // Auth is on by default; these tests are about serving, not credentials (see test/auth/).
    env: { ...process.env, SQUALL_AUTH: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let logs = '';
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = args.includes('--port')
    ? Number(args[args.indexOf('--port') + 1])
    : Number(env['SQUALL_PORT']);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/api/v1/executions?limit=1`)).ok) break;
    } catch {
      // not yet listening
    }
    if (child.exitCode !== null) throw new Error(`squall exited early: ${logs}`);
    if (Date.now() > deadline) throw new Error(`squall did not start: ${logs}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, logs: () => logs, exited };
}

async function post(url: string, body: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${url}/api/v1/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as Record<string, any>;
}

async function get(url: string, id: string): Promise<Record<string, any>> {
  return (await (await fetch(`${url}/api/v1/executions/${id}`)).json()) as Record<string, any>;
}

async function waitStatus(url: string, id: string, statuses: string[]): Promise<Record<string, any>> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const doc = await get(url, id);
    if (statuses.includes(doc.status)) return doc;
    if (Date.now() > deadline) throw new Error(`still ${doc.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'squall-serve-'));
  dirs.push(dir);
  return dir;
}

describe('squall serve', () => {
  it('takes its settings from the environment, loads --packs-path packs, logs JSON and stops on SIGTERM', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const s = await serve(['--packs-path', PACKS], { SQUALL_PORT: String(port), SQUALL_DATA_DIR: dataDir });
    const exec = await post(s.url, { action: 'demo.greet', parameters: { who: 'Ada', loud: true } });
    const done = await waitStatus(s.url, exec.id, ['succeeded', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(done.result.stdout).toBe('args: --loud Ada !');
    // The broken action is reported and skipped; the rest of the pack loads.
    expect(s.logs()).toContain('no-such-runner');
    const line = s
      .logs()
      .split('\n')
      .find((l) => l.includes('"method":"POST"') && l.includes('"url":"/api/v1/executions"'));
    expect(line && JSON.parse(line)).toMatchObject({
      msg: 'incoming request',
      req: { method: 'POST', url: '/api/v1/executions' },
    });
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it('rejects bad options with a clear message', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', '--port', 'abc'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(err).toContain('--port must be a non-negative integer');
  });

  it('lets a running action finish on SIGTERM within the grace period', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const s = await serve(['--port', String(port), '--data-dir', dataDir, '--shutdown-grace', '10']);
    const exec = await post(s.url, { action: 'core.local', parameters: { cmd: 'sleep 1; echo finished' } });
    await waitStatus(s.url, exec.id, ['running']);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const again = await serve(['--port', String(port), '--data-dir', dataDir]);
    const doc = await get(again.url, exec.id);
    expect(doc.status).toBe('succeeded');
    expect(doc.result.stdout).toBe('finished');
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('marks an execution abandoned after a SIGKILL mid-run, and still runs a delayed one after restart', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const s = await serve(['--port', String(port), '--data-dir', dataDir]);
    const running = await post(s.url, { action: 'core.local', parameters: { cmd: 'sleep 20' } });
    const delayed = await post(s.url, { action: 'core.noop', delay: 1500 });
    await waitStatus(s.url, running.id, ['running']);
    s.child.kill('SIGKILL');
    await s.exited;
    const again = await serve(['--port', String(port), '--data-dir', dataDir]);
    const abandoned = await get(again.url, running.id);
    expect(abandoned.status).toBe('abandoned');
    expect(abandoned.end_timestamp).toBeDefined();
    const ran = await waitStatus(again.url, delayed.id, ['succeeded']);
    expect(ran.log.map((e: { status: string }) => e.status)).toEqual([
      'requested',
      'delayed',
      'scheduled',
      'running',
      'succeeded',
    ]);
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('picks up requested and scheduled executions after a SIGKILL', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const s = await serve(['--port', String(port), '--data-dir', dataDir, '--runner-pool-size', '1']);
    const first = await post(s.url, { action: 'core.local', parameters: { cmd: 'sleep 20' } });
    const queued = [];
    for (let i = 0; i < 4; i++)
      queued.push(await post(s.url, { action: 'core.local', parameters: { cmd: `echo queued-${i}` } }));
    await waitStatus(s.url, first.id, ['running']);
    s.child.kill('SIGKILL');
    await s.exited;
    const again = await serve(['--port', String(port), '--data-dir', dataDir, '--runner-pool-size', '1']);
    expect((await get(again.url, first.id)).status).toBe('abandoned');
    for (const [i, exec] of queued.entries()) {
      const done = await waitStatus(again.url, exec.id, ['succeeded', 'failed', 'abandoned']);
      expect(done.status).toBe('succeeded');
      expect(done.result.stdout).toBe(`queued-${i}`);
    }
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('stops what outlives the shutdown grace period and records it abandoned', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const s = await serve(['--port', String(port), '--data-dir', dataDir, '--shutdown-grace', '1']);
    const exec = await post(s.url, { action: 'core.local', parameters: { cmd: 'sleep 30' } });
    await waitStatus(s.url, exec.id, ['running']);
    const started = Date.now();
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
    const again = await serve(['--port', String(port), '--data-dir', dataDir]);
    const doc = await get(again.url, exec.id);
    expect(doc.status).toBe('abandoned');
    expect(doc.end_timestamp).toBeDefined();
    again.child.kill('SIGTERM');
    await again.exited;
  });

  it('after a SIGKILL with work running, delayed and queued, every execution ends in the right state', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const s = await serve(['--port', String(port), '--data-dir', dataDir, '--runner-pool-size', '2']);
    const running = [
      await post(s.url, { action: 'core.local', parameters: { cmd: 'sleep 30' } }),
      await post(s.url, { action: 'core.local', parameters: { cmd: 'sleep 30' } }),
    ];
    const queued = await post(s.url, { action: 'core.local', parameters: { cmd: 'echo queued' } });
    const delayed = await post(s.url, {
      action: 'core.local',
      delay: 2000,
      parameters: { cmd: 'echo delayed' },
    });
    for (const r of running) await waitStatus(s.url, r.id, ['running']);
    expect((await get(s.url, queued.id)).status).toBe('requested');
    expect((await get(s.url, delayed.id)).status).toBe('delayed');
    s.child.kill('SIGKILL');
    await s.exited;
    const again = await serve(['--port', String(port), '--data-dir', dataDir, '--runner-pool-size', '2']);
    for (const r of running) expect((await get(again.url, r.id)).status).toBe('abandoned');
    expect((await waitStatus(again.url, queued.id, ['succeeded', 'failed'])).result.stdout).toBe('queued');
    const late = await waitStatus(again.url, delayed.id, ['succeeded', 'failed']);
    expect(late.result.stdout).toBe('delayed');
    expect(late.log.map((e: { status: string }) => e.status)).toEqual([
      'requested',
      'delayed',
      'scheduled',
      'running',
      'succeeded',
    ]);
    again.child.kill('SIGTERM');
    await again.exited;
  });
});
