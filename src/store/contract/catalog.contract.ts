/** Packs, actions and the content-addressed snapshots executions embed. */
import { describe, expect, it } from 'vitest';
import type { Action } from '../../domain/types.ts';
import { snapshotIdOf } from '../snapshot-id.ts';
import { makeAction } from './fixtures.ts';
import { hexId, idsOf, useStore, type OpenStore } from './harness.contract.ts';

export function catalogContract(open: OpenStore): void {
  describe('packs', () => {
    const ctx = useStore(open);

    it('saves, replaces and reads packs by ref', async () => {
      const { store } = ctx();
      expect(await store.getPack('core')).toBeUndefined();
      await store.savePack({
        ref: 'core',
        path: '/packs/core',
        metadata: { name: 'core', version: '1.0.0' },
      });
      await store.savePack({ ref: 'core', path: '/opt/core', metadata: { name: 'core', version: '2.0.0' } });
      expect(await store.getPack('core')).toEqual({
        ref: 'core',
        path: '/opt/core',
        metadata: { name: 'core', version: '2.0.0' },
      });
    });
  });

  describe('actions and snapshots', () => {
    const ctx = useStore(open);

    it('saves an action with the snapshot of its content, readable by ref and by id', async () => {
      const { store } = ctx();
      const action = makeAction();
      const stored = await store.saveAction(action);
      expect(stored).toEqual({ action, snapshotId: snapshotIdOf(action) });
      expect(await store.getAction('core.local')).toEqual(stored);
      expect(await store.getAction(action.id)).toEqual(stored);
      expect(await store.getSnapshots([stored.snapshotId])).toEqual(new Map([[stored.snapshotId, action]]));
      expect(await store.getAction('core.missing')).toBeUndefined();
      expect(await store.getAction(hexId(404))).toBeUndefined();
    });

    it('keeps the id of a ref saved again, and one snapshot per distinct content', async () => {
      const { store } = ctx();
      const first = await store.saveAction(makeAction({ id: hexId(1) }));
      const again = await store.saveAction(makeAction({ id: hexId(2) }));
      expect(again).toEqual(first);

      const changed = await store.saveAction(makeAction({ id: hexId(3), description: 'new text' }));
      expect(changed.action).toEqual(makeAction({ id: hexId(1), description: 'new text' }));
      expect(changed.snapshotId).not.toBe(first.snapshotId);
      expect(await store.getAction(hexId(1))).toEqual(changed);
      expect(await store.getAction(hexId(3))).toBeUndefined();
      // Executions created before the change still find the content they embedded.
      const snapshots = await store.getSnapshots([first.snapshotId, changed.snapshotId]);
      expect(snapshots.get(first.snapshotId)).toEqual(first.action);
      expect(snapshots.get(changed.snapshotId)).toEqual(changed.action);
    });

    it('keeps snapshots immutable: the first document stored under an id stays', async () => {
      const { store } = ctx();
      await store.putSnapshot(hexId(1), { name: 'first', n: 1 });
      await store.putSnapshot(hexId(1), { name: 'first', n: 1 });
      await store.putSnapshot(hexId(1), { name: 'second' });
      await store.putSnapshot(hexId(2), { name: 'other', nested: { ok: true } });
      expect(await store.getSnapshots([hexId(1), hexId(2), hexId(404)])).toEqual(
        new Map([
          [hexId(1), { name: 'first', n: 1 }],
          [hexId(2), { name: 'other', nested: { ok: true } }],
        ]),
      );
      expect(await store.getSnapshots([])).toEqual(new Map());
    });

    it('deletes an action by id; its snapshot stays', async () => {
      const { store } = ctx();
      const stored = await store.saveAction(makeAction());
      expect(await store.deleteAction(stored.action.id)).toBe(true);
      expect(await store.deleteAction(stored.action.id)).toBe(false);
      expect(await store.getAction('core.local')).toBeUndefined();
      expect((await store.listActions({}, { limit: null, offset: 0 })).total).toBe(0);
      expect((await store.getSnapshots([stored.snapshotId])).size).toBe(1);
    });
  });

  describe('listActions', () => {
    const ctx = useStore(open);
    const actions: Action[] = [
      makeAction({ id: hexId(1), pack: 'examples', name: 'b', tags: [{ name: 'web', value: '1' }] }),
      makeAction({ id: hexId(2), pack: 'core', name: 'remote' }),
      makeAction({ id: hexId(3), pack: 'examples', name: 'a' }),
      makeAction({ id: hexId(4), pack: 'core', name: 'local', tags: [{ name: 'web' }, { name: 'shell' }] }),
      makeAction({ id: hexId(5), pack: 'aaa', name: 'zzz' }),
    ];
    const all = { limit: null, offset: 0 };

    it('lists by pack, then name, with the total', async () => {
      const { store } = ctx();
      for (const action of actions) await store.saveAction(action);
      const page = await store.listActions({}, all);
      expect(page.items.map((a) => a.ref)).toEqual([
        'aaa.zzz',
        'core.local',
        'core.remote',
        'examples.a',
        'examples.b',
      ]);
      expect(page.items[1]).toEqual(actions[3]);
      expect(page.total).toBe(5);
    });

    it('filters by ids, name, pack and tag, combined with AND', async () => {
      const { store } = ctx();
      for (const action of actions) await store.saveAction(action);
      const refs = async (filter: Parameters<typeof store.listActions>[0]) =>
        (await store.listActions(filter, all)).items.map((a) => a.ref);
      expect(await refs({ ids: [hexId(1), hexId(5), hexId(404)] })).toEqual(['aaa.zzz', 'examples.b']);
      expect(await refs({ ids: [] })).toEqual([]);
      expect(await refs({ name: 'local' })).toEqual(['core.local']);
      expect(await refs({ pack: 'examples' })).toEqual(['examples.a', 'examples.b']);
      expect(await refs({ tag: 'web' })).toEqual(['core.local', 'examples.b']);
      expect(await refs({ tag: 'shell', pack: 'core' })).toEqual(['core.local']);
      expect(await refs({ tag: 'shell', pack: 'examples' })).toEqual([]);
    });

    it('pages with limit and offset; the total ignores the page', async () => {
      const { store } = ctx();
      for (const action of actions) await store.saveAction(action);
      const page = await store.listActions({}, { limit: 2, offset: 1 });
      expect(idsOf(page.items)).toEqual([hexId(4), hexId(2)]);
      expect(page.total).toBe(5);
      expect(await store.listActions({ pack: 'core' }, { limit: 5, offset: 5 })).toEqual({
        items: [],
        total: 2,
      });
    });
  });
}
