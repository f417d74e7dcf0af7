/**
 * A worker killed with SIGKILL mid-run: its lease stops being renewed, so within the lease timeout
 * another process ends its execution `abandoned` (saying why), while the other worker keeps
 * working. Skipped, saying so, when PostgreSQL is not reachable.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { linesOf, run, startCluster, waitFor, type Cluster, type SquallProcess } from './cluster.ts';

const reason = await unreachableReason();
if (reason) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping the scale-out tests`,
  );
}

/** Process groups of a process's children: a killed worker leaves its actions' groups behind. */
function childGroups(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pgid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

describe.skipIf(reason !== undefined)('a worker killed mid-run', () => {
  let cluster: Cluster;
  let apiUrl: string;
  let workers: SquallProcess[];
  const leftovers: number[] = [];

  beforeAll(async () => {
    cluster = await startCluster({ leaseTimeoutSeconds: 3 });
    apiUrl = (await cluster.start('api')).url;
    // Four runs at a time each: five long runs need both workers.
    const small = ['--runner-pool-size', '4'];
    workers = await Promise.all([cluster.start('worker', small), cluster.start('worker', small)]);
  }, 90_000);

  afterAll(async () => {
    for (const group of leftovers) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await cluster?.close();
  }, 30_000);

  it('ends its execution abandoned within the lease timeout; the other worker goes on', async () => {
    const started = join(cluster.dir, 'started.log');
    // More long runs than one worker takes at once, so that both hold some.
    const long = await Promise.all(
      Array.from({ length: 5 }, () =>
        run(apiUrl, `echo "$ST2_ACTION_EXECUTION_ID $PPID" >> ${started}; sleep 60`),
      ),
    );
    for (const e of long) await waitFor(apiUrl, String(e['id']), ['running']);
    const deadline = Date.now() + 20_000;
    while (linesOf(started).length < long.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const byWorker = (w: SquallProcess): string[] =>
      linesOf(started)
        .filter((l) => Number(l.split(' ')[1]) === w.child.pid)
        .map((l) => l.split(' ')[0] ?? '');
    // The victim is the busier one, so the survivor has free slots for new work.
    const [victim, survivor] = [...(workers as [SquallProcess, SquallProcess])].sort(
      (a, b) => byWorker(b).length - byWorker(a).length,
    ) as [SquallProcess, SquallProcess];
    const victimPid = victim.child.pid ?? 0;
    const onVictim = byWorker(victim);
    const onSurvivor = byWorker(survivor);
    expect(onVictim.length).toBeGreaterThan(0);
    expect(onSurvivor.length).toBeGreaterThan(0);

    leftovers.push(...childGroups(victimPid));
    victim.child.kill('SIGKILL');
    await victim.exited;

    // Abandoned once the 3 s lease runs out (plus a reaper pass); the wait allows far more.
    for (const id of onVictim) {
      const doc = await waitFor(apiUrl, id, ['abandoned', 'succeeded', 'failed', 'canceled'], 20_000);
      expect(doc['status']).toBe('abandoned');
      expect(doc['result']['error']).toMatch(/stopped renewing its lease/);
      expect(doc['context']['lease_expired']['worker']).toContain(`:${victimPid}:`);
    }
    // The survivor's runs are untouched, and it still takes new work.
    for (const id of onSurvivor) expect((await waitFor(apiUrl, id, ['running']))['status']).toBe('running');
    const quick = await run(apiUrl, 'echo still here');
    const done = await waitFor(apiUrl, String(quick['id']));
    expect(done['status']).toBe('succeeded');
    expect(done['result']['stdout']).toBe('still here');
    expect(survivor.child.exitCode).toBeNull();

    // Cancel the survivor's long runs (through the API, which does not run them).
    for (const id of onSurvivor) {
      await fetch(`${apiUrl}/api/v1/executions/${id}`, { method: 'DELETE' });
      expect((await waitFor(apiUrl, id))['status']).toBe('canceled');
    }
  }, 120_000);
});
