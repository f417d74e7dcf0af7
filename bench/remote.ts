/**
 * The SSH runner against a private OpenSSH server on 127.0.0.1 (the test helper's), compared with
 * OpenSSH's own client doing the same work:
 *   - per-execution cost of `core.remote cmd=true` (a login, a command, the result stored) against
 *     `ssh host true` (a login and a command), and with the login kept between executions (the
 *     default). What remains then is mostly sshd starting the login shell for each command: OpenSSH's
 *     own multiplexed `ssh host true` (ControlMaster) takes about as long;
 *   - output capture: MB/s of a remote command printing 64 MB through Squall into the store, against
 *     `ssh host '…' > /dev/null` and against a bare reader on ssh2, the SSH library Squall uses
 *     (pure JavaScript, so the floor for a Node client).
 * Run: npx tsx bench/remote.ts  (needs /usr/sbin/sshd: apt-get install openssh-server)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ssh2';
import { sshdAvailable, startTestSshd, type TestSshd } from '../test/helpers/sshd.ts';
import {
  buildSquall,
  percentile,
  runSeconds,
  runToEnd,
  startSquall,
  type ExecutionDoc,
  type Squall,
} from './support.ts';

const ROUNDS = 30;
const MEGABYTES = 64;
const PRODUCER = `head -c ${MEGABYTES * 1024 * 1024} /dev/zero | tr '\\0' x | fold -w 1023`;

/** One core.remote run, which must succeed, and its time from the request to completion. */
async function runRemote(squall: Squall, parameters: object): Promise<{ doc: ExecutionDoc; ms: number }> {
  const started = performance.now();
  // Polled every 5 ms: the run itself takes only tens of milliseconds.
  const doc = await runToEnd(squall, { action: 'core.remote', parameters }, 5);
  if (doc.status !== 'succeeded') throw new Error(`core.remote ended ${doc.status}`);
  return { doc, ms: performance.now() - started };
}

function sshArgs(sshd: TestSshd, command: string): string[] {
  return [
    '-i',
    sshd.privateKeyFile,
    '-p',
    String(sshd.port),
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'LogLevel=ERROR',
    `${sshd.username}@${sshd.host}`,
    command,
  ];
}

function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

async function main(): Promise<void> {
  if (!sshdAvailable()) {
    console.log('skipped: /usr/sbin/sshd is not installed (apt-get install openssh-server)');
    return;
  }
  buildSquall();
  const sshd = await startTestSshd();
  const dataDir = mkdtempSync(join(tmpdir(), 'squall-bench-remote-'));
  process.env.SQUALL_SSH_USER = sshd.username;
  process.env.SQUALL_SSH_KEY_FILE = sshd.privateKeyFile;
  try {
    await measure(sshd, dataDir);
  } finally {
    await sshd.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function measure(sshd: TestSshd, dataDir: string): Promise<void> {
  const hosts = `${sshd.host}:${sshd.port}`;
  const bare: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const started = performance.now();
    execFileSync('ssh', sshArgs(sshd, 'true'));
    bare.push(performance.now() - started);
  }
  // First as StackStorm works (a login per execution), then with logins kept for reuse (default).
  process.env.SQUALL_SSH_REUSE_SECONDS = '0';
  const fresh = await startSquall(dataDir);
  const perLogin: number[] = [];
  try {
    await runRemote(fresh, { hosts, cmd: 'true' }); // warm-up
    for (let i = 0; i < ROUNDS; i++) perLogin.push((await runRemote(fresh, { hosts, cmd: 'true' })).ms);
  } finally {
    await fresh.stop();
  }
  delete process.env.SQUALL_SSH_REUSE_SECONDS;
  const squall = await startSquall(dataDir);
  try {
    await runRemote(squall, { hosts, cmd: 'true' }); // warm-up, and the login kept
    const reused: number[] = [];
    for (let i = 0; i < ROUNDS; i++) reused.push((await runRemote(squall, { hosts, cmd: 'true' })).ms);
    console.log(`core.remote cmd=true, ${ROUNDS} runs one after another:`);
    console.log(`  ssh host true (a login each):          median ${median(bare).toFixed(1)} ms`);
    console.log(`  Squall, a login each (StackStorm's way): median ${median(perLogin).toFixed(1)} ms`);
    console.log(`  Squall, login kept (default):            median ${median(reused).toFixed(1)} ms`);
    console.log(
      `  ratio login kept / a login each:         ${(median(reused) / median(perLogin)).toFixed(2)}`,
    );

    const bytes = MEGABYTES * 1024 * 1024;
    const bareMbps: number[] = [];
    const oursMbps: number[] = [];
    const ssh2Mbps = await bareSsh2Reader(sshd, bytes);
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const result = spawnSync('ssh', sshArgs(sshd, PRODUCER), { stdio: ['ignore', 'ignore', 'inherit'] });
      if (result.status !== 0) throw new Error(`ssh exited ${result.status}`);
      // Without its login (the median `ssh host true`), as Squall's kept login has none.
      bareMbps.push(bytes / 1e6 / ((performance.now() - started - median(bare)) / 1000));
      const { doc } = await runRemote(squall, { hosts, cmd: PRODUCER, timeout: 600 });
      oursMbps.push(bytes / 1e6 / runSeconds(doc));
    }
    const best = (values: number[]): number => Math.max(...values);
    console.log(`remote output capture, ${MEGABYTES} MB of 1 KiB lines (best of 3):`);
    console.log(`  ssh host '…' > /dev/null:  ${best(bareMbps).toFixed(0)} MB/s (its login time taken off)`);
    console.log(
      `  bare ssh2 reader (Node):   ${best(ssh2Mbps).toFixed(0)} MB/s (kept login, output discarded)`,
    );
    console.log(`  Squall into the store:     ${best(oursMbps).toFixed(0)} MB/s (running to stored)`);
    console.log(`  ratio Squall / ssh:        ${(best(oursMbps) / best(bareMbps)).toFixed(2)}`);
    console.log(`  ratio Squall / ssh2:       ${(best(oursMbps) / best(ssh2Mbps)).toFixed(2)}`);
  } finally {
    await squall.stop();
  }
}

/**
 * The floor for any SSH client written in Node: the ssh2 library Squall uses, reading the same
 * output on a kept login and discarding it.
 */
async function bareSsh2Reader(sshd: TestSshd, bytes: number): Promise<number[]> {
  const client = new Client();
  await new Promise<void>((resolve, reject) => {
    client.once('ready', () => resolve());
    client.once('error', reject);
    client.connect({
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
    });
  });
  const figures: number[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await new Promise<void>((resolve, reject) =>
        client.exec(PRODUCER, (err, channel) => {
          if (err) return reject(err);
          channel.on('close', () => resolve());
          channel.resume();
          channel.stderr.resume();
          channel.end();
        }),
      );
      figures.push(bytes / 1e6 / ((performance.now() - started) / 1000));
    }
  } finally {
    client.end();
  }
  return figures;
}

await main();
