/** Authentication tokens and API keys (hashes only). */
import type { Pool } from 'pg';
import type { ApiKeyRecord, TokenRecord } from '../../domain/credentials.ts';
import type { JsonObject } from '../../domain/types.ts';
import type { Page, PageOf } from '../store.ts';
import { rowsOf, statement, valueOf } from './connection-pool.ts';

const INSERT_TOKEN = statement(
  'insert_token',
  'INSERT INTO auth_tokens (id, user_name, token_hash, expiry, metadata) VALUES ($1, $2, $3, $4, $5)',
);
const TOKEN_BY_HASH = statement(
  'token_by_hash',
  'SELECT id, user_name, token_hash, expiry, metadata FROM auth_tokens WHERE token_hash = $1',
);
const DELETE_TOKENS = statement('delete_expired_tokens', 'DELETE FROM auth_tokens WHERE expiry < $1');
const DELETE_TOKEN = statement('delete_token', 'DELETE FROM auth_tokens WHERE id = $1');
const UPSERT_API_KEY = statement(
  'upsert_api_key',
  `INSERT INTO api_keys (id, user_name, key_hash, metadata, created_at, enabled) VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (id) DO UPDATE SET user_name = excluded.user_name, key_hash = excluded.key_hash,
    metadata = excluded.metadata, enabled = excluded.enabled`,
);
const API_KEY_COLUMNS = 'id, user_name, key_hash, metadata, created_at, enabled';
const API_KEY_BY = statement(
  'api_key_by_id_or_hash',
  `SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = $1 OR key_hash = $1`,
);
const LIST_API_KEYS = statement(
  'list_api_keys',
  `SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY id LIMIT $1 OFFSET $2`,
);
const COUNT_API_KEYS = statement('count_api_keys', 'SELECT count(*) FROM api_keys');
const DELETE_API_KEY = statement('delete_api_key', 'DELETE FROM api_keys WHERE id = $1');

type TokenRow = [string, string, string, number, string];
type ApiKeyRow = [string, string, string, string, number, boolean];

const tokenOf = ([id, user, tokenHash, expiry, metadata]: TokenRow): TokenRecord => ({
  id,
  user,
  tokenHash,
  expiry,
  metadata: JSON.parse(metadata) as JsonObject,
});
const apiKeyOf = ([id, user, keyHash, metadata, createdAt, enabled]: ApiKeyRow): ApiKeyRecord => ({
  id,
  user,
  keyHash,
  metadata: JSON.parse(metadata) as JsonObject,
  createdAt,
  enabled,
});

export interface Credentials {
  saveToken(token: TokenRecord): Promise<void>;
  getTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  deleteTokensExpiredBefore(before: number): Promise<number>;
  deleteToken(id: string): Promise<boolean>;
  saveApiKey(key: ApiKeyRecord): Promise<void>;
  getApiKey(idOrHash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(page: Page): Promise<PageOf<ApiKeyRecord>>;
  deleteApiKey(id: string): Promise<boolean>;
}

export function createCredentials(pool: Pool): Credentials {
  return {
    async saveToken(t) {
      await pool.query({
        ...INSERT_TOKEN,
        values: [t.id, t.user, t.tokenHash, t.expiry, JSON.stringify(t.metadata)],
      });
    },
    async getTokenByHash(hash) {
      const [row] = await rowsOf<TokenRow>(pool, TOKEN_BY_HASH, [hash]);
      return row ? tokenOf(row) : undefined;
    },
    async deleteTokensExpiredBefore(before) {
      return (await pool.query({ ...DELETE_TOKENS, values: [before] })).rowCount ?? 0;
    },
    async deleteToken(id) {
      return ((await pool.query({ ...DELETE_TOKEN, values: [id] })).rowCount ?? 0) > 0;
    },
    async saveApiKey(k) {
      await pool.query({
        ...UPSERT_API_KEY,
        values: [k.id, k.user, k.keyHash, JSON.stringify(k.metadata), k.createdAt, k.enabled],
      });
    },
    async getApiKey(idOrHash) {
      const [row] = await rowsOf<ApiKeyRow>(pool, API_KEY_BY, [idOrHash]);
      return row ? apiKeyOf(row) : undefined;
    },
    async listApiKeys(page) {
      const [rows, total] = await Promise.all([
        rowsOf<ApiKeyRow>(pool, LIST_API_KEYS, [page.limit, page.offset]),
        valueOf<number>(pool, COUNT_API_KEYS, []),
      ]);
      return { items: rows.map(apiKeyOf), total };
    },
    async deleteApiKey(id) {
      return ((await pool.query({ ...DELETE_API_KEY, values: [id] })).rowCount ?? 0) > 0;
    },
  };
}
