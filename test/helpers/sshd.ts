/**
 * Starts a private, real OpenSSH server (/usr/sbin/sshd) on 127.0.0.1 for a test. Its host key,
 * config, client keys and authorized_keys all live in one temp dir, so nothing in /etc/ssh or
 * ~/.ssh is read or changed, and several instances can run side by side.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './processes.ts';

export const SSHD = '/usr/sbin/sshd';
const SETPRIV = '/usr/bin/setpriv';
const PASSPHRASE = 's3cret';
const LOG_LINES = 200;
const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
// Another process can take the free port between our check and sshd's bind; a new port fixes that.
const BIND_ATTEMPTS = 4;

const execFileAsync = promisify(execFile);

export interface TestSshd {
  host: '127.0.0.1';
  port: number;
  /** The user tests log in as: the current OS user (root in CI). */
  username: string;
  /** OpenSSH-format ed25519 private key, no passphrase; its public key is authorised. */
  privateKey: string;
  /** The same key on disk (mode 0600), for the `ssh` binary's `-i`. */
  privateKeyFile: string;
  /** An RSA key in PEM format ("-----BEGIN RSA PRIVATE KEY-----"), encrypted; also authorised. */
  encryptedKey: string;
  encryptedKeyPassphrase: string;
  /** The temp dir holding keys, config and pid file. */
  dir: string;
  /** Stops sshd (connections already open keep their own process until they close) and removes `dir`. */
  close(): Promise<void>;
}

/** Whether this machine can run the server: /usr/sbin/sshd exists and is executable. */
export function sshdAvailable(): boolean {
  try {
    accessSync(SSHD, constants.X_OK);
    return statSync(SSHD).isFile();
  } catch {
    return false;
  }
}

export async function startTestSshd(): Promise<TestSshd> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-sshd-'));
  try {
    const keys = await generateKeys(dir);
    ensurePrivsepDir();
    const { child, port } = await launchOnFreePort(dir);
    return running(child, port, dir, keys);
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

interface Keys {
  privateKey: string;
  privateKeyFile: string;
  encryptedKey: string;
}

/** Host key plus the two client keys, and an authorized_keys that lets both in. */
async function generateKeys(dir: string): Promise<Keys> {
  const privateKeyFile = join(dir, 'id_ed25519');
  const rsaFile = join(dir, 'id_rsa_pem');
  await Promise.all([
    keygen(join(dir, 'host_ed25519'), ['-t', 'ed25519', '-N', '']),
    keygen(privateKeyFile, ['-t', 'ed25519', '-N', '']),
    // -m PEM: the legacy "BEGIN RSA PRIVATE KEY" format, so tests cover that parser path too.
    keygen(rsaFile, ['-t', 'rsa', '-b', '2048', '-m', 'PEM', '-N', PASSPHRASE]),
  ]);
  const authorized = [privateKeyFile, rsaFile].map((f) => readFileSync(`${f}.pub`, 'utf8').trim());
  writeFileSync(join(dir, 'authorized_keys'), `${authorized.join('\n')}\n`, { mode: 0o600 });
  chmodSync(privateKeyFile, 0o600);
  const encryptedKey = readFileSync(rsaFile, 'utf8');
  if (!encryptedKey.startsWith('-----BEGIN RSA PRIVATE KEY-----'))
    throw new Error(`ssh-keygen -m PEM wrote an unexpected format:\n${encryptedKey.split('\n')[0]}`);
  return { privateKey: readFileSync(privateKeyFile, 'utf8'), privateKeyFile, encryptedKey };
}

async function keygen(file: string, args: string[]): Promise<void> {
  await execFileAsync('ssh-keygen', ['-q', ...args, '-C', 'squall-test', '-f', file]);
}

/** sshd refuses to start without its privilege-separation dir, which only its service scripts create. */
function ensurePrivsepDir(): void {
  try {
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  } catch {
    // Not root, or a read-only /run: sshd itself then says what is missing, and that ends up in our error.
  }
}

function sshdConfig(dir: string, port: number): string {
  return [
    'ListenAddress 127.0.0.1',
    `Port ${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The temp dir and its files are not laid out like ~/.ssh; StrictModes would reject them.
    'StrictModes no',
    // No PAM: no /etc/pam.d/sshd needed, and no pam_loginuid, which fails inside containers. sshd
    // then checks the account itself: a locked one (shadow password starting with "!") cannot log
    // in even with a key, and the log says "account is locked".
    'UsePAM no',
    'PermitRootLogin yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    // Tests open many sessions and connections at once; the defaults (10, 10:30:100) drop some.
    'MaxSessions 50',
    'MaxStartups 100',
    'UseDNS no',
    '',
  ].join('\n');
}

/** Picks a free port and starts sshd on it, trying a new port when the bind loses a race. */
async function launchOnFreePort(dir: string): Promise<{ child: ChildProcess; port: number }> {
  const configPath = join(dir, 'sshd_config');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    writeFileSync(configPath, sshdConfig(dir, port));
    try {
      return { child: await launch(configPath, port), port };
    } catch (error) {
      const bindLost =
        error instanceof SshdStartError && /Address already in use|Cannot bind/i.test(error.log);
      if (!bindLost || attempt >= BIND_ATTEMPTS) throw error;
    }
  }
}

class SshdStartError extends Error {
  constructor(
    message: string,
    readonly log: string,
  ) {
    super(`${message}\n--- sshd stderr (last ${LOG_LINES} lines) ---\n${log}`);
  }
}

/** Spawns sshd in the foreground and resolves once it answers with an SSH banner. */
async function launch(configPath: string, port: number): Promise<ChildProcess> {
  // -D: stay in the foreground (so we own the pid); -e: log to stderr instead of syslog.
  // sshd re-executes itself per connection, which is why it must be started by absolute path.
  const args = ['-D', '-e', '-f', configPath];
  // setpriv (util-linux, always on Debian) makes the kernel SIGKILL sshd when this process dies in a
  // way no JS handler sees (SIGKILL, OOM); it then execs sshd, so the pid stays sshd's.
  const child = existsSync(SETPRIV)
    ? spawn(SETPRIV, ['--pdeathsig', 'SIGKILL', SSHD, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(SSHD, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const log = logTail(child);
  // Settles with the reason if sshd dies; raced against each probe so a port taken by something
  // that is not sshd (and never sends a banner) does not cost a probe timeout to notice.
  const ended = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(`could not run ${child.spawnfile}: ${error.message}`));
    child.once('exit', (code, signal) => resolve(`sshd exited early (code ${code}, signal ${signal})`));
  });
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const banner = await Promise.race([readsBanner(port), ended]);
    if (typeof banner === 'string') {
      // The last lines (the reason) may still be in the pipe.
      await Promise.race([new Promise((r) => child.stderr?.once('end', r)), sleep(200)]);
      throw new SshdStartError(banner, log());
    }
    if (banner) return child;
    if (Date.now() > deadline) {
      await stop(child);
      throw new SshdStartError(
        `sshd sent no SSH banner on 127.0.0.1:${port} within ${READY_TIMEOUT_MS} ms`,
        log(),
      );
    }
    await sleep(50);
  }
}

/** Keeps the last LOG_LINES lines of sshd's stderr, for error messages. */
function logTail(child: ChildProcess): () => string {
  const lines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
    if (lines.length > LOG_LINES) lines.splice(0, lines.length - LOG_LINES);
  });
  return () => [...lines, ...(partial ? [partial] : [])].join('\n');
}

/** Whether something on the port accepts a connection and greets with `SSH-2.0-`. */
function readsBanner(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('SSH-2.0-')) done(true);
      else if (received.length > 8_192) done(false);
    });
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}

function running(child: ChildProcess, port: number, dir: string, keys: Keys): TestSshd {
  const untrack = track(() => {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  let closing: Promise<void> | undefined;
  return {
    host: '127.0.0.1',
    port,
    username: userInfo().username,
    ...keys,
    encryptedKeyPassphrase: PASSPHRASE,
    dir,
    close() {
      closing ??= (async () => {
        untrack();
        await stop(child);
        rmSync(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}

/*
 * A test run that crashes or forgets close() must not leave sshd listening forever. 'exit' covers
 * process.exit() and a normal end; vitest ends its fork workers with SIGTERM, which skips 'exit',
 * so the usual end signals are caught too while any sshd is running (and released after).
 */
const live = new Set<() => void>();
const END_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** Registers a synchronous kill-and-clean-up; returns the function that unregisters it. */
function track(killNow: () => void): () => void {
  if (live.size === 0) {
    process.on('exit', killLive);
    for (const signal of END_SIGNALS) process.on(signal, onEndSignal);
  }
  live.add(killNow);
  return () => {
    live.delete(killNow);
    if (live.size === 0) unhook();
  };
}

function killLive(): void {
  for (const killNow of live) killNow();
  live.clear();
  unhook();
}

function onEndSignal(signal: NodeJS.Signals): void {
  killLive();
  // Listening replaced Node's default of dying on the signal: re-raise it, unless another listener
  // (say, a server under test shutting down gracefully) has taken charge.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

function unhook(): void {
  process.off('exit', killLive);
  for (const signal of END_SIGNALS) process.off(signal, onEndSignal);
}

/** SIGTERM, then SIGKILL if sshd has not exited after STOP_GRACE_MS. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'late'>((r) => (timer = setTimeout(() => r('late'), STOP_GRACE_MS)));
    const late = (await Promise.race([exited, grace])) === 'late';
    clearTimeout(timer);
    if (late) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  // Per-connection sshd processes inherit the stderr pipe and outlive the listener; reading on
  // would keep this test process alive until their clients disconnect.
  child.stderr?.destroy();
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
