/**
 * `npm run bench:scaleout`: Squall across processes on PostgreSQL, against the embedded SQLite
 * Squall in the same run:
 *   - noop and `core.local cmd=true` executions/s and POST→succeeded latency (32 clients), with one
 *     API process and 1, 2 and 4 worker processes sharing a PostgreSQL schema; the same load on one
 *     embedded Squall (SQLite, role all) as the reference;
 *   - p50/p99 of `GET /executions?limit=50`, plain and filtered, with 1,000,000 executions in
 *     PostgreSQL (bulk-inserted with SQL into a schema of its own, dropped at the end).
 * Every process shares this machine's cores with the load generator and PostgreSQL itself, so more
 * workers mean more processes per core: the figures show what a single host gives, not what more
 * hosts would. Options: BENCH_QUICK=1 for a short run; BENCH_HISTORY=<n> to change the history size.
 * Needs PostgreSQL at SQUALL_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  displayUrl,
  dropSchema,
  freshSchemaName,
  TEST_DATABASE_URL,
  unreachableReason,
} from '../src/store/postgres/test-database.ts';
import {
  bulkSeed,
  listLatency,
  printTable,
  runExecutions,
  startProcess,
  stopProcess,
  type Proc,
  type RunFigures,
} from './scaleout-support.ts';
import { buildSquall } from './support.ts';

const QUICK = process.env['BENCH_QUICK'] === '1';
const HISTORY = Number(process.env['BENCH_HISTORY'] ?? (QUICK ? 100_000 : 1_000_000));
const CONCURRENCY = 32;
const CASES = [
  { name: 'core.noop', body: { action: 'core.noop' }, total: QUICK ? 500 : 3000 },
  {
    name: 'core.local cmd=true',
    body: { action: 'core.local', parameters: { cmd: 'true' } },
    total: QUICK ? 300 : 1500,
  },
] as const;

const fmt = (n: number, digits = 1): string => n.toFixed(digits);

async function measure(url: string): Promise<RunFigures[]> {
  const figures: RunFigures[] = [];
  for (const c of CASES) {
    await runExecutions(url, c.body, 100, CONCURRENCY); // warm-up
    figures.push(await runExecutions(url, c.body, c.total, CONCURRENCY));
  }
  return figures;
}

/** One API process and `workers` worker processes on a fresh schema; dropped afterwards. */
async function cluster<T>(workers: number, work: (api: Proc, schema: string) => Promise<T>): Promise<T> {
  const schema = freshSchemaName();
  const dir = mkdtempSync(join(tmpdir(), 'squall-bench-scaleout-'));
  const args = ['--database', TEST_DATABASE_URL, '--database-schema', schema, '--data-dir', dir];
  const procs: Proc[] = [];
  try {
    const api = await startProcess(args, 'api');
    procs.push(api);
    for (let i = 0; i < workers; i++) procs.push(await startProcess(args, 'worker'));
    return await work(api, schema);
  } finally {
    await Promise.all(procs.map(stopProcess));
    await dropSchema(schema);
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const unreachable = await unreachableReason();
  if (unreachable) {
    console.error(
      `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${unreachable}): nothing to measure`,
    );
    process.exit(1);
  }
  console.log(`Squall scale-out benchmark — ${QUICK ? 'quick' : 'full'} run, ${CONCURRENCY} clients\n`);
  buildSquall();

  const rows: { setup: string; figures: RunFigures[] }[] = [];
  const sqliteDir = mkdtempSync(join(tmpdir(), 'squall-bench-sqlite-'));
  const embedded = await startProcess(['--data-dir', sqliteDir], 'all');
  try {
    rows.push({ setup: 'SQLite, 1 process (all)', figures: await measure(embedded.url) });
  } finally {
    await stopProcess(embedded);
    rmSync(sqliteDir, { recursive: true, force: true });
  }
  for (const workers of [1, 2, 4]) {
    const figures = await cluster(workers, (api) => measure(api.url));
    rows.push({ setup: `PostgreSQL, 1 api + ${workers} worker${workers > 1 ? 's' : ''}`, figures });
  }

  const reference = rows[0]?.figures ?? [];
  const onePg = rows[1]?.figures ?? [];
  CASES.forEach((c, i) => {
    console.log(`\n${c.name}: ${c.total} executions, POST → succeeded`);
    printTable(
      ['setup', 'exec/s', 'p50 ms', 'p99 ms', 'vs SQLite', 'vs 1 worker'],
      rows.map(({ setup, figures }) => {
        const f = figures[i];
        if (!f) return [setup];
        const sqlite = reference[i]?.perSecond ?? NaN;
        const one = onePg[i]?.perSecond ?? NaN;
        return [
          setup,
          fmt(f.perSecond, 0),
          fmt(f.p50, 2),
          fmt(f.p99, 2),
          `${fmt((f.perSecond / sqlite) * 100, 0)}%`,
          setup.startsWith('PostgreSQL') ? `${fmt(f.perSecond / one, 2)}x` : '',
        ];
      }),
    );
  });

  console.log(
    `\nGET /api/v1/executions with ${HISTORY.toLocaleString('en')} executions in PostgreSQL (1 api + 1 worker):`,
  );
  await cluster(1, async (api, schema) => {
    // Real executions first, so the clones embed real action and runner snapshots.
    for (const body of CASES) await runExecutions(api.url, body.body, 3, 1);
    await runExecutions(api.url, { action: 'core.echo', parameters: { message: 'seeded' } }, 3, 1);
    const seeded = await bulkSeed(schema, HISTORY);
    console.log(
      `  bulk-inserted ${HISTORY.toLocaleString('en')} rows (with results) and vacuumed in ${fmt(seeded.seconds, 1)} s`,
    );
    const rounds = QUICK ? 50 : 300;
    const lists = [
      ['plain', 'limit=50'],
      ['status+action', 'limit=50&status=succeeded&action=core.local'],
      ['st2web history', 'limit=50&parent=null&exclude_attributes=result%2Ctrigger_instance&offset=0'],
      ['action, page 20', 'limit=50&action=core.echo&offset=1000'],
    ] as const;
    const table: string[][] = [];
    for (const [name, query] of lists) {
      await listLatency(api.url, query, 10);
      const { p50, p99 } = await listLatency(api.url, query, rounds);
      table.push([name, query, fmt(p50, 2), fmt(p99, 2)]);
    }
    printTable(['query', 'parameters', 'p50 ms', 'p99 ms'], table);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
