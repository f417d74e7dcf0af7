/** The datastore's items. Expired items stay until overwritten or deleted, but are never read. */
import type { Pool } from 'pg';
import type { KeyValueFilter, KeyValueRecord, KeyValueScope } from '../../domain/key-value.ts';
import type { Page, PageOf } from '../store.ts';
import { rowsOf, statement, valueOf } from './connection-pool.ts';

const COLUMNS = 'id, scope, user_name, name, value, secret, description, expire_at';
const UPSERT = statement(
  'upsert_key_value',
  `INSERT INTO key_value_pairs (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
  ON CONFLICT (scope, user_name, name) DO UPDATE SET value = excluded.value, secret = excluded.secret,
    description = excluded.description, expire_at = excluded.expire_at
  RETURNING ${COLUMNS}`,
);
const LIVE = '(expire_at IS NULL OR expire_at > $1)';
const GET = statement(
  'get_key_value',
  `SELECT ${COLUMNS} FROM key_value_pairs WHERE scope = $2 AND user_name = $3 AND name = $4 AND ${LIVE}`,
);
// left(), not LIKE: a prefix is literal text, `_` and `%` included.
const FILTER = `WHERE ${LIVE}
  AND ($2::text IS NULL OR scope = $2::text)
  AND ($3::text IS NULL OR scope <> 'st2kv.user' OR user_name = $3::text)
  AND ($4::text IS NULL OR left(name, length($4::text)) = $4::text)`;
const LIST = statement(
  'list_key_values',
  `SELECT ${COLUMNS} FROM key_value_pairs ${FILTER} ORDER BY scope, user_name, name LIMIT $5 OFFSET $6`,
);
const COUNT = statement('count_key_values', `SELECT count(*) FROM key_value_pairs ${FILTER}`);
const DELETE = statement(
  'delete_key_value',
  'DELETE FROM key_value_pairs WHERE scope = $1 AND user_name = $2 AND name = $3',
);

type Row = [string, KeyValueScope, string, string, string, boolean, string, number | null];
const itemOf = ([id, scope, user, name, value, secret, description, expireAt]: Row): KeyValueRecord => ({
  id,
  scope,
  user,
  name,
  value,
  secret,
  description,
  expireAt,
});

export interface KeyValues {
  put(item: KeyValueRecord): Promise<KeyValueRecord>;
  get(scope: KeyValueScope, user: string, name: string, now: number): Promise<KeyValueRecord | undefined>;
  list(filter: KeyValueFilter, page: Page): Promise<PageOf<KeyValueRecord>>;
  delete(scope: KeyValueScope, user: string, name: string): Promise<boolean>;
}

export function createKeyValues(pool: Pool): KeyValues {
  return {
    async put(i) {
      const [row] = await rowsOf<Row>(pool, UPSERT, [
        i.id,
        i.scope,
        i.user,
        i.name,
        i.value,
        i.secret,
        i.description,
        i.expireAt,
      ]);
      if (!row) throw new Error('upsert returned no row');
      return itemOf(row);
    },
    async get(scope, user, name, now) {
      const [row] = await rowsOf<Row>(pool, GET, [now, scope, user, name]);
      return row ? itemOf(row) : undefined;
    },
    async list(filter, page) {
      const params = [filter.now, filter.scope ?? null, filter.user ?? null, filter.prefix ?? null];
      const [rows, total] = await Promise.all([
        rowsOf<Row>(pool, LIST, [...params, page.limit, page.offset]),
        valueOf<number>(pool, COUNT, params),
      ]);
      return { items: rows.map(itemOf), total };
    },
    async delete(scope, user, name) {
      return ((await pool.query({ ...DELETE, values: [scope, user, name] })).rowCount ?? 0) > 0;
    },
  };
}
