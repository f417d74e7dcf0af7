/**
 * Leases: a claim lasts until its lease runs out unless the owner renews it; whoever finds a lease
 * expired ends the execution once, however many processes look at the same time.
 */
import { describe, expect, it } from 'vitest';
import type { ExecutionRecord } from '../../domain/types.ts';
import type { Store } from '../store.ts';
import { makeExecution } from './fixtures.ts';
import { hexId, idsOf, useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;
const S = 1_000_000;
const LOST = { json: '{"error":"lease expired"}', size: 25 };

async function create(store: Store, ...records: ExecutionRecord[]): Promise<void> {
  for (const r of records) await store.createExecution(r);
}

export function leasesContract(open: OpenStore): void {
  describe('leases', () => {
    const ctx = useStore(open);

    it('renewLeases extends only the owner’s in-flight executions and reports their status', async () => {
      const { store } = ctx();
      const [a, b, c] = [1, 2, 3].map((n) => makeExecution({ id: hexId(n), startTimestamp: T }));
      await create(store, a!, b!, c!);
      expect(idsOf(await store.claimDue(T, 2, 'w1', T + 10 * S))).toEqual([a!.id, b!.id]);
      expect(idsOf(await store.claimDue(T, 2, 'w2', T + 10 * S))).toEqual([c!.id]);
      await store.transition({ id: a!.id, from: ['scheduled'], to: 'running', at: T + 1 });
      await store.transition({ id: b!.id, from: ['scheduled'], to: 'canceled', at: T + 2, owner: null });

      const held = await store.renewLeases('w1', [a!.id, b!.id, c!.id], T + 20 * S);
      expect(held).toEqual([{ id: a!.id, status: 'running' }]);
      expect(await store.renewLeases('w1', [], T + 20 * S)).toEqual([]);
      // Renewed: not expired at T + 15 s, while w2's claim (not renewed) is.
      const expired = await store.expireLeases(T + 15 * S, 10, LOST);
      expect(idsOf(expired)).toEqual([c!.id]);
      expect((await store.getExecution(a!.id))?.status).toBe('running');
    });

    it('releaseLeases lets an execution carry on without an owner, so it is never reaped', async () => {
      const { store } = ctx();
      const [workflow, other] = [1, 2].map((n) => makeExecution({ id: hexId(n), startTimestamp: T }));
      await create(store, workflow!, other!);
      await store.claimDue(T, 2, 'w1', T + S);
      await store.transition({ id: workflow!.id, from: ['scheduled'], to: 'running', at: T + 1 });
      await store.releaseLeases('w2', [workflow!.id]); // not w2's: nothing changes
      await store.releaseLeases('w1', [workflow!.id]);
      await store.releaseLeases('w1', []);
      // Released: neither renewed by its former owner nor reaped; the other claim lapses as usual.
      expect(await store.renewLeases('w1', [workflow!.id, other!.id], T + S)).toEqual([
        { id: other!.id, status: 'scheduled' },
      ]);
      expect(idsOf(await store.expireLeases(T + 10 * S, 10, LOST))).toEqual([other!.id]);
      expect((await store.getExecution(workflow!.id))?.status).toBe('running');
    });

    it('expireLeases requeues scheduled, abandons running and finishes canceling executions', async () => {
      const { store } = ctx();
      const [queued, running, canceling, mine, unleased] = [1, 2, 3, 4, 5].map((n) =>
        makeExecution({ id: hexId(n), startTimestamp: T }),
      );
      await create(store, queued!, running!, canceling!, mine!);
      await store.claimDue(T, 3, 'dead', T + S);
      await store.claimDue(T, 1, 'alive', T + S);
      await store.transition({ id: running!.id, from: ['scheduled'], to: 'running', at: T + 1 });
      await store.transition({ id: canceling!.id, from: ['scheduled'], to: 'running', at: T + 1 });
      await store.transition({ id: canceling!.id, from: ['running'], to: 'canceling', at: T + 2 });
      await create(store, { ...unleased!, status: 'running', log: [{ timestamp: T, status: 'running' }] });

      expect(await store.expireLeases(T + S, 10, LOST)).toEqual([]); // not before expiry
      const at = T + 2 * S;
      const changed = await store.expireLeases(at, 10, LOST, 'alive');
      expect(idsOf(changed)).toEqual([queued!.id, running!.id, canceling!.id]);
      const [requeued, abandoned, canceled] = changed;
      expect(requeued?.status).toBe('requested');
      expect(requeued?.endTimestamp).toBeNull();
      expect(requeued?.log.at(-1)).toEqual({ timestamp: at, status: 'requested' });
      expect(abandoned?.status).toBe('abandoned');
      expect(abandoned?.endTimestamp).toBe(at);
      expect(abandoned?.context['lease_expired']).toEqual({ worker: 'dead', expired_at: T + S });
      expect(abandoned?.resultSize).toBe(LOST.size);
      expect((await store.getResults([abandoned!.id])).get(abandoned!.id)).toBe(LOST.json);
      expect(canceled?.status).toBe('canceled');
      expect(canceled?.endTimestamp).toBe(at);
      expect(await store.getResults([canceled!.id])).toEqual(new Map());
      // The requeued one is due again, at once, for anybody.
      expect(idsOf(await store.claimDue(at, 10, 'other', at + S))).toEqual([queued!.id]);
      // Excepted owner's and lease-less executions stay; nothing is ended twice.
      expect((await store.getExecution(mine!.id))?.status).toBe('scheduled');
      expect((await store.getExecution(unleased!.id))?.status).toBe('running');
      expect(idsOf(await store.expireLeases(at, 10, LOST))).toEqual([mine!.id]);
      expect(await store.expireLeases(at, 10, LOST)).toEqual([]);
    });

    it('leaseOwners names the workers holding leases; expireLeases ends a dead owner’s at once', async () => {
      const { store } = ctx();
      const [a, b, c] = [1, 2, 3].map((n) => makeExecution({ id: hexId(n), startTimestamp: T }));
      await create(store, a!, b!, c!);
      expect(await store.leaseOwners()).toEqual([]);
      await store.claimDue(T, 2, 'gone', T + 60 * S);
      await store.claimDue(T, 1, 'alive', T + 60 * S);
      await store.transition({ id: a!.id, from: ['scheduled'], to: 'running', at: T + 1 });
      expect((await store.leaseOwners()).sort()).toEqual(['alive', 'gone']);
      // Long before expiry: only the owner said to be dead loses its leases.
      const changed = await store.expireLeases(T + S, 10, LOST, 'alive', ['gone', 'nobody']);
      expect(idsOf(changed)).toEqual([a!.id, b!.id]);
      expect(changed.map((r) => r.status)).toEqual(['abandoned', 'requested']);
      expect(changed[0]?.context['lease_expired']).toEqual({ worker: 'gone', expired_at: T + 60 * S });
      expect((await store.getExecution(c!.id))?.status).toBe('scheduled');
      expect(await store.leaseOwners()).toEqual(['alive']);
    });

    it('a transition that changes the owner ends the lease', async () => {
      const { store } = ctx();
      const record = makeExecution({ startTimestamp: T });
      await create(store, record);
      await store.claimDue(T, 1, 'w', T + S);
      await store.transition({ id: record.id, from: ['scheduled'], to: 'requested', at: T + 1, owner: null });
      expect(await store.expireLeases(T + 5 * S, 10, LOST)).toEqual([]);
      expect(await store.renewLeases('w', [record.id], T + 9 * S)).toEqual([]);
    });

    it('claims without a lease never expire', async () => {
      const { store } = ctx();
      const record = makeExecution({ startTimestamp: T });
      await create(store, record);
      await store.claimDue(T, 1, 'w');
      expect(await store.expireLeases(T + 1000 * S, 10, LOST)).toEqual([]);
    });

    it('two processes expiring at once end each lease exactly once', async () => {
      const { store, connectAgain } = ctx();
      const other = await connectAgain();
      const records = Array.from({ length: 40 }, (_, i) =>
        makeExecution({ id: hexId(i + 1), startTimestamp: T }),
      );
      await create(store, ...records);
      await store.claimDue(T, 40, 'dead', T + S);
      const reap = async (reaper: Store) => {
        const got: string[] = [];
        for (;;) {
          const batch = await reaper.expireLeases(T + 2 * S, 3, LOST);
          if (batch.length === 0) return got;
          got.push(...idsOf(batch));
        }
      };
      const [first, second] = await Promise.all([reap(store), reap(other)]);
      const all = [...first, ...second];
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual(idsOf(records));
    });
  });

  describe('getExecutions / getOutputChunks / outputAfter', () => {
    const ctx = useStore(open);

    it('read executions and output chunks by id, in id order, skipping unknown ones', async () => {
      const { store } = ctx();
      const [a, b] = [1, 2].map((n) => makeExecution({ id: hexId(n), startTimestamp: T }));
      await create(store, b!, a!);
      expect(await store.getExecutions([b!.id, 'f'.repeat(24), a!.id])).toEqual([a, b]);
      expect(await store.getExecutions([])).toEqual([]);
      const ids = await store.appendOutput([
        { executionId: a!.id, timestamp: T, outputType: 'stdout', data: 'one\n' },
        { executionId: b!.id, timestamp: T + 1, outputType: 'stderr', data: 'two\n' },
        { executionId: a!.id, timestamp: T + 2, outputType: 'stdout', data: 'three\n' },
      ]);
      const [first, second, third] = ids as [number, number, number];
      const chunks = await store.getOutputChunks([third, first, 999_999_999]);
      expect(chunks).toEqual([
        {
          id: first,
          executionId: a!.id,
          actionRef: 'core.local',
          runnerRef: 'local-shell-cmd',
          timestamp: T,
          outputType: 'stdout',
          data: 'one\n',
        },
        {
          id: third,
          executionId: a!.id,
          actionRef: 'core.local',
          runnerRef: 'local-shell-cmd',
          timestamp: T + 2,
          outputType: 'stdout',
          data: 'three\n',
        },
      ]);
      expect(await store.getOutputChunks([])).toEqual([]);
      expect((await store.outputAfter(first, 10)).map((c) => c.id)).toEqual([second, third]);
      expect((await store.outputAfter(0, 2)).map((c) => c.id)).toEqual([first, second]);
    });
  });
}
