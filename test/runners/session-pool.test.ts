/** The SSH session pool against a real sshd: what is kept, shared, and closed. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSshSessionPool } from '../../src/runners/remote-shell/session-pool.ts';
import type { SshTarget } from '../../src/runners/remote-shell/ssh-session.ts';
import { describeWithSshd } from '../helpers/describe-with-sshd.ts';
import { startTestSshd, type TestSshd } from '../helpers/sshd.ts';

let sshd: TestSshd;

describeWithSshd('SSH session pool', () => {
  beforeAll(async () => {
    sshd = await startTestSshd();
  });
  afterAll(async () => {
    await sshd?.close();
  });

  const target = (privateKey = sshd.privateKey): SshTarget => ({
    hostname: sshd.host,
    port: sshd.port,
    username: sshd.username,
    credentials: { privateKey: Buffer.from(privateKey) },
    bastion: undefined,
    connectTimeoutMs: 10_000,
    signal: new AbortController().signal,
  });

  it('keeps a released session for the next lease with the same login, and no other', async () => {
    const pool = createSshSessionPool({ idleMs: 60_000 });
    const first = await pool.lease(target());
    first.release();
    const second = await pool.lease(target());
    expect(second.session).toBe(first.session);
    const otherKey = await pool.lease({
      ...target(sshd.encryptedKey),
      credentials: { privateKey: Buffer.from(sshd.encryptedKey), passphrase: sshd.encryptedKeyPassphrase },
    });
    expect(otherKey.session).not.toBe(first.session);
    second.release();
    otherKey.release();
    pool.close();
    expect(first.session.alive).toBe(false);
    expect(otherKey.session.alive).toBe(false);
  });

  it('shares a connection between a few executions at once, then opens another', async () => {
    const pool = createSshSessionPool({ idleMs: 60_000, leasesPerConnection: 2 });
    const leases = await Promise.all([pool.lease(target()), pool.lease(target())]);
    // Opened side by side, both found nothing to share; a third shares the first with room.
    const third = await pool.lease(target());
    expect(leases.map((l) => l.session)).toContain(third.session);
    const fourth = await pool.lease(target());
    expect(
      [...leases.map((l) => l.session), third.session].filter((s) => s === fourth.session).length,
    ).toBeLessThan(2);
    for (const lease of [...leases, third, fourth]) lease.release();
    pool.close();
  });

  it('closes after each use with idle 0, after the idle time otherwise, and never hands out a dead session', async () => {
    const once = createSshSessionPool({ idleMs: 0 });
    const lease = await once.lease(target());
    lease.release();
    expect(lease.session.alive).toBe(false);

    const brief = createSshSessionPool({ idleMs: 100 });
    const kept = await brief.lease(target());
    kept.release();
    expect(kept.session.alive).toBe(true);
    await expect.poll(() => kept.session.alive, { timeout: 3000 }).toBe(false);

    const pool = createSshSessionPool({ idleMs: 60_000 });
    const dying = await pool.lease(target());
    dying.release();
    dying.session.close(); // as when the server drops the connection
    const fresh = await pool.lease(target());
    expect(fresh.session).not.toBe(dying.session);
    expect(fresh.session.alive).toBe(true);
    fresh.release();
    pool.close();
  });
});
