/** Tokens and API keys: stored and found by hash, API keys listed, replaced and deleted. */
import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../domain/credentials.ts';
import { hexId, useStore, type OpenStore } from './harness.contract.ts';

const apiKey = (n: number, overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
  id: hexId(n),
  user: `user${n}`,
  keyHash: `hash${n}`,
  metadata: { purpose: `key ${n}` },
  createdAt: 1_700_000_000_000_000 + n,
  enabled: true,
  ...overrides,
});

export function credentialsContract(open: OpenStore): void {
  describe('tokens', () => {
    const ctx = useStore(open);

    it('finds a token by its hash and forgets expired ones on request', async () => {
      const { store } = ctx();
      await store.saveToken({ id: hexId(1), user: 'alice', tokenHash: 'h1', expiry: 100, metadata: {} });
      await store.saveToken({ id: hexId(2), user: 'bob', tokenHash: 'h2', expiry: 300, metadata: { a: 1 } });
      expect(await store.getTokenByHash('h2')).toEqual({
        id: hexId(2),
        user: 'bob',
        tokenHash: 'h2',
        expiry: 300,
        metadata: { a: 1 },
      });
      expect(await store.getTokenByHash('nope')).toBeUndefined();
      expect(await store.deleteTokensExpiredBefore(200)).toBe(1);
      expect(await store.getTokenByHash('h1')).toBeUndefined();
      expect((await store.getTokenByHash('h2'))?.user).toBe('bob');
      expect(await store.deleteToken(hexId(2))).toBe(true);
      expect(await store.getTokenByHash('h2')).toBeUndefined();
      expect(await store.deleteToken(hexId(2))).toBe(false);
    });
  });

  describe('API keys', () => {
    const ctx = useStore(open);

    it('finds a key by id or hash, lists in creation order, replaces and deletes', async () => {
      const { store } = ctx();
      await store.saveApiKey(apiKey(2));
      await store.saveApiKey(apiKey(1));
      await store.saveApiKey(apiKey(3));
      expect(await store.getApiKey(hexId(1))).toEqual(apiKey(1));
      expect(await store.getApiKey('hash3')).toEqual(apiKey(3));
      expect(await store.getApiKey('missing')).toBeUndefined();

      const page = await store.listApiKeys({ limit: 2, offset: 1 });
      expect(page.total).toBe(3);
      expect(page.items.map((k) => k.id)).toEqual([hexId(2), hexId(3)]);
      expect((await store.listApiKeys({ limit: null, offset: 0 })).items).toHaveLength(3);

      await store.saveApiKey(apiKey(2, { enabled: false, metadata: { changed: true } }));
      expect(await store.getApiKey(hexId(2))).toEqual(
        apiKey(2, { enabled: false, metadata: { changed: true } }),
      );

      expect(await store.deleteApiKey(hexId(2))).toBe(true);
      expect(await store.deleteApiKey(hexId(2))).toBe(false);
      expect(await store.getApiKey('hash2')).toBeUndefined();
    });
  });
}
