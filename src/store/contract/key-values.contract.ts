/** The datastore: scopes, per-user items, prefixes, expiry, upsert keeping the id. */
import { describe, expect, it } from 'vitest';
import { KeyValueScope, type KeyValueRecord } from '../../domain/key-value.ts';
import { hexId, useStore, type OpenStore } from './harness.contract.ts';

const item = (n: number, overrides: Partial<KeyValueRecord> = {}): KeyValueRecord => ({
  id: hexId(n),
  scope: KeyValueScope.system,
  user: '',
  name: `key${n}`,
  value: `value${n}`,
  secret: false,
  description: '',
  expireAt: null,
  ...overrides,
});

export function keyValuesContract(open: OpenStore): void {
  describe('key-value pairs', () => {
    const ctx = useStore(open);

    it('stores items per scope and user, and an overwrite keeps the first id', async () => {
      const { store } = ctx();
      await store.putKeyValue(item(1, { name: 'shared' }));
      await store.putKeyValue(item(2, { name: 'shared', scope: KeyValueScope.user, user: 'alice' }));
      await store.putKeyValue(
        item(3, { name: 'shared', scope: KeyValueScope.user, user: 'bob', secret: true }),
      );
      const replaced = await store.putKeyValue(item(9, { name: 'shared', value: 'new', description: 'd' }));
      expect(replaced).toEqual(item(1, { name: 'shared', value: 'new', description: 'd' }));

      expect((await store.getKeyValue(KeyValueScope.system, '', 'shared', 0))?.value).toBe('new');
      expect((await store.getKeyValue(KeyValueScope.user, 'alice', 'shared', 0))?.id).toBe(hexId(2));
      expect(await store.getKeyValue(KeyValueScope.user, 'bob', 'shared', 0)).toEqual(
        item(3, { name: 'shared', scope: KeyValueScope.user, user: 'bob', secret: true }),
      );
      expect(await store.getKeyValue(KeyValueScope.user, 'carol', 'shared', 0)).toBeUndefined();

      expect(await store.deleteKeyValue(KeyValueScope.user, 'alice', 'shared')).toBe(true);
      expect(await store.deleteKeyValue(KeyValueScope.user, 'alice', 'shared')).toBe(false);
      expect(await store.getKeyValue(KeyValueScope.user, 'alice', 'shared', 0)).toBeUndefined();
    });

    it('lists by scope, user and literal prefix, in order, with a total', async () => {
      const { store } = ctx();
      await store.putKeyValue(item(1, { name: 'a_b' }));
      await store.putKeyValue(item(2, { name: 'axb' }));
      await store.putKeyValue(item(3, { name: 'a_c' }));
      await store.putKeyValue(item(4, { name: 'a_d', scope: KeyValueScope.user, user: 'alice' }));
      await store.putKeyValue(item(5, { name: 'a_e', scope: KeyValueScope.user, user: 'bob' }));
      const names = async (filter: Parameters<typeof store.listKeyValues>[0]) =>
        (await store.listKeyValues(filter, { limit: null, offset: 0 })).items.map((i) => i.name);

      expect(await names({ now: 0, scope: KeyValueScope.system, prefix: 'a_' })).toEqual(['a_b', 'a_c']);
      expect(await names({ now: 0, user: 'alice' })).toEqual(['a_b', 'a_c', 'axb', 'a_d']);
      expect(await names({ now: 0, scope: KeyValueScope.user })).toEqual(['a_d', 'a_e']);
      const page = await store.listKeyValues({ now: 0 }, { limit: 2, offset: 1 });
      expect(page.total).toBe(5);
      expect(page.items.map((i) => i.name)).toEqual(['a_c', 'axb']);
    });

    it('never returns an expired item', async () => {
      const { store } = ctx();
      await store.putKeyValue(item(1, { expireAt: 1000 }));
      await store.putKeyValue(item(2));
      expect((await store.getKeyValue(KeyValueScope.system, '', 'key1', 999))?.value).toBe('value1');
      expect(await store.getKeyValue(KeyValueScope.system, '', 'key1', 1000)).toBeUndefined();
      const live = await store.listKeyValues({ now: 1000 }, { limit: null, offset: 0 });
      expect(live.items.map((i) => i.name)).toEqual(['key2']);
      expect(live.total).toBe(1);
    });
  });
}
