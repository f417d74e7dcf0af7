/**
 * Scratch benchmark of the engine's per-execution store work on PostgreSQL, shaped like the SQLite
 * one (`store-cycle-sqlite.ts`): `producers` concurrent API requests each inserting
 * executions; `dispatchers` claiming due ones in batches (claim → scheduled) and completing each in
 * its own flow (running with runner_info, then succeeded with a result). Prints completed cycles
 * per second. Runs in a throwaway schema of SQUALL_TEST_DATABASE_URL.
 *   npx tsx bench/store-cycle-postgres.ts [executions=20000] [producers=64] [claimBatch=64]
 *     [poolSize=10] [dispatchers=1]
 */
import { nowMicros } from '../src/domain/time.ts';
import type { ExecutionRecord } from '../src/domain/types.ts';
import { makeExecution } from '../src/store/contract/fixtures.ts';
import type { Store } from '../src/store/store.ts';
import { openPostgresStore } from '../src/store/postgres/open-postgres-store.ts';
import { dropSchema, freshSchemaName, TEST_DATABASE_URL } from '../src/store/postgres/test-database.ts';

const total = Number(process.argv[2] ?? 20_000);
const producers = Number(process.argv[3] ?? 64);
const claimBatch = Number(process.argv[4] ?? 64);
const poolSize = Number(process.argv[5] ?? 10);
const dispatchers = Number(process.argv[6] ?? 1);
const schema = freshSchemaName();
const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize });
// Each dispatcher is a worker process of its own in production: give each its own pool.
const workers: Store[] = [];
for (let i = 0; i < dispatchers; i++) {
  workers.push(await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize }));
}
const result = JSON.stringify({ stdout: 'hi\n', stderr: '', return_code: 0, succeeded: true, failed: false });
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
// The engine sleeps until a wake-up (a new execution, a due timer) rather than spinning on an
// empty queue; spinning here would measure round trips of empty claims, not the cycle.
const idle = () => new Promise<void>((resolve) => setTimeout(resolve, 1));

let toCreate = total;
async function produce(): Promise<void> {
  while (toCreate-- > 0) await store.createExecution(makeExecution());
}

async function complete(worker: Store, record: ExecutionRecord): Promise<void> {
  const runnerInfo = { hostname: 'bench', pid: process.pid };
  await worker.transition({ id: record.id, from: ['scheduled'], to: 'running', at: nowMicros(), runnerInfo });
  await tick(); // the action runs
  const at = nowMicros();
  const done = { json: result, size: result.length };
  await worker.transition({
    id: record.id,
    from: ['running'],
    to: 'succeeded',
    at,
    endTimestamp: at,
    result: done,
  });
}

let claimed = 0;
let claims = 0;
async function dispatch(worker: Store, owner: string): Promise<void> {
  const running: Promise<void>[] = [];
  while (claimed < total) {
    const batch = await worker.claimDue(nowMicros(), claimBatch, owner);
    claims += 1;
    claimed += batch.length;
    for (const record of batch) running.push(complete(worker, record));
    if (batch.length === 0) await idle();
  }
  await Promise.all(running);
}

const started = performance.now();
const cpuBefore = process.cpuUsage();
await Promise.all([
  ...workers.map((w, i) => dispatch(w, `bench-${i}`)),
  ...Array.from({ length: producers }, produce),
]);
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `${total} cycles, ${producers} producers, ${dispatchers} dispatcher(s), claim batch ${claimBatch}, ` +
    `pool ${poolSize}, ${claims} claims: ${seconds.toFixed(2)} s, ${Math.round(total / seconds)} cycles/s, ` +
    `client CPU ${((cpu.user + cpu.system) / total).toFixed(1)} µs/cycle`,
);
await Promise.all([store, ...workers].map((s) => s.close()));
await dropSchema(schema);
