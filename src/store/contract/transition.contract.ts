/** Conditional status changes and what changes with them. */
import { describe, expect, it } from 'vitest';
import { makeExecution } from './fixtures.ts';
import { hexId, useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;

export function transitionContract(open: OpenStore): void {
  describe('transition', () => {
    const ctx = useStore(open);

    it('changes the status, appends one log entry and returns the stored record', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'scheduled', startTimestamp: T });
      await store.createExecution(record);
      const updated = await store.transition({
        id: record.id,
        from: ['scheduled'],
        to: 'running',
        at: T + 10,
      });
      expect(updated).toEqual({
        ...record,
        status: 'running',
        log: [...record.log, { timestamp: T + 10, status: 'running' }],
      });
      expect(await store.getExecution(record.id)).toEqual(updated);
    });

    it('applies when the current status is any of `from`', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'paused' });
      await store.createExecution(record);
      const from = ['running', 'paused', 'pausing'] as const;
      expect((await store.transition({ id: record.id, from, to: 'resuming', at: T }))?.status).toBe(
        'resuming',
      );
    });

    it('refuses, changing nothing, when the status is not in `from`', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'succeeded', endTimestamp: T + 1 });
      await store.createExecution(record, { json: '{"ok":true}', size: 11 });
      const refused = await store.transition({
        id: record.id,
        from: ['running', 'requested'],
        to: 'canceled',
        at: T + 5,
        endTimestamp: T + 5,
        result: { json: '{"ok":false}', size: 12 },
        contextPatch: { x: 1 },
        runnerInfo: { y: 2 },
      });
      expect(refused).toBeUndefined();
      expect(await store.getExecution(record.id)).toEqual({ ...record, resultSize: 11 });
      expect(await store.getResults([record.id])).toEqual(new Map([[record.id, '{"ok":true}']]));
    });

    it('answers undefined for an unknown id or an empty `from`', async () => {
      const { store } = ctx();
      expect(
        await store.transition({ id: hexId(404), from: ['requested'], to: 'scheduled', at: T }),
      ).toBeUndefined();
      const record = makeExecution();
      await store.createExecution(record);
      expect(await store.transition({ id: record.id, from: [], to: 'scheduled', at: T })).toBeUndefined();
    });

    it('appends log entries in order over a whole life', async () => {
      const { store } = ctx();
      const record = makeExecution({ startTimestamp: T });
      await store.createExecution(record);
      await store.transition({ id: record.id, from: ['requested'], to: 'scheduled', at: T + 1 });
      await store.transition({ id: record.id, from: ['scheduled'], to: 'running', at: T + 2 });
      const done = await store.transition({ id: record.id, from: ['running'], to: 'succeeded', at: T + 3 });
      expect(done?.log).toEqual([
        { timestamp: T, status: 'requested' },
        { timestamp: T + 1, status: 'scheduled' },
        { timestamp: T + 2, status: 'running' },
        { timestamp: T + 3, status: 'succeeded' },
      ]);
    });

    it('sets the end timestamp when given and keeps it otherwise', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'running' });
      await store.createExecution(record);
      const ended = await store.transition({
        id: record.id,
        from: ['running'],
        to: 'canceling',
        at: T,
        endTimestamp: T,
      });
      expect(ended?.endTimestamp).toBe(T);
      const later = await store.transition({ id: record.id, from: ['canceling'], to: 'canceled', at: T + 9 });
      expect(later?.endTimestamp).toBe(T);
    });

    it('replaces the result apart from the row and records its size; no result keeps the old one', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'running' });
      await store.createExecution(record);
      const first = '{"stdout":"hi\\n","return_code":0}';
      const done = await store.transition({
        id: record.id,
        from: ['running'],
        to: 'succeeded',
        at: T,
        result: { json: first, size: first.length },
      });
      expect(done?.resultSize).toBe(first.length);
      expect(done).not.toHaveProperty('result');
      expect(await store.getResults([record.id])).toEqual(new Map([[record.id, first]]));

      const second = '{"error":"replaced"}';
      await store.transition({
        id: record.id,
        from: ['succeeded'],
        to: 'failed',
        at: T + 1,
        result: { json: second, size: 99 },
      });
      const kept = await store.transition({ id: record.id, from: ['failed'], to: 'abandoned', at: T + 2 });
      expect(kept?.resultSize).toBe(99);
      expect(await store.getResults([record.id])).toEqual(new Map([[record.id, second]]));
    });

    it('shallow-merges runner_info: replaces nested objects, keeps nulls, leaves other fields alone', async () => {
      const { store } = ctx();
      const liveaction = {
        action_is_workflow: false,
        callback: { source: 'x' },
        runner_info: { keep: 'k', nested: { x: 1 }, gone: 'soon' },
        notify: { 'on-success': { routes: ['a'] } },
      };
      const record = makeExecution({ status: 'scheduled', liveaction });
      await store.createExecution(record);
      const updated = await store.transition({
        id: record.id,
        from: ['scheduled'],
        to: 'running',
        at: T,
        runnerInfo: { nested: { y: 2 }, gone: null, added: [1, { a: 'b' }] },
      });
      expect(updated?.liveaction).toEqual({
        ...liveaction,
        runner_info: { keep: 'k', nested: { y: 2 }, gone: null, added: [1, { a: 'b' }] },
      });
    });

    it('shallow-merges the context patch the same way and touches nothing else', async () => {
      const { store } = ctx();
      const context = { user: 'alice', parent: { execution_id: hexId(1), extra: true }, n: 1 };
      const record = makeExecution({ status: 'running', context, parameters: { cmd: 'x' } });
      await store.createExecution(record);
      const updated = await store.transition({
        id: record.id,
        from: ['running'],
        to: 'paused',
        at: T,
        contextPatch: { parent: { execution_id: hexId(2) }, n: null, pause: { by: 'bob' } },
      });
      expect(updated?.context).toEqual({
        user: 'alice',
        parent: { execution_id: hexId(2) },
        n: null,
        pause: { by: 'bob' },
      });
      expect(updated?.parameters).toEqual({ cmd: 'x' });
      expect(updated?.liveaction).toEqual(record.liveaction);
    });

    it('accepts an owner (set and released) without changing the record', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'scheduled' });
      await store.createExecution(record);
      const owned = await store.transition({
        id: record.id,
        from: ['scheduled'],
        to: 'running',
        at: T,
        owner: 'w1',
      });
      const released = await store.transition({
        id: record.id,
        from: ['running'],
        to: 'succeeded',
        at: T + 1,
        owner: null,
      });
      expect(owned?.status).toBe('running');
      expect(released?.log).toHaveLength(3);
    });
  });
}
