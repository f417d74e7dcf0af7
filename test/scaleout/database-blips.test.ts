/**
 * PostgreSQL connections cut while a cluster works (the effect of a database restart on every
 * process, without disturbing anybody else's connections: only this cluster's backends are
 * terminated). Every process reconnects by itself: every execution still completes exactly once,
 * none is lost or left stuck, and the LISTEN connections come back, so streams on the API process
 * keep showing what workers do. Skipped, saying so, when PostgreSQL is not reachable.
 */
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { connectSse } from '../helpers/sse.ts';
import { linesOf, run, startCluster, waitFor, type Cluster, type Doc } from './cluster.ts';

const reason = await unreachableReason();
if (reason) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping the scale-out tests`,
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function listeners(applicationName: string): Promise<number> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    const result = await client.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%'`,
      [applicationName],
    );
    return (result.rows[0] as { n: number }).n;
  } finally {
    await client.end();
  }
}

describe.skipIf(reason !== undefined)('database connections cut mid-run', () => {
  let cluster: Cluster;
  let apiUrl: string;

  beforeAll(async () => {
    cluster = await startCluster({ leaseTimeoutSeconds: 5 });
    apiUrl = (await cluster.start('api')).url;
    await Promise.all([cluster.start('worker'), cluster.start('worker')]);
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  it('every execution completes exactly once, and every process reconnects', async () => {
    expect(await listeners(cluster.applicationName)).toBe(3);
    const log = join(cluster.dir, 'runs.log');
    const created: Doc[] = [];
    for (let i = 0; i < 4; i++) {
      const burst = Array.from({ length: 15 }, () =>
        run(apiUrl, `sleep 0.2; echo x; echo "$ST2_ACTION_EXECUTION_ID" >> ${log}; sleep 0.2`),
      );
      created.push(...(await Promise.all(burst)));
    }
    // Cut everything while the batch runs, again and again, so that some statements are caught
    // in flight (claims, status changes, output, lease renewals, notifications).
    let cut = 0;
    for (let i = 0; i < 8; i++) {
      await sleep(150);
      cut += await cluster.terminateConnections();
    }
    expect(cut).toBeGreaterThan(0);

    const done = await Promise.all(created.map((c) => waitFor(apiUrl, String(c['id']), undefined, 90_000)));
    expect(done.map((d) => d['status'])).toEqual(done.map(() => 'succeeded'));
    const ran = linesOf(log);
    expect(ran).toHaveLength(created.length);
    expect(new Set(ran)).toEqual(new Set(created.map((c) => c['id'])));

    // The LISTEN connections are back…
    const deadline = Date.now() + 20_000;
    while ((await listeners(cluster.applicationName)) < 3 && Date.now() < deadline) await sleep(100);
    expect(await listeners(cluster.applicationName)).toBe(3);
    // …and carry a worker's output to a stream on the API process again.
    const late = await run(apiUrl, 'sleep 1; echo after the blips; sleep 0.3');
    const stream = await connectSse(`${apiUrl}/stream/v1/executions/${String(late['id'])}/output`);
    await stream.closed;
    expect(stream.frames.map((f) => f.event)).toEqual(['st2.execution.output__create', 'EOF']);
    expect((JSON.parse(stream.frames[0]?.data ?? '{}') as Doc)['data']).toBe('after the blips\n');
  }, 180_000);
});
