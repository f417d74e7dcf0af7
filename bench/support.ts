/**
 * Benchmark plumbing: a real `squall serve` child process, and history seeded through the store.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { newId } from '../src/domain/ids.ts';
import { freePort, npmStartArgs, ROOT } from '../test/helpers/processes.ts';
import type { ExecutionStatus } from '../src/domain/status.ts';
import type { ExecutionRecord } from '../src/domain/types.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { request } from './http-client.ts';

export interface Squall {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Milliseconds, with the microseconds, of an execution timestamp (`…T10:00:00.123456Z`). */
export function timestampMillis(timestamp: string): number {
  return Date.parse(timestamp) + Number(timestamp.slice(23, 26)) / 1000;
}

/** What the benchmarks read of an execution (its result left out). */
export interface ExecutionDoc {
  id: string;
  status: string;
  start_timestamp: string;
  end_timestamp?: string;
  log: { timestamp: string; status: string }[];
  context: Record<string, unknown>;
}

/** Creates an execution and polls it, every `pollMs`, until it has completed. */
export async function runToEnd(squall: Squall, body: object, pollMs = 20): Promise<ExecutionDoc> {
  const created = JSON.parse((await request(squall.url, 'POST', '/api/v1/executions', body)).body) as {
    id: string;
  };
  for (;;) {
    const doc = JSON.parse(
      (await request(squall.url, 'GET', `/api/v1/executions/${created.id}?exclude_attributes=result`)).body,
    ) as ExecutionDoc;
    if (['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'].includes(doc.status)) return doc;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** Seconds from `running` to completion, by the execution's own log. */
export function runSeconds(doc: ExecutionDoc): number {
  const running = doc.log.find((e) => e.status === 'running');
  return (
    (timestampMillis(doc.end_timestamp ?? '') - timestampMillis(running?.timestamp ?? doc.start_timestamp)) /
    1000
  );
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? NaN;
}

/** Builds the server once, as `npm start` does. */
export function buildSquall(): void {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
}

/** Starts the built server as `npm start` runs it, on a free port and the given data directory. */
export async function startSquall(dataDir: string): Promise<Squall> {
  const port = await freePort();
  const child = spawn(process.execPath, [...npmStartArgs(), '--port', String(port), '--data-dir', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, SQUALL_LOG_LEVEL: 'warn', SQUALL_AUTH: 'false' },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/v1/executions?limit=1`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`squall exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('squall did not start within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function template(squall: Squall, body: object): Promise<string> {
  const res = await fetch(`${squall.url}/api/v1/executions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ((await res.json()) as { id: string }).id;
}

/**
 * Seeds `count` completed executions, cloned from real ones (so their embedded action and runner
 * snapshots are real), spread over the last 30 days, with mixed actions and statuses.
 */
export async function seedHistory(
  dataDir: string,
  squall: Squall,
  count: number,
): Promise<{ count: number; seconds: number; total: number }> {
  const ids = [
    await template(squall, { action: 'core.local', parameters: { cmd: 'echo seeded' } }),
    await template(squall, { action: 'core.noop' }),
    await template(squall, { action: 'core.echo', parameters: { message: 'seeded' } }),
  ];
  await new Promise((r) => setTimeout(r, 1000));
  const store = openSqliteStore({ path: join(dataDir, 'squall.db') });
  const started = performance.now();
  try {
    const templates = (await Promise.all(ids.map((id) => store.getExecution(id)))).filter(
      (r): r is ExecutionRecord => r !== undefined,
    );
    const statuses: ExecutionStatus[] = ['succeeded', 'succeeded', 'succeeded', 'failed', 'timeout'];
    const now = Date.now() * 1000;
    const span = 30 * 24 * 3600 * 1_000_000;
    const result = { failed: false, succeeded: true, return_code: 0, stdout: 'seeded', stderr: '' };
    const json = JSON.stringify(result);
    for (let i = 0; i < count; i++) {
      const base = templates[i % templates.length];
      if (!base) throw new Error('no template executions');
      const start = now - span + Math.floor((i / count) * span);
      const status = statuses[i % statuses.length] ?? 'succeeded';
      await store.createExecution(
        {
          ...base,
          id: newId(Math.floor(start / 1000)),
          liveactionId: newId(Math.floor(start / 1000)),
          status,
          startTimestamp: start,
          endTimestamp: start + 150_000,
          log: [
            { timestamp: start, status: 'requested' },
            { timestamp: start + 1000, status: 'scheduled' },
            { timestamp: start + 2000, status: 'running' },
            { timestamp: start + 150_000, status },
          ],
          resultSize: json.length,
        },
        { json, size: json.length },
      );
    }
    const seconds = (performance.now() - started) / 1000;
    const total = (
      await store.listExecutions({ where: [], orderBy: [], limit: 1, offset: 0, countTotal: true })
    ).total;
    return { count, seconds, total };
  } finally {
    await store.close();
  }
}
