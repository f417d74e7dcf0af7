/**
 * Packs, actions and the content-addressed snapshots executions embed. Small tables, read far more
 * often than written; documents are stored as the API shows them.
 */
import { DatabaseError, type Pool } from 'pg';
import { isId } from '../../domain/ids.ts';
import type { Action, JsonObject, Pack } from '../../domain/types.ts';
import { snapshotIdOf } from '../snapshot-id.ts';
import type { ActionFilter, Page, PageOf, StoredAction } from '../store.ts';
import { rowsOf, statement, valueOf } from './connection-pool.ts';

const UPSERT_PACK = statement(
  'upsert_pack',
  `INSERT INTO packs (ref, path, metadata) VALUES ($1, $2, $3)
  ON CONFLICT (ref) DO UPDATE SET path = excluded.path, metadata = excluded.metadata`,
);
const GET_PACK = statement('get_pack', 'SELECT ref, path, metadata FROM packs WHERE ref = $1');

// First write wins: a snapshot id names one content forever.
const PUT_SNAPSHOT = statement(
  'put_snapshot',
  'INSERT INTO snapshots (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING',
);
const GET_SNAPSHOTS = statement('get_snapshots', 'SELECT id, doc FROM snapshots WHERE id = ANY ($1::text[])');

const ACTION_ID_BY_REF = statement('action_id_by_ref', 'SELECT id FROM actions WHERE ref = $1');
// The snapshot and the action row in one statement (so atomically). Conflict on id, not ref: the id
// was resolved from the ref first, so this also renames in place.
const SAVE_ACTION = statement(
  'save_action',
  `WITH snapshot AS (
  INSERT INTO snapshots (id, doc) VALUES ($6, $5) ON CONFLICT (id) DO NOTHING
)
INSERT INTO actions (id, ref, pack, name, doc, snapshot_id) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO UPDATE SET ref = excluded.ref, pack = excluded.pack, name = excluded.name,
  doc = excluded.doc, snapshot_id = excluded.snapshot_id`,
);
const ACTION_BY_ID = statement('action_by_id', 'SELECT doc, snapshot_id FROM actions WHERE id = $1');
const ACTION_BY_REF = statement('action_by_ref', 'SELECT doc, snapshot_id FROM actions WHERE ref = $1');
const DELETE_ACTION = statement('delete_action', 'DELETE FROM actions WHERE id = $1');

/**
 * Every filter is NULL-guarded so one statement serves any combination: $1 ids, $2 name, $3 pack,
 * $4 tag. A `tags` member that is not an array matches no tag rather than failing the query.
 */
const ACTION_FILTER = `WHERE ($1::text[] IS NULL OR id = ANY ($1::text[]))
  AND ($2::text IS NULL OR name = $2::text)
  AND ($3::text IS NULL OR pack = $3::text)
  AND ($4::text IS NULL OR EXISTS (
    SELECT FROM json_array_elements(CASE WHEN json_typeof(doc -> 'tags') = 'array' THEN doc -> 'tags' END) AS t
    WHERE t ->> 'name' = $4::text))`;
// LIMIT NULL is no limit.
const LIST_ACTIONS = statement(
  'list_actions',
  `SELECT doc FROM actions ${ACTION_FILTER} ORDER BY pack, name LIMIT $5 OFFSET $6`,
);
const COUNT_ACTIONS = statement('count_actions', `SELECT count(*) FROM actions ${ACTION_FILTER}`);

/** A saveAction racing another for a new ref retries this often before giving up. */
const SAVE_ATTEMPTS = 3;

export interface Catalog {
  savePack(pack: Pack): Promise<void>;
  getPack(ref: string): Promise<Pack | undefined>;
  saveAction(action: Action): Promise<StoredAction>;
  getAction(refOrId: string): Promise<StoredAction | undefined>;
  listActions(filter: ActionFilter, page: Page): Promise<PageOf<Action>>;
  deleteAction(id: string): Promise<boolean>;
  putSnapshot(id: string, doc: JsonObject): Promise<void>;
  getSnapshots(ids: readonly string[]): Promise<Map<string, JsonObject>>;
}

type ActionRow = [doc: string, snapshotId: string];

function toStored(row: ActionRow | undefined): StoredAction | undefined {
  return row && { action: JSON.parse(row[0]) as Action, snapshotId: row[1] };
}

/** Another process inserted the same new ref between our lookup and our insert. */
function isRefTaken(error: unknown): boolean {
  return error instanceof DatabaseError && error.code === '23505' && error.constraint === 'actions_ref_key';
}

export function createCatalog(pool: Pool): Catalog {
  async function saveAction(given: Action): Promise<StoredAction> {
    for (let attempt = 1; ; attempt++) {
      // Re-registering a ref keeps the id clients already know. The lookup is outside any lock, so
      // two processes registering the same new ref can both miss it; the loser's insert then hits
      // the ref's unique index and the retry finds the winner's id.
      const existing = await valueOf<string | undefined>(pool, ACTION_ID_BY_REF, [given.ref]);
      const id = existing ?? given.id;
      const action = id === given.id ? given : { ...given, id };
      const snapshotId = snapshotIdOf(action);
      try {
        const doc = JSON.stringify(action);
        await rowsOf(pool, SAVE_ACTION, [id, action.ref, action.pack, action.name, doc, snapshotId]);
        return { action, snapshotId };
      } catch (error) {
        if (!isRefTaken(error) || attempt >= SAVE_ATTEMPTS) throw error;
      }
    }
  }

  return {
    async savePack(pack) {
      await rowsOf(pool, UPSERT_PACK, [pack.ref, pack.path, JSON.stringify(pack.metadata)]);
    },
    async getPack(ref) {
      const [row] = await rowsOf<[string, string, string]>(pool, GET_PACK, [ref]);
      return row && { ref: row[0], path: row[1], metadata: JSON.parse(row[2]) as JsonObject };
    },
    saveAction,
    // Refs always contain a dot, so they can never be mistaken for an id.
    async getAction(refOrId) {
      const [row] = await rowsOf<ActionRow>(pool, isId(refOrId) ? ACTION_BY_ID : ACTION_BY_REF, [refOrId]);
      return toStored(row);
    },
    async listActions(filter, page) {
      const params = [filter.ids ?? null, filter.name ?? null, filter.pack ?? null, filter.tag ?? null];
      // Two statements on two connections at once: the total costs no extra round trip.
      const [rows, total] = await Promise.all([
        rowsOf<[string]>(pool, LIST_ACTIONS, [...params, page.limit, page.offset]),
        valueOf<number>(pool, COUNT_ACTIONS, params),
      ]);
      return { items: rows.map((r) => JSON.parse(r[0]) as Action), total };
    },
    async deleteAction(id) {
      const result = await pool.query({ ...DELETE_ACTION, values: [id] });
      return (result.rowCount ?? 0) > 0;
    },
    async putSnapshot(id, doc) {
      await rowsOf(pool, PUT_SNAPSHOT, [id, JSON.stringify(doc)]);
    },
    async getSnapshots(ids) {
      const map = new Map<string, JsonObject>();
      if (ids.length === 0) return map;
      for (const [id, doc] of await rowsOf<[string, string]>(pool, GET_SNAPSHOTS, [ids])) {
        map.set(id, JSON.parse(doc) as JsonObject);
      }
      return map;
    },
  };
}
