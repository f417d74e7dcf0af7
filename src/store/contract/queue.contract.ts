/**
 * The queue: `requested`/`delayed` executions become due at start + delay (milliseconds) and are
 * claimed oldest-due first, each by exactly one claimer.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../domain/types.ts';
import type { Store } from '../store.ts';
import { makeExecution } from './fixtures.ts';
import { hexId, idsOf, useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;
const MS = 1000;

async function create(store: Store, ...records: ExecutionRecord[]): Promise<void> {
  for (const r of records) await store.createExecution(r);
}

export function queueContract(open: OpenStore): void {
  describe('claimDue', () => {
    const ctx = useStore(open);

    it('claims due requested and delayed executions by run time, then id, moving them to scheduled', async () => {
      const { store } = ctx();
      const a = makeExecution({ id: hexId(1), startTimestamp: T - 1000 });
      const b = makeExecution({ id: hexId(2), startTimestamp: T - 5000, delay: 3 }); // due T - 2000
      const c = makeExecution({ id: hexId(3), status: 'delayed', startTimestamp: T - 10_000, delay: 5 }); // T - 5000
      const future = makeExecution({ id: hexId(4), startTimestamp: T - 100, delay: 10 }); // T + 9900
      const running = makeExecution({ id: hexId(5), status: 'running', startTimestamp: T - 99_999 });
      const dueNow = makeExecution({ id: hexId(6), startTimestamp: T });
      const tie = makeExecution({ id: hexId(0), startTimestamp: T }); // same run time, lower id
      await create(store, a, b, c, future, running, dueNow, tie);

      const claimed = await store.claimDue(T, 10, 'w1');
      expect(idsOf(claimed)).toEqual([c.id, b.id, a.id, tie.id, dueNow.id]);
      expect(claimed[1]).toEqual({
        ...b,
        status: 'scheduled',
        log: [...b.log, { timestamp: T, status: 'scheduled' }],
      });
      for (const record of claimed) expect(await store.getExecution(record.id)).toEqual(record);
      expect(await store.claimDue(T, 10, 'w1')).toEqual([]);
      expect((await store.getExecution(future.id))?.status).toBe('requested');
      expect(idsOf(await store.claimDue(T + 9900, 10, 'w1'))).toEqual([future.id]);
    });

    it('claims at most `limit`, the rest on the next call', async () => {
      const { store } = ctx();
      const records = [1, 2, 3, 4, 5].map((n) => makeExecution({ id: hexId(n), startTimestamp: T + n }));
      await create(store, ...records.reverse());
      expect(idsOf(await store.claimDue(T + 10, 2, 'w'))).toEqual([hexId(1), hexId(2)]);
      expect(await store.claimDue(T + 10, 0, 'w')).toEqual([]);
      expect(idsOf(await store.claimDue(T + 10, 10, 'w'))).toEqual([hexId(3), hexId(4), hexId(5)]);
    });

    it('never hands the same execution to two claimers', async () => {
      const { store, connectAgain } = ctx();
      const other = await connectAgain();
      const records = Array.from({ length: 60 }, (_, i) => makeExecution({ startTimestamp: T + i }));
      await create(store, ...records);
      const claimLoop = async (claimer: Store, owner: string) => {
        const got: string[] = [];
        for (;;) {
          const batch = await claimer.claimDue(T + 100, 3, owner);
          if (batch.length === 0) return got;
          got.push(...idsOf(batch));
        }
      };
      const [first, second] = await Promise.all([claimLoop(store, 'w1'), claimLoop(other, 'w2')]);
      const all = [...first, ...second];
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(idsOf(records).sort());
      expect(first.length).toBeGreaterThan(0);
      expect(second.length).toBeGreaterThan(0);
    });

    it('does not claim executions that left the queue', async () => {
      const { store } = ctx();
      const canceled = makeExecution({ startTimestamp: T });
      await create(store, canceled);
      await store.transition({
        id: canceled.id,
        from: ['requested'],
        to: 'canceled',
        at: T,
        endTimestamp: T,
      });
      expect(await store.claimDue(T + 1, 10, 'w')).toEqual([]);
      expect(await store.nextDueAt()).toBeUndefined();
    });

    it('re-queues on a transition into requested/delayed: due at `runAt`, else at once', async () => {
      const { store } = ctx();
      const later = makeExecution({ id: hexId(1), status: 'scheduled', startTimestamp: T });
      const now = makeExecution({ id: hexId(2), status: 'scheduled', startTimestamp: T });
      await create(store, later, now);
      await store.transition({
        id: later.id,
        from: ['scheduled'],
        to: 'delayed',
        at: T + 1,
        runAt: T + 2500 * MS,
      });
      await store.transition({ id: now.id, from: ['scheduled'], to: 'requested', at: T + 2, owner: null });
      expect(await store.nextDueAt()).toBe(T + 2);
      expect(idsOf(await store.claimDue(T + 2, 10, 'w'))).toEqual([now.id]);
      expect(await store.nextDueAt()).toBe(T + 2500 * MS);
      expect(await store.claimDue(T + 2500 * MS - 1, 10, 'w')).toEqual([]);
      expect(idsOf(await store.claimDue(T + 2500 * MS, 10, 'w'))).toEqual([later.id]);
    });

    it('keeps the run time when moving between requested and delayed without `runAt`', async () => {
      const { store } = ctx();
      const record = makeExecution({ startTimestamp: T, delay: 50 });
      await create(store, record);
      await store.transition({ id: record.id, from: ['requested'], to: 'delayed', at: T + 1 });
      expect(await store.nextDueAt()).toBe(T + 50 * MS);
    });
  });

  describe('markDelayed / nextDueAt', () => {
    const ctx = useStore(open);

    it('moves requested executions due in the future to delayed, with a log entry', async () => {
      const { store } = ctx();
      const due = makeExecution({ id: hexId(1), startTimestamp: T });
      const soon = makeExecution({ id: hexId(2), startTimestamp: T, delay: 100 });
      const later = makeExecution({ id: hexId(3), startTimestamp: T, delay: 200 });
      const alreadyDelayed = makeExecution({
        id: hexId(4),
        status: 'delayed',
        startTimestamp: T,
        delay: 300,
      });
      await create(store, later, due, alreadyDelayed, soon);

      const delayed = await store.markDelayed(T);
      expect(idsOf(delayed)).toEqual([soon.id, later.id]);
      expect(delayed[0]).toEqual({
        ...soon,
        status: 'delayed',
        log: [...soon.log, { timestamp: T, status: 'delayed' }],
      });
      expect((await store.getExecution(due.id))?.status).toBe('requested');
      expect(await store.getExecution(alreadyDelayed.id)).toEqual(alreadyDelayed);
      expect(await store.markDelayed(T)).toEqual([]);

      expect(idsOf(await store.claimDue(T, 10, 'w'))).toEqual([due.id]);
      expect(idsOf(await store.claimDue(T + 250 * MS, 10, 'w'))).toEqual([soon.id, later.id]);
    });

    it('nextDueAt is the earliest run time in the queue, ignoring other statuses', async () => {
      const { store } = ctx();
      expect(await store.nextDueAt()).toBeUndefined();
      await create(
        store,
        makeExecution({ status: 'running', startTimestamp: T - 1_000_000 }),
        makeExecution({ status: 'scheduled', startTimestamp: T - 1_000_000 }),
        makeExecution({ startTimestamp: T, delay: 40 }),
        makeExecution({ status: 'delayed', startTimestamp: T, delay: 30 }),
      );
      expect(await store.nextDueAt()).toBe(T + 30 * MS);
      await store.claimDue(T + 30 * MS, 1, 'w');
      expect(await store.nextDueAt()).toBe(T + 40 * MS);
      await store.claimDue(T + 40 * MS, 1, 'w');
      expect(await store.nextDueAt()).toBeUndefined();
    });
  });
}
