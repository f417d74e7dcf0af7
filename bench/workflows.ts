/**
 * `npm run bench:workflows`: starts a real `squall serve` (built as `npm start` runs it) with a
 * generated benchmark pack and measures:
 *   - a with-items workflow over 1,000 items of `core.noop`, concurrency 10 and 100: wall time from
 *     the workflow's start to its end, and items per second (StackStorm users report 101 items
 *     taking 26 minutes);
 *   - a 3-task sequential workflow of `core.noop`: end-to-end latency (start → end timestamps of
 *     the workflow execution, one at a time), p50 and p99.
 * Options: BENCH_QUICK=1 for a short run.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTimestamp } from '../src/domain/time.ts';
import { freePort, npmStartArgs, ROOT } from '../test/helpers/processes.ts';
import { request } from './http-client.ts';
import { buildSquall, percentile } from './support.ts';

const QUICK = process.env['BENCH_QUICK'] === '1';
const ITEMS = QUICK ? 200 : 1000;
const SEQUENTIAL_RUNS = QUICK ? 30 : 200;

const WITH_ITEMS = `version: 1.0
input:
  - count
  - concurrency
tasks:
  fan:
    with:
      items: <% range(ctx(count)) %>
      concurrency: <% ctx(concurrency) %>
    action: core.noop
`;

const SEQUENTIAL = `version: 1.0
tasks:
  task1:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task2
  task2:
    action: core.noop
    next:
      - when: <% succeeded() %>
        do: task3
  task3:
    action: core.noop
`;

function writeBenchPack(packs: string): void {
  const pack = join(packs, 'bench');
  mkdirSync(join(pack, 'actions', 'workflows'), { recursive: true });
  writeFileSync(join(pack, 'pack.yaml'), 'name: bench\ndescription: workflow benchmark\nversion: 0.1.0\n');
  writeFileSync(join(pack, 'actions', 'workflows', 'with-items.yaml'), WITH_ITEMS);
  writeFileSync(join(pack, 'actions', 'workflows', 'sequential.yaml'), SEQUENTIAL);
  writeFileSync(
    join(pack, 'actions', 'with-items.yaml'),
    `name: with-items
runner_type: orquesta
entry_point: workflows/with-items.yaml
parameters:
  count: {type: integer, required: true}
  concurrency: {type: integer, required: true}
`,
  );
  writeFileSync(
    join(pack, 'actions', 'sequential.yaml'),
    'name: sequential\nrunner_type: orquesta\nentry_point: workflows/sequential.yaml\n',
  );
}

interface Doc {
  id: string;
  status: string;
  start_timestamp: string;
  end_timestamp?: string;
}

async function runWorkflow(url: string, action: string, parameters: object): Promise<Doc> {
  const res = await request(url, 'POST', '/api/v1/executions', { action, parameters });
  const { id } = JSON.parse(res.body) as Doc;
  for (;;) {
    const doc = JSON.parse(
      (
        await request(
          url,
          'GET',
          `/api/v1/executions/${id}?include_attributes=id,status,start_timestamp,end_timestamp`,
        )
      ).body,
    ) as Doc;
    if (['succeeded', 'failed', 'canceled', 'abandoned', 'timeout'].includes(doc.status)) {
      if (doc.status !== 'succeeded') throw new Error(`${action} ended ${doc.status}`);
      return doc;
    }
    await new Promise((r) => setTimeout(r, 2));
  }
}

function durationMs(doc: Doc): number {
  const start = parseTimestamp(doc.start_timestamp) ?? NaN;
  const end = parseTimestamp(doc.end_timestamp ?? '') ?? NaN;
  return (end - start) / 1000;
}

async function main(): Promise<void> {
  buildSquall();
  const dir = mkdtempSync(join(tmpdir(), 'squall-bench-wf-'));
  const packs = join(dir, 'packs');
  writeBenchPack(packs);
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...npmStartArgs(), '--port', String(port), '--data-dir', join(dir, 'data'), '--packs-path', packs],
    {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, SQUALL_LOG_LEVEL: 'warn', SQUALL_AUTH: 'false' },
    },
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`${url}/api/v1/executions?limit=1`)).ok) break;
      } catch {
        // not listening yet
      }
      if (child.exitCode !== null || Date.now() > deadline) throw new Error('squall did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`with-items over ${ITEMS} items of core.noop:`);
    for (const concurrency of [10, 100]) {
      const doc = await runWorkflow(url, 'bench.with-items', { count: ITEMS, concurrency });
      const ms = durationMs(doc);
      console.log(
        `  concurrency ${String(concurrency).padStart(3)}: ${(ms / 1000).toFixed(2)} s, ${((ITEMS / ms) * 1000).toFixed(0)} items/s`,
      );
    }
    await runWorkflow(url, 'bench.sequential', {}); // warm-up
    const latencies: number[] = [];
    for (let i = 0; i < SEQUENTIAL_RUNS; i++)
      latencies.push(durationMs(await runWorkflow(url, 'bench.sequential', {})));
    latencies.sort((a, b) => a - b);
    console.log(
      `3-task sequential workflow of core.noop, ${SEQUENTIAL_RUNS} runs one at a time: p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
    );
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
