/**
 * Logged-in SSH sessions kept for the next execution on the same host, user and credentials.
 * StackStorm logs in afresh for every execution, which costs a key exchange and an authentication
 * (about 0.2 s here) before each remote command; workflows that run many remote tasks pay it every
 * time. A pool with an idle time of 0 keeps nothing and behaves as StackStorm does.
 */
import { createHash } from 'node:crypto';
import { SshSession, type SshTarget } from './ssh-session.ts';

export interface SshSessionPool {
  /** A session to `target`: a kept one with room, else a new login. */
  lease(target: SshTarget): Promise<SessionLease>;
  /** Logs every kept session out (shutdown). */
  close(): void;
}

export interface SessionLease {
  session: SshSession;
  /** Gives the session back; it is kept for `idleMs`, or closed when the pool keeps nothing. */
  release(): void;
}

export interface SessionPoolOptions {
  /** How long an unused session is kept; 0 closes each one after its execution. */
  idleMs: number;
  /**
   * Executions sharing one connection at once. Each may hold up to three channels (its command,
   * a kill, SFTP); OpenSSH allows 10 per connection (MaxSessions).
   */
  leasesPerConnection?: number;
}

interface Kept {
  session: SshSession;
  leases: number;
  idle: NodeJS.Timeout | undefined;
}

export function createSshSessionPool(options: SessionPoolOptions): SshSessionPool {
  const perConnection = options.leasesPerConnection ?? 3;
  const kept = new Map<string, Kept[]>();

  const drop = (key: string, entry: Kept): void => {
    clearTimeout(entry.idle);
    entry.session.close();
    const list = (kept.get(key) ?? []).filter((e) => e !== entry);
    if (list.length > 0) kept.set(key, list);
    else kept.delete(key);
  };

  const leaseOf = (key: string, entry: Kept): SessionLease => {
    clearTimeout(entry.idle);
    entry.idle = undefined;
    entry.leases++;
    let released = false;
    return {
      session: entry.session,
      release: () => {
        if (released) return;
        released = true;
        entry.leases--;
        if (entry.leases > 0) return;
        if (options.idleMs <= 0 || !entry.session.alive) {
          drop(key, entry);
          return;
        }
        entry.idle = setTimeout(() => drop(key, entry), options.idleMs);
        entry.idle.unref();
      },
    };
  };

  return {
    async lease(target) {
      const key = keyOf(target);
      for (const entry of kept.get(key) ?? []) {
        if (!entry.session.alive) drop(key, entry);
        else if (entry.leases < perConnection) return leaseOf(key, entry);
      }
      const entry: Kept = { session: await SshSession.open(target), leases: 0, idle: undefined };
      kept.set(key, [...(kept.get(key) ?? []), entry]);
      return leaseOf(key, entry);
    },
    close() {
      for (const [key, list] of [...kept]) for (const entry of list) drop(key, entry);
    },
  };
}

/** Sessions are shared only between logins that would be identical, secrets included. */
function keyOf(target: SshTarget): string {
  const { credentials } = target;
  const secret = createHash('sha256')
    .update(
      JSON.stringify([
        credentials.password ?? null,
        credentials.privateKey?.toString('base64') ?? null,
        credentials.passphrase ?? null,
        credentials.agent ?? null,
      ]),
    )
    .digest('hex');
  const via = target.bastion ? `${target.bastion.hostname}:${target.bastion.port}` : '';
  return `${target.username}@${target.hostname}:${target.port}|${via}|${secret}`;
}
