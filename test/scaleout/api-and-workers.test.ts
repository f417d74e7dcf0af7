/**
 * The README's example of Squall across machines, on one machine: one API process and two worker
 * processes sharing a PostgreSQL schema. A batch of executions created through the API is run by
 * the workers (a third of them delayed), each execution exactly once (every run appends a line to one file: the lines are
 * counted), and both workers take part. Skipped, saying so, when PostgreSQL is not reachable.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { linesOf, run, startCluster, waitFor, type Cluster, type Doc } from './cluster.ts';

const reason = await unreachableReason();
if (reason) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping the scale-out tests`,
  );
}

describe.skipIf(reason !== undefined)('one API process and two workers', () => {
  let cluster: Cluster;
  let apiUrl: string;

  beforeAll(async () => {
    cluster = await startCluster();
    // As the README shows it: the API first (it applies the migrations), then the workers.
    apiUrl = (await cluster.start('api')).url;
    await Promise.all([cluster.start('worker'), cluster.start('worker')]);
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  it('runs every execution of a batch exactly once, on both workers', async () => {
    const log = join(cluster.dir, 'runs.log');
    const count = 120;
    const created: Doc[] = [];
    // Created in parallel bursts so that both workers keep claiming at the same time.
    // Every third one is delayed (300 ms): both workers' timers fire when it becomes due.
    for (let i = 0; i < count; i += 20) {
      const burst = Array.from({ length: Math.min(20, count - i) }, (_, j) =>
        run(
          apiUrl,
          `echo "$ST2_ACTION_EXECUTION_ID $PPID" >> ${log}; sleep 0.05`,
          (i + j) % 3 === 0 ? { delay: 300 } : {},
        ),
      );
      created.push(...(await Promise.all(burst)));
    }
    const done = await Promise.all(created.map((c) => waitFor(apiUrl, String(c['id']))));
    expect(done.map((d) => d['status'])).toEqual(done.map(() => 'succeeded'));
    const delayed = done.filter((d) => d['delay'] === 300);
    expect(delayed).toHaveLength(count / 3);
    for (const d of delayed) expect(d['log'].map((l: Doc) => l['status'])).toContain('delayed');

    const lines = linesOf(log);
    const ran = lines.map((l) => l.split(' ')[0]);
    expect(ran).toHaveLength(count);
    expect(new Set(ran)).toEqual(new Set(created.map((c) => c['id'])));

    // The API process ran nothing: every run's shell is the child of one of the two workers ($PPID).
    const runners = new Set(lines.map((l) => Number(l.split(' ')[1])));
    expect(runners).toEqual(new Set(cluster.processes.slice(1).map((p) => p.child.pid)));
  }, 120_000);

  it('serves the API only on the API process: a worker listens on no port', async () => {
    const worker = cluster.processes[1];
    expect(worker?.role).toBe('worker');
    expect(worker?.logs()).toContain('"role":"worker"');
    expect(worker?.logs()).not.toContain('Server listening');
  });
});
