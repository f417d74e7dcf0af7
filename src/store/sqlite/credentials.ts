/** Authentication tokens and API keys (hashes only). */
import type Database from 'better-sqlite3';
import type { ApiKeyRecord, TokenRecord } from '../../domain/credentials.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { Page, PageOf } from '../store.ts';

interface TokenRow {
  id: string;
  user_name: string;
  token_hash: string;
  expiry: number;
  metadata: string;
}
interface ApiKeyRow {
  id: string;
  user_name: string;
  key_hash: string;
  metadata: string;
  created_at: number;
  enabled: number;
}

const tokenOf = (r: TokenRow): TokenRecord => ({
  id: r.id,
  user: r.user_name,
  tokenHash: r.token_hash,
  expiry: r.expiry,
  metadata: JSON.parse(r.metadata) as JsonObject,
});
const apiKeyOf = (r: ApiKeyRow): ApiKeyRecord => ({
  id: r.id,
  user: r.user_name,
  keyHash: r.key_hash,
  metadata: JSON.parse(r.metadata) as JsonObject,
  createdAt: r.created_at,
  enabled: r.enabled === 1,
});

export interface Credentials {
  saveToken(token: TokenRecord): void;
  getTokenByHash(hash: string): TokenRecord | undefined;
  deleteTokensExpiredBefore(before: number): number;
  deleteToken(id: string): boolean;
  saveApiKey(key: ApiKeyRecord): void;
  getApiKey(idOrHash: string): ApiKeyRecord | undefined;
  listApiKeys(page: Page): PageOf<ApiKeyRecord>;
  deleteApiKey(id: string): boolean;
}

export function prepareCredentials(db: Database.Database): Credentials {
  const insertToken = db.prepare<[string, string, string, number, string]>(
    'INSERT INTO auth_tokens (id, user_name, token_hash, expiry, metadata) VALUES (?, ?, ?, ?, ?)',
  );
  const tokenByHash = db.prepare<[string], TokenRow>('SELECT * FROM auth_tokens WHERE token_hash = ?');
  const deleteTokens = db.prepare<[number]>('DELETE FROM auth_tokens WHERE expiry < ?');
  const deleteToken = db.prepare<[string]>('DELETE FROM auth_tokens WHERE id = ?');
  const upsertKey = db.prepare<[string, string, string, string, number, number]>(
    `INSERT INTO api_keys (id, user_name, key_hash, metadata, created_at, enabled) VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET user_name = excluded.user_name, key_hash = excluded.key_hash,
      metadata = excluded.metadata, enabled = excluded.enabled`,
  );
  const keyBy = db.prepare<[string, string], ApiKeyRow>(
    'SELECT * FROM api_keys WHERE id = ? OR key_hash = ?',
  );
  const listKeys = db.prepare<[number, number], ApiKeyRow>(
    'SELECT * FROM api_keys ORDER BY id LIMIT ? OFFSET ?',
  );
  const countKeys = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM api_keys');
  const deleteKey = db.prepare<[string]>('DELETE FROM api_keys WHERE id = ?');
  return {
    saveToken: (t) => {
      insertToken.run(t.id, t.user, t.tokenHash, t.expiry, JSON.stringify(t.metadata));
    },
    getTokenByHash: (hash) => {
      const row = tokenByHash.get(hash);
      return row ? tokenOf(row) : undefined;
    },
    deleteTokensExpiredBefore: (before) => deleteTokens.run(before).changes,
    deleteToken: (id) => deleteToken.run(id).changes > 0,
    saveApiKey: (k) => {
      upsertKey.run(k.id, k.user, k.keyHash, JSON.stringify(k.metadata), k.createdAt, k.enabled ? 1 : 0);
    },
    getApiKey: (idOrHash) => {
      const row = keyBy.get(idOrHash, idOrHash);
      return row ? apiKeyOf(row) : undefined;
    },
    listApiKeys: (page) => ({
      items: listKeys.all(page.limit ?? -1, page.offset).map(apiKeyOf),
      total: countKeys.get()?.n ?? 0,
    }),
    deleteApiKey: (id) => deleteKey.run(id).changes > 0,
  };
}
