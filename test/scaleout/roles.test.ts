/**
 * `--role` and `--lease-timeout` as a user meets them without PostgreSQL: roles other than `all`
 * need a shared database and say so in one line; and the dispatcher's lease heartbeat, which on
 * the embedded store too is how a running action learns that it was canceled or taken away
 * behind its back (here, by a second connection to the same SQLite file).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { nowMicros } from '../../src/domain/time.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { ROOT } from '../helpers/processes.ts';
import { startTestSquall, type TestSquall } from '../helpers/squall.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('--role', () => {
  it('defaults to all, takes SQUALL_ROLE and SQUALL_LEASE_TIMEOUT, and checks its values', () => {
    expect(loadConfig([], {}).role).toBe('all');
    expect(loadConfig([], {}).leaseTimeoutSeconds).toBe(30);
    const pg = { SQUALL_DATABASE_URL: 'postgres://db/squall' };
    expect(loadConfig([], { ...pg, SQUALL_ROLE: 'worker', SQUALL_LEASE_TIMEOUT: '9' })).toMatchObject({
      role: 'worker',
      leaseTimeoutSeconds: 9,
    });
    expect(loadConfig(['--role', 'api'], pg).role).toBe('api');
    expect(() => loadConfig(['--role', 'cook'], pg)).toThrow('--role must be one of api, worker, all');
    expect(() => loadConfig(['--lease-timeout', '0'], pg)).toThrow(
      '--lease-timeout must be a positive integer',
    );
  });

  it('gives actions the API to call back: its own by default, else --api-url / SQUALL_API_URL', () => {
    expect(loadConfig(['--port', '9200'], {}).apiUrl).toBe('http://127.0.0.1:9200/api/v1');
    const pg = { SQUALL_DATABASE_URL: 'postgres://db/squall' };
    expect(loadConfig(['--role', 'worker', '--api-url', 'http://lb:9101/api/v1'], pg).apiUrl).toBe(
      'http://lb:9101/api/v1',
    );
    expect(loadConfig([], { SQUALL_API_URL: 'http://api.internal/api/v1' }).apiUrl).toBe(
      'http://api.internal/api/v1',
    );
  });

  it('refuses api and worker roles on SQLite with one clear line', async () => {
    for (const role of ['api', 'worker']) {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', join(ROOT, 'src', 'main.ts'), 'serve', '--role', role],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      expect(code).toBe(2);
      expect(err.trimEnd().split('\n')).toEqual([
        `squall: --role ${role} needs a shared PostgreSQL database (--database postgres://…); the embedded SQLite store serves one process, so use --role all`,
      ]);
    }
  });
});

describe('lease heartbeat on the embedded store', () => {
  let squall: TestSquall | undefined;
  afterEach(async () => {
    await squall?.close();
    squall = undefined;
  });

  async function startSleeper(s: TestSquall): Promise<{ id: string; pid: number }> {
    const pidFile = join(s.dataDir, `sleeper-${Date.now()}.pid`);
    const res = await s.api('/api/v1/executions', {
      method: 'POST',
      json: { action: 'core.local', parameters: { cmd: `sleep 60 & echo $! > ${pidFile}; wait` } },
    });
    const { id } = (await res.json()) as { id: string };
    await s.waitFor(id, ['running']);
    for (;;) {
      try {
        return { id, pid: Number(readFileSync(pidFile, 'utf8').trim()) };
      } catch {
        await sleep(20);
      }
    }
  }

  it('stops a run another process moved to canceling, and one whose lease another process ended', async () => {
    // A 1 s lease: renewed about every 333 ms.
    squall = await startTestSquall({ leaseTimeoutSeconds: 1 });
    const other = openSqliteStore({ path: join(squall.dataDir, 'squall.db') });
    try {
      const canceled = await startSleeper(squall);
      // As an API process on a shared database would: canceling, and no notification arrives.
      await other.transition({ id: canceled.id, from: ['running'], to: 'canceling', at: nowMicros() });
      expect((await squall.waitFor(canceled.id))['status']).toBe('canceled');
      for (let i = 0; alive(canceled.pid) && i < 200; i++) await sleep(25);
      expect(alive(canceled.pid)).toBe(false);

      const taken = await startSleeper(squall);
      // As a reaper elsewhere would, having found the lease expired: the run is no longer ours.
      const at = nowMicros();
      await other.transition({
        id: taken.id,
        from: ['running'],
        to: 'abandoned',
        at,
        endTimestamp: at,
        owner: null,
      });
      for (let i = 0; alive(taken.pid) && i < 200; i++) await sleep(25);
      expect(alive(taken.pid)).toBe(false);
      expect((await squall.waitFor(taken.id))['status']).toBe('abandoned');
    } finally {
      await other.close();
    }
  }, 30_000);
});
