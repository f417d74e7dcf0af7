/**
 * Packs, actions and the content-addressed snapshots executions embed. Small tables, read far more
 * often than written; documents are stored as the API shows them.
 */
import type Database from 'better-sqlite3';
import { isId } from '../../domain/ids.ts';
import type { Action, JsonObject, Pack } from '../../domain/types.ts';
import { snapshotIdOf } from '../snapshot-id.ts';
import type { ActionFilter, Page, PageOf, StoredAction } from '../store.ts';

const UPSERT_PACK_SQL = `INSERT INTO packs (ref, path, metadata) VALUES (?, ?, ?)
  ON CONFLICT (ref) DO UPDATE SET path = excluded.path, metadata = excluded.metadata`;
const GET_PACK_SQL = 'SELECT ref, path, metadata FROM packs WHERE ref = ?';

// First write wins: a snapshot id names one content forever.
const PUT_SNAPSHOT_SQL = 'INSERT INTO snapshots (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING';
const GET_SNAPSHOTS_SQL = 'SELECT id, doc FROM snapshots WHERE id IN (SELECT value FROM json_each(?))';

const ACTION_ID_BY_REF_SQL = 'SELECT id FROM actions WHERE ref = ?';
// Conflict on id, not ref: the id was resolved from the ref first, so this also renames in place.
const UPSERT_ACTION_SQL = `INSERT INTO actions (id, ref, pack, name, doc, snapshot_id) VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET ref = excluded.ref, pack = excluded.pack, name = excluded.name,
    doc = excluded.doc, snapshot_id = excluded.snapshot_id`;
const ACTION_BY_ID_SQL = 'SELECT doc, snapshot_id FROM actions WHERE id = ?';
const ACTION_BY_REF_SQL = 'SELECT doc, snapshot_id FROM actions WHERE ref = ?';
const DELETE_ACTION_SQL = 'DELETE FROM actions WHERE id = ?';

/** Every filter is NULL-guarded so one statement serves any combination. */
const ACTION_FILTER = `WHERE (:ids IS NULL OR id IN (SELECT value FROM json_each(:ids)))
  AND (:name IS NULL OR name = :name)
  AND (:pack IS NULL OR pack = :pack)
  AND (:tag IS NULL OR EXISTS (SELECT 1 FROM json_each(doc, '$.tags') t WHERE t.value ->> 'name' = :tag))`;
const LIST_ACTIONS_SQL = `SELECT doc FROM actions ${ACTION_FILTER} ORDER BY pack, name LIMIT :limit OFFSET :offset`;
const COUNT_ACTIONS_SQL = `SELECT count(*) FROM actions ${ACTION_FILTER}`;

interface ActionFilterParams {
  ids: string | null;
  name: string | null;
  pack: string | null;
  tag: string | null;
}

export interface Catalog {
  savePack(pack: Pack): void;
  getPack(ref: string): Pack | undefined;
  saveAction(action: Action): StoredAction;
  getAction(refOrId: string): StoredAction | undefined;
  listActions(filter: ActionFilter, page: Page): PageOf<Action>;
  deleteAction(id: string): boolean;
  putSnapshot(id: string, doc: JsonObject): void;
  getSnapshots(ids: readonly string[]): Map<string, JsonObject>;
}

type ActionRow = { doc: string; snapshot_id: string };

function toStored(row: ActionRow | undefined): StoredAction | undefined {
  return row && { action: JSON.parse(row.doc) as Action, snapshotId: row.snapshot_id };
}

export function prepareCatalog(db: Database.Database): Catalog {
  const upsertPack = db.prepare<[string, string, string]>(UPSERT_PACK_SQL);
  const getPack = db.prepare<[string], { ref: string; path: string; metadata: string }>(GET_PACK_SQL);
  const putSnapshot = db.prepare<[string, string]>(PUT_SNAPSHOT_SQL);
  const getSnapshots = db.prepare<[string], { id: string; doc: string }>(GET_SNAPSHOTS_SQL);
  const actionIdByRef = db.prepare<[string], string>(ACTION_ID_BY_REF_SQL).pluck();
  const upsertAction = db.prepare<[string, string, string, string, string, string]>(UPSERT_ACTION_SQL);
  const actionById = db.prepare<[string], ActionRow>(ACTION_BY_ID_SQL);
  const actionByRef = db.prepare<[string], ActionRow>(ACTION_BY_REF_SQL);
  const deleteAction = db.prepare<[string]>(DELETE_ACTION_SQL);
  const listActions = db.prepare<ActionFilterParams & { limit: number; offset: number }, { doc: string }>(
    LIST_ACTIONS_SQL,
  );
  const countActions = db.prepare<ActionFilterParams, number>(COUNT_ACTIONS_SQL).pluck();

  // A transaction (a savepoint inside the store's group commit): the ref lookup, the snapshot and
  // the action row go in together.
  const saveAction = db.transaction((given: Action): StoredAction => {
    // Re-registering a ref keeps the id clients already know.
    const id = actionIdByRef.get(given.ref) ?? given.id;
    const action = id === given.id ? given : { ...given, id };
    const snapshotId = snapshotIdOf(action);
    putSnapshot.run(snapshotId, JSON.stringify(action));
    upsertAction.run(id, action.ref, action.pack, action.name, JSON.stringify(action), snapshotId);
    return { action, snapshotId };
  });

  return {
    savePack: (pack) => upsertPack.run(pack.ref, pack.path, JSON.stringify(pack.metadata)),
    getPack(ref) {
      const row = getPack.get(ref);
      return row && { ref: row.ref, path: row.path, metadata: JSON.parse(row.metadata) as JsonObject };
    },
    saveAction: (action) => saveAction(action),
    // Refs always contain a dot, so they can never be mistaken for an id.
    getAction: (refOrId) => toStored(isId(refOrId) ? actionById.get(refOrId) : actionByRef.get(refOrId)),
    listActions(filter, page) {
      const params: ActionFilterParams = {
        ids: filter.ids ? JSON.stringify(filter.ids) : null,
        name: filter.name ?? null,
        pack: filter.pack ?? null,
        tag: filter.tag ?? null,
      };
      const rows = listActions.all({ ...params, limit: page.limit ?? -1, offset: page.offset });
      return { items: rows.map((r) => JSON.parse(r.doc) as Action), total: countActions.get(params) ?? 0 };
    },
    deleteAction: (id) => deleteAction.run(id).changes > 0,
    putSnapshot: (id, doc) => void putSnapshot.run(id, JSON.stringify(doc)),
    getSnapshots(ids) {
      const map = new Map<string, JsonObject>();
      if (ids.length === 0) return map;
      for (const row of getSnapshots.all(JSON.stringify(ids)))
        map.set(row.id, JSON.parse(row.doc) as JsonObject);
      return map;
    },
  };
}
