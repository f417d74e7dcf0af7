import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeExecution } from '../store/contract/fixtures.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';
import type { Store } from '../store/store.ts';
import { collectGarbage, RetentionTimer } from './retention.ts';

const DAY = 24 * 3600 * 1_000_000;
const NOW = 1_800_000_000_000_000;

let dir: string;
let store: Store;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-gc-'));
  store = openSqliteStore({ path: join(dir, 'gc.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function seed(count: number, ageDays: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const record = makeExecution({
      status: 'succeeded',
      startTimestamp: NOW - ageDays * DAY - i,
      endTimestamp: NOW - ageDays * DAY,
    });
    await store.createExecution(record);
    await store.appendOutput([
      { executionId: record.id, timestamp: NOW - ageDays * DAY, outputType: 'stdout', data: 'x\n' },
    ]);
    ids.push(record.id);
  }
  return ids;
}

describe('collectGarbage', () => {
  it('deletes old executions across many batches and keeps recent ones', async () => {
    const old = await seed(25, 40);
    const recent = await seed(3, 1);
    const report = await collectGarbage(
      store,
      { executionsTtlDays: 30, outputTtlDays: 0, batchSize: 4 },
      NOW,
    );
    expect(report).toEqual({ executions: 25, output: 0 });
    for (const id of old) expect(await store.getExecution(id)).toBeUndefined();
    for (const id of recent) expect(await store.getExecution(id)).toBeDefined();
  });

  it('deletes only output past its TTL (7 days by default), keeping the executions', async () => {
    const old = await seed(3, 8);
    const recent = await seed(2, 2);
    const report = await collectGarbage(
      store,
      { executionsTtlDays: 0, outputTtlDays: 7, batchSize: 100 },
      NOW,
    );
    expect(report).toEqual({ executions: 0, output: 3 });
    for (const id of old) {
      expect(await store.getExecution(id)).toBeDefined();
      expect(await store.listOutput(id)).toEqual([]);
    }
    for (const id of recent) expect(await store.listOutput(id)).toHaveLength(1);
  });

  it('does nothing when both TTLs are off, and the timer runs passes periodically', async () => {
    await seed(2, 400);
    expect(
      await collectGarbage(store, { executionsTtlDays: 0, outputTtlDays: 0, batchSize: 10 }, NOW),
    ).toEqual({ executions: 0, output: 0 });
    const reports: unknown[] = [];
    const timer = new RetentionTimer(
      store,
      { executionsTtlDays: 30, outputTtlDays: 7, batchSize: 10 },
      {
        intervalMs: 50,
        now: () => NOW,
        onReport: (r) => reports.push(r),
        onError: (e) => reports.push(e),
      },
    );
    timer.start();
    await new Promise((r) => setTimeout(r, 200));
    await timer.stop();
    expect(reports).toEqual([{ executions: 2, output: 0 }]);
  });
});
