/**
 * One `--role all` process on PostgreSQL, killed with SIGKILL and started again: its leases name a
 * process of this machine that is gone, so the new process ends them at once instead of after the
 * lease timeout (60 s here). Skipped, saying so, when PostgreSQL is not reachable.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { run, startCluster, waitFor, type Cluster } from './cluster.ts';

const reason = await unreachableReason();
if (reason) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping the scale-out tests`,
  );
}

describe.skipIf(reason !== undefined)('a lone process restarted after a crash', () => {
  let cluster: Cluster;

  beforeAll(async () => {
    cluster = await startCluster({ leaseTimeoutSeconds: 60 });
  }, 60_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  it("ends the dead process's running execution at once, not when its lease runs out", async () => {
    const first = await cluster.start('all');
    const pgidFile = join(cluster.dir, 'pgid');
    const long = await run(first.url, `echo $$ > ${pgidFile}; sleep 60`);
    await waitFor(first.url, String(long['id']), ['running']);
    while (!existsSync(pgidFile)) await new Promise((r) => setTimeout(r, 20));
    const pid = first.child.pid ?? 0;
    first.child.kill('SIGKILL');
    await first.exited;
    // Its action leads its own process group, which the crash left running: stop it.
    try {
      process.kill(-Number(readFileSync(pgidFile, 'utf8')), 'SIGKILL');
    } catch {
      // already gone
    }
    const started = Date.now();
    const second = await cluster.start('all');
    const doc = await waitFor(second.url, String(long['id']), ['abandoned', 'succeeded', 'failed'], 20_000);
    expect(doc['status']).toBe('abandoned');
    expect(doc['context']['lease_expired']['worker']).toContain(`:${pid}:`);
    // Well inside the 60 s lease: the reaper's first pass after the start ended it.
    expect(Date.now() - started).toBeLessThan(20_000);
    const quick = await run(second.url, 'echo after');
    expect((await waitFor(second.url, String(quick['id'])))['status']).toBe('succeeded');
  }, 90_000);
});
