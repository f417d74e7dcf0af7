/**
 * The SSH runner against a private OpenSSH server on 127.0.0.1 (the test helper's), compared with
 * OpenSSH's own client doing the same work:
 *   - per-execution cost of `core.remote cmd=true` (a login, a command, the result stored) against
 *     `ssh host true` (a login and a command);
 *   - output capture: MB/s of a remote command printing 64 MB through Squall into the store, against
 *     `ssh host '…' > /dev/null`.
 * Run: npx tsx bench/remote.ts  (needs /usr/sbin/sshd: apt-get install openssh-server)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sshdAvailable, startTestSshd, type TestSshd } from '../test/helpers/sshd.ts';
import { request } from './http-client.ts';
import { buildSquall, percentile, startSquall, timestampMillis, type Squall } from './support.ts';

const ROUNDS = 30;
const MEGABYTES = 64;
const PRODUCER = `head -c ${MEGABYTES * 1024 * 1024} /dev/zero | tr '\\0' x | fold -w 1023`;

interface Doc {
  id: string;
  status: string;
  start_timestamp: string;
  end_timestamp?: string;
  log: { timestamp: string; status: string }[];
}

async function runToEnd(squall: Squall, parameters: object): Promise<{ doc: Doc; ms: number }> {
  const started = performance.now();
  const created = JSON.parse(
    (await request(squall.url, 'POST', '/api/v1/executions', { action: 'core.remote', parameters })).body,
  ) as { id: string };
  for (;;) {
    const doc = JSON.parse(
      (await request(squall.url, 'GET', `/api/v1/executions/${created.id}?exclude_attributes=result`)).body,
    ) as Doc;
    if (['succeeded', 'failed', 'timeout', 'abandoned', 'canceled'].includes(doc.status)) {
      if (doc.status !== 'succeeded') throw new Error(`core.remote ended ${doc.status}`);
      return { doc, ms: performance.now() - started };
    }
    await new Promise((r) => setTimeout(r, 5));
  }
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
  const squall = await startSquall(dataDir);
  const hosts = `${sshd.host}:${sshd.port}`;
  try {
    await runToEnd(squall, { hosts, cmd: 'true' }); // warm-up

    const bare: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      execFileSync('ssh', sshArgs(sshd, 'true'));
      bare.push(performance.now() - started);
    }
    const ours: number[] = [];
    for (let i = 0; i < ROUNDS; i++) ours.push((await runToEnd(squall, { hosts, cmd: 'true' })).ms);
    console.log(`core.remote cmd=true, ${ROUNDS} runs one after another (a login each, as StackStorm):`);
    console.log(`  ssh host true:             median ${median(bare).toFixed(1)} ms`);
    console.log(`  Squall (API to stored):    median ${median(ours).toFixed(1)} ms`);
    console.log(`  ratio Squall / ssh:        ${(median(ours) / median(bare)).toFixed(2)}`);

    const bytes = MEGABYTES * 1024 * 1024;
    const bareMbps: number[] = [];
    const oursMbps: number[] = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      const result = spawnSync('ssh', sshArgs(sshd, PRODUCER), { stdio: ['ignore', 'ignore', 'inherit'] });
      if (result.status !== 0) throw new Error(`ssh exited ${result.status}`);
      bareMbps.push(bytes / 1e6 / ((performance.now() - started) / 1000));
      const { doc } = await runToEnd(squall, { hosts, cmd: PRODUCER, timeout: 600 });
      const running = doc.log.find((e) => e.status === 'running')?.timestamp ?? doc.start_timestamp;
      const seconds = (timestampMillis(doc.end_timestamp ?? '') - timestampMillis(running)) / 1000;
      oursMbps.push(bytes / 1e6 / seconds);
    }
    const best = (values: number[]): number => Math.max(...values);
    console.log(`remote output capture, ${MEGABYTES} MB of 1 KiB lines (best of 3):`);
    console.log(`  ssh host '…' > /dev/null:  ${best(bareMbps).toFixed(0)} MB/s (login included)`);
    console.log(`  Squall into the store:     ${best(oursMbps).toFixed(0)} MB/s (running to stored)`);
    console.log(`  ratio Squall / ssh:        ${(best(oursMbps) / best(bareMbps)).toFixed(2)}`);
  } finally {
    await squall.stop();
    await sshd.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
