/**
 * Status changes that ride out a database blip, on a real SQLite store whose `transition` is made to
 * fail the way a dropped connection makes it fail: before the change, or after it (answer lost).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeExecution } from '../../store/contract/fixtures.ts';
import { openSqliteStore } from '../../store/sqlite/index.ts';
import type { Store, Transition } from '../../store/store.ts';
import { transitionRetrying } from './transition-retry.ts';

const T = 1_700_000_000_000_000;
let dir: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'squall-retry-'));
  store = openSqliteStore({ path: join(dir, 'retry.db') });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The store, with its next `failures` transitions failing `before` or `after` applying. */
function flaky(failures: number, when: 'before' | 'after'): Store {
  let left = failures;
  return new Proxy(store, {
    get(target, key) {
      if (key !== 'transition') {
        const value = Reflect.get(target, key, target) as unknown;
        // The store keeps private fields: its methods must run on the store itself.
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return async (change: Transition) => {
        if (left <= 0) return target.transition(change);
        left--;
        if (when === 'after') await target.transition(change);
        throw new Error('Connection terminated unexpectedly');
      };
    },
  });
}

describe('transitionRetrying', () => {
  const running = (at: number): Transition => ({ id: '', from: ['scheduled'], to: 'running', at });

  it('retries a change the database never got', async () => {
    const record = makeExecution({ status: 'scheduled', startTimestamp: T });
    await store.createExecution(record);
    const done = await transitionRetrying(flaky(2, 'before'), { ...running(T + 1), id: record.id }, 5000);
    expect(done?.status).toBe('running');
    expect(done?.log.map((l) => l.status)).toEqual(['scheduled', 'running']);
  });

  it('recognises its own change when only the answer was lost', async () => {
    const record = makeExecution({ status: 'scheduled', startTimestamp: T });
    await store.createExecution(record);
    const done = await transitionRetrying(flaky(1, 'after'), { ...running(T + 1), id: record.id }, 5000);
    expect(done?.status).toBe('running');
    expect(done?.log.map((l) => l.status)).toEqual(['scheduled', 'running']);
  });

  it('does not take somebody else’s change for its own', async () => {
    const record = makeExecution({ status: 'scheduled', startTimestamp: T });
    await store.createExecution(record);
    const failing = flaky(1, 'before');
    await store.transition({ id: record.id, from: ['scheduled'], to: 'running', at: T + 5 });
    expect(await transitionRetrying(failing, { ...running(T + 1), id: record.id }, 5000)).toBeUndefined();
  });

  it('gives up after the time allowed', async () => {
    const record = makeExecution({ status: 'scheduled', startTimestamp: T });
    await store.createExecution(record);
    await expect(
      transitionRetrying(flaky(1000, 'before'), { ...running(T + 1), id: record.id }, 200),
    ).rejects.toThrow('Connection terminated unexpectedly');
  });
});
