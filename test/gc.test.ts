/** `squall gc`: one garbage collection pass over a data directory, as an operator runs it. */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { makeExecution } from '../src/store/contract/fixtures.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const DAY = 24 * 3600 * 1_000_000;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('squall gc', () => {
  it('deletes executions and output past their TTLs and reports how many', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'squall-gc-cli-'));
    dirs.push(dataDir);
    const store = openSqliteStore({ path: join(dataDir, 'squall.db') });
    const now = Date.now() * 1000;
    const old = makeExecution({
      status: 'succeeded',
      startTimestamp: now - 40 * DAY,
      endTimestamp: now - 40 * DAY,
    });
    const week = makeExecution({
      status: 'succeeded',
      startTimestamp: now - 10 * DAY,
      endTimestamp: now - 10 * DAY,
    });
    const today = makeExecution({ status: 'succeeded', startTimestamp: now, endTimestamp: now });
    for (const record of [old, week, today]) {
      await store.createExecution(record);
      await store.appendOutput([
        { executionId: record.id, timestamp: record.startTimestamp, outputType: 'stdout', data: 'x\n' },
      ]);
    }
    await store.close();

    const { stdout } = await run(
      process.execPath,
      [
        '--import',
        'tsx',
        join(ROOT, 'src', 'main.ts'),
        'gc',
        '--data-dir',
        dataDir,
        '--executions-ttl-days',
        '30',
      ],
      { cwd: ROOT, env: { ...process.env, SQUALL_OUTPUT_TTL_DAYS: '7' } },
    );
    expect(JSON.parse(stdout)).toEqual({ deleted: { executions: 1, output: 1 } });

    const after = openSqliteStore({ path: join(dataDir, 'squall.db') });
    expect(await after.getExecution(old.id)).toBeUndefined();
    expect(await after.getExecution(week.id)).toBeDefined();
    expect(await after.listOutput(week.id)).toEqual([]);
    expect(await after.listOutput(today.id)).toHaveLength(1);
    await after.close();
  });
});
