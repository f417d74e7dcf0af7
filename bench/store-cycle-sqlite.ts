/**
 * Scratch benchmark of the engine's per-execution store work, shaped like the engine: `producers`
 * concurrent API requests each inserting executions; one dispatcher claiming due ones in batches
 * (claim → scheduled) and completing each in its own flow (running with runner_info, then
 * succeeded with a result). Prints completed cycles per second.
 *   npx tsx bench/store-cycle-sqlite.ts [executions=20000] [producers=64] [claimBatch=64]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nowMicros } from '../src/domain/time.ts';
import type { ExecutionRecord } from '../src/domain/types.ts';
import { makeExecution } from '../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../src/store/sqlite/open-sqlite-store.ts';

const total = Number(process.argv[2] ?? 20_000);
const producers = Number(process.argv[3] ?? 64);
const claimBatch = Number(process.argv[4] ?? 64);
const dir = mkdtempSync(join(tmpdir(), 'squall-bench-'));
const store = openSqliteStore({ path: process.env.BENCH_DB ?? join(dir, 'bench.db') });
const result = JSON.stringify({ stdout: 'hi\n', stderr: '', return_code: 0, succeeded: true, failed: false });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

let toCreate = total;
async function produce(): Promise<void> {
  while (toCreate-- > 0) await store.createExecution(makeExecution());
}

async function complete(record: ExecutionRecord): Promise<void> {
  const runnerInfo = { hostname: 'bench', pid: process.pid };
  await store.transition({ id: record.id, from: ['scheduled'], to: 'running', at: nowMicros(), runnerInfo });
  await tick(); // the action runs
  const at = nowMicros();
  const done = { json: result, size: result.length };
  await store.transition({
    id: record.id,
    from: ['running'],
    to: 'succeeded',
    at,
    endTimestamp: at,
    result: done,
  });
}

async function dispatch(): Promise<void> {
  const running: Promise<void>[] = [];
  let claimed = 0;
  while (claimed < total) {
    const batch = await store.claimDue(nowMicros(), claimBatch, 'bench');
    claimed += batch.length;
    for (const record of batch) running.push(complete(record));
    if (batch.length === 0) await tick();
  }
  await Promise.all(running);
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all([dispatch(), ...Array.from({ length: producers }, produce)]);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
// CPU time per cycle is the steadier figure on a shared machine: wall time includes other loads.
console.log(
  `${total} cycles, ${producers} producers, claim batch ${claimBatch}: ${seconds.toFixed(2)} s, ` +
    `${Math.round(total / seconds)} cycles/s, CPU ${((cpu.user + cpu.system) / total).toFixed(1)} µs/cycle ` +
    `(${(cpu.system / total).toFixed(1)} system)`,
);
await store.close();
rmSync(dir, { recursive: true, force: true });
