/**
 * The contract's claim race runs two connections in one process; here separate processes claim
 * from the same file at the same time, so SQLite's locking (BEGIN IMMEDIATE + busy timeout) is
 * what keeps them apart.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { makeExecution } from '../contract/fixtures.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

const STORE_MODULE = fileURLToPath(new URL('./open-sqlite-store.ts', import.meta.url));

// Each claimer says "ready", waits for "go" on stdin so all start together, then claims one at a
// time until the queue is empty and prints the ids it got.
const CLAIMER = `
const { openSqliteStore } = await import(process.env.STORE_MODULE);
const store = openSqliteStore({ path: process.env.DB_PATH });
process.stdout.write('ready\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
const ids = [];
for (;;) {
  const batch = await store.claimDue(Number.MAX_SAFE_INTEGER, 1, process.env.OWNER);
  if (batch.length === 0) break;
  ids.push(...batch.map((r) => r.id));
}
await store.close();
process.stdout.write(JSON.stringify(ids) + '\\n');
process.exit(0);
`;

interface Claimer {
  ready: Promise<void>;
  go: () => void;
  ids: Promise<string[]>;
}

function startClaimer(path: string, owner: string): Claimer {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CLAIMER], {
    env: { ...process.env, STORE_MODULE, DB_PATH: path, OWNER: owner },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) signalReady();
  });
  const ids = new Promise<string[]>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`claimer ${owner} exited with ${code}`));
      resolve(JSON.parse(out.slice('ready\n'.length)) as string[]);
    });
  });
  return { ready, go: () => child.stdin.end('go\n'), ids };
}

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('claimers in separate processes never get the same execution', async () => {
  dir = mkdtempSync(join(tmpdir(), 'squall-claims-'));
  const path = join(dir, 'squall.db');
  const store = openSqliteStore({ path });
  // Enough work that every claimer is still claiming when the slowest one wakes up to "go".
  const records = Array.from({ length: 3000 }, () => makeExecution());
  await Promise.all(records.map((r) => store.createExecution(r)));
  await store.close();

  const claimers = ['w1', 'w2', 'w3'].map((owner) => startClaimer(path, owner));
  await Promise.all(claimers.map((c) => c.ready));
  for (const c of claimers) c.go();
  const results = await Promise.all(claimers.map((c) => c.ids));

  const all = results.flat();
  expect(new Set(all).size).toBe(all.length);
  expect(all.sort()).toEqual(records.map((r) => r.id).sort());
  // They did race: more than one process won some.
  expect(results.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
}, 60_000);
