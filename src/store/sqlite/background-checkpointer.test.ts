import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeExecution } from '../contract/fixtures.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

async function until(check: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('background WAL checkpoints', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'squall-checkpoint-'));
    path = join(dir, 'squall.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed pages into the database file from another thread, not inside commits', async () => {
    const store = openSqliteStore({ path, backgroundCheckpointMs: 20 });
    const execution = makeExecution({});
    await store.createExecution(execution);
    const data = 'x'.repeat(64 * 1024);
    // 24 MiB of output: with checkpoints inside commits, none would be taken below 64 MiB of WAL.
    for (let i = 0; i < 384; i++) {
      await store.appendOutput([{ executionId: execution.id, timestamp: i, outputType: 'stdout', data }]);
    }
    await until(() => statSync(path).size >= 24 * 1024 * 1024, 'the database file holds the output');
    await store.close();

    const db = new Database(path, { readonly: true });
    const row = db
      .prepare(
        'SELECT count(*) AS n, sum(length(data)) AS bytes FROM execution_output WHERE execution_id = ?',
      )
      .get(execution.id) as { n: number; bytes: number };
    db.close();
    expect(row).toEqual({ n: 384, bytes: 384 * 64 * 1024 });
  });
});
