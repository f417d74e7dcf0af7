/** The datastore's items. Expired items stay until overwritten or deleted, but are never read. */
import type Database from 'better-sqlite3';
import type { KeyValueFilter, KeyValueRecord, KeyValueScope } from '../../domain/key-value.ts';
import type { Page, PageOf } from '../store.ts';

interface Row {
  id: string;
  scope: KeyValueScope;
  user_name: string;
  name: string;
  value: string;
  secret: number;
  description: string;
  expire_at: number | null;
}

const itemOf = (r: Row): KeyValueRecord => ({
  id: r.id,
  scope: r.scope,
  user: r.user_name,
  name: r.name,
  value: r.value,
  secret: r.secret === 1,
  description: r.description,
  expireAt: r.expire_at,
});

const LIVE = '(expire_at IS NULL OR expire_at > :now)';
// substr, not LIKE: a prefix is literal text, `_` and `%` included.
const FILTER = `WHERE ${LIVE}
  AND (:scope IS NULL OR scope = :scope)
  AND (:user IS NULL OR scope <> 'st2kv.user' OR user_name = :user)
  AND (:prefix IS NULL OR substr(name, 1, length(:prefix)) = :prefix)`;

interface FilterParams {
  now: number;
  scope: string | null;
  user: string | null;
  prefix: string | null;
}

export interface KeyValues {
  put(item: KeyValueRecord): KeyValueRecord;
  get(scope: KeyValueScope, user: string, name: string, now: number): KeyValueRecord | undefined;
  list(filter: KeyValueFilter, page: Page): PageOf<KeyValueRecord>;
  delete(scope: KeyValueScope, user: string, name: string): boolean;
}

export function prepareKeyValues(db: Database.Database): KeyValues {
  const upsert = db.prepare<[string, string, string, string, string, number, string, number | null], Row>(
    `INSERT INTO key_value_pairs (id, scope, user_name, name, value, secret, description, expire_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (scope, user_name, name) DO UPDATE SET value = excluded.value, secret = excluded.secret,
      description = excluded.description, expire_at = excluded.expire_at
    RETURNING *`,
  );
  const getOne = db.prepare<[{ scope: string; user: string; name: string; now: number }], Row>(
    `SELECT * FROM key_value_pairs WHERE scope = :scope AND user_name = :user AND name = :name AND ${LIVE}`,
  );
  const list = db.prepare<[FilterParams & { limit: number; offset: number }], Row>(
    `SELECT * FROM key_value_pairs ${FILTER} ORDER BY scope, user_name, name LIMIT :limit OFFSET :offset`,
  );
  const count = db.prepare<[FilterParams], { n: number }>(
    `SELECT count(*) AS n FROM key_value_pairs ${FILTER}`,
  );
  const remove = db.prepare<[string, string, string]>(
    'DELETE FROM key_value_pairs WHERE scope = ? AND user_name = ? AND name = ?',
  );
  return {
    put: (i) => {
      const row = upsert.get(
        i.id,
        i.scope,
        i.user,
        i.name,
        i.value,
        i.secret ? 1 : 0,
        i.description,
        i.expireAt,
      );
      if (!row) throw new Error('upsert returned no row');
      return itemOf(row);
    },
    get: (scope, user, name, now) => {
      const row = getOne.get({ scope, user, name, now });
      return row ? itemOf(row) : undefined;
    },
    list: (filter, page) => {
      const params: FilterParams = {
        now: filter.now,
        scope: filter.scope ?? null,
        user: filter.user ?? null,
        prefix: filter.prefix ?? null,
      };
      return {
        items: list.all({ ...params, limit: page.limit ?? -1, offset: page.offset }).map(itemOf),
        total: count.get(params)?.n ?? 0,
      };
    },
    delete: (scope, user, name) => remove.run(scope, user, name).changes > 0,
  };
}
