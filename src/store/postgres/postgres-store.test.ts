/**
 * The Store contract on PostgreSQL, plus what only a shared server has to get right: processes
 * migrating at once, claimers racing, and documents keeping their key order through SQL-side
 * merges. Every test runs in a schema of its own, dropped afterwards. Without a reachable server
 * (SQUALL_TEST_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) the suite is skipped,
 * with a warning saying so.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { makeExecution } from '../contract/fixtures.ts';
import { storeContract, type OpenedStore } from '../contract/store.contract.ts';
import { SchemaTooNewError } from '../schema-too-new-error.ts';
import type { Store } from '../store.ts';
import { knownMigrations, latestKnownVersion } from './migrate.ts';
import { openPostgresStore } from './open-postgres-store.ts';
import {
  displayUrl,
  dropSchema,
  freshSchemaName,
  runInSchema,
  TEST_DATABASE_URL,
  unreachableReason,
} from './test-database.ts';

const unreachable = await unreachableReason();
if (unreachable) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${unreachable}): ` +
      'skipping the postgres store suite',
  );
}
const suite = unreachable ? describe.skip : describe;

const T = 1_700_000_000_000_000;

const open = (schema: string, poolSize?: number) =>
  openPostgresStore({ url: TEST_DATABASE_URL, schema, ...(poolSize ? { poolSize } : {}) });

async function recordNewerSchema(schema: string): Promise<void> {
  await runInSchema(schema, 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
    latestKnownVersion() + 1,
    'from_the_future',
  ]);
}

/** A store in a fresh schema; cleanup closes every store opened on it and drops the schema. */
async function openFreshStore(): Promise<OpenedStore & { schema: string }> {
  const schema = freshSchemaName();
  const store = await open(schema);
  const others: Store[] = [];
  return {
    schema,
    store,
    async connectAgain() {
      const other = await open(schema);
      others.push(other);
      return other;
    },
    pretendNewerSchema: () => recordNewerSchema(schema),
    async cleanup() {
      await Promise.all([store, ...others].map((s) => s.close()));
      await dropSchema(schema);
    },
  };
}

suite('postgres', () => {
  storeContract('postgres', openFreshStore);

  describe('PostgreSQL store', () => {
    const schemas: string[] = [];
    const stores: Store[] = [];
    /** A fresh schema name, dropped after the test (with every store opened through `track`). */
    const newSchema = () => {
      const schema = freshSchemaName();
      schemas.push(schema);
      return schema;
    };
    const track = <S extends Store>(store: S): S => {
      stores.push(store);
      return store;
    };
    afterEach(async () => {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await Promise.all(schemas.splice(0).map((s) => dropSchema(s)));
    });

    it('migrates a fresh schema exactly once when several processes open it at the same time', async () => {
      const schema = newSchema();
      const opened = await Promise.all(Array.from({ length: 8 }, () => open(schema, 2).then(track)));
      expect(opened).toHaveLength(8);
      const rows = await runInSchema(schema, 'SELECT version, name FROM schema_migrations ORDER BY version');
      expect(rows).toEqual(knownMigrations().map((m) => [m.version, m.name]));
      // A later open finds nothing to do and changes nothing.
      track(await open(schema));
      expect(await runInSchema(schema, 'SELECT count(*)::int FROM schema_migrations')).toEqual([
        [rows.length],
      ]);
    });

    it('refuses a schema migrated by a newer version with a clear error, leaving it untouched', async () => {
      const schema = newSchema();
      const first = await open(schema);
      await first.createExecution(makeExecution());
      await first.close();
      await recordNewerSchema(schema);
      const next = latestKnownVersion() + 1;
      const refused = open(schema);
      await expect(refused).rejects.toBeInstanceOf(SchemaTooNewError);
      await expect(refused).rejects.toThrow(
        `The database schema is at version ${next}, but this Squall only knows versions up to ${next - 1}`,
      );
      expect(await runInSchema(schema, 'SELECT count(*)::int FROM executions')).toEqual([[1]]);
      expect(await runInSchema(schema, 'SELECT max(version) FROM schema_migrations')).toEqual([[next]]);
    });

    it('keeps every object in its own schema', async () => {
      const [a, b] = [newSchema(), newSchema()];
      const storeA = track(await open(a));
      const storeB = track(await open(b));
      const record = makeExecution();
      await storeA.createExecution(record);
      expect(await storeA.getExecution(record.id)).toEqual(record);
      expect(await storeB.getExecution(record.id)).toBeUndefined();
      const publicTables = await runInSchema(
        'public',
        `SELECT count(*)::int FROM pg_tables WHERE schemaname = $1 OR schemaname = $2`,
        [a, b],
      );
      expect(publicTables).toEqual([[2 * 11]]); // ten tables and schema_migrations, in each
    });

    it('rejects a schema name that is not a plain identifier before connecting', async () => {
      await expect(
        openPostgresStore({ url: TEST_DATABASE_URL, schema: 'x"; DROP TABLE y; --' }),
      ).rejects.toThrow(/Invalid PostgreSQL schema name/);
    });

    it('never hands one execution to two of four stores claiming 500 at once', async () => {
      const schema = newSchema();
      const claimers = await Promise.all(['w1', 'w2', 'w3', 'w4'].map(() => open(schema, 3).then(track)));
      const [first] = claimers;
      if (!first) throw new Error('no store');
      const records = Array.from({ length: 500 }, (_, i) => makeExecution({ startTimestamp: T + i }));
      await Promise.all(records.map((r) => first.createExecution(r)));

      // Three loops per store, so that claims also race inside one store's pool.
      const claimLoop = async (store: Store, owner: string) => {
        const got: string[] = [];
        for (;;) {
          const batch = await store.claimDue(T + 1_000_000, 7, owner);
          if (batch.length === 0) return got;
          for (const record of batch) expect(record.status).toBe('scheduled');
          got.push(...batch.map((r) => r.id));
        }
      };
      const perStore = await Promise.all(
        claimers.map(async (store, i) => {
          const loops = await Promise.all([0, 1, 2].map(() => claimLoop(store, `w${i + 1}`)));
          return loops.flat();
        }),
      );
      const all = perStore.flat();
      expect(all).toHaveLength(500);
      expect(new Set(all).size).toBe(500);
      expect([...all].sort()).toEqual(records.map((r) => r.id).sort());
      expect(perStore.filter((ids) => ids.length > 0).length).toBeGreaterThan(1);
      // The owner recorded on each row is the store that got it.
      const owners = await runInSchema(schema, 'SELECT owner, count(*)::int FROM executions GROUP BY owner');
      expect(new Map(owners as [string, number][])).toEqual(
        new Map(perStore.map((ids, i) => [`w${i + 1}`, ids.length] as const).filter(([, n]) => n > 0)),
      );
    }, 60_000);

    it('keeps key order through log appends and shallow merges', async () => {
      const store = track(await open(newSchema()));
      const record = makeExecution({
        status: 'scheduled',
        startTimestamp: T,
        context: { zeta: 1, alpha: { z: 1, a: 2 }, mid: 'm' },
        liveaction: { callback: {}, runner_info: { z: 'z', a: 'a' }, action_is_workflow: false },
      });
      await store.createExecution(record);
      const updated = await store.transition({
        id: record.id,
        from: ['scheduled'],
        to: 'running',
        at: T + 1,
        contextPatch: { alpha: { y: 1, b: 2 }, new2: null, new1: true },
        runnerInfo: { b: 'b', z: 'zz' },
      });
      const stored = await store.getExecution(record.id);
      for (const got of [updated, stored]) {
        expect(Object.keys(got?.context ?? {})).toEqual(['zeta', 'alpha', 'mid', 'new2', 'new1']);
        expect(Object.keys((got?.context.alpha ?? {}) as object)).toEqual(['y', 'b']);
        expect(got?.context.new2).toBeNull();
        expect(Object.keys(got?.liveaction ?? {})).toEqual(['callback', 'runner_info', 'action_is_workflow']);
        expect(got?.liveaction.runner_info).toEqual({ z: 'zz', a: 'a', b: 'b' });
        expect(Object.keys(got?.liveaction.runner_info ?? {})).toEqual(['z', 'a', 'b']);
        for (const entry of got?.log ?? []) expect(Object.keys(entry)).toEqual(['timestamp', 'status']);
      }
    });

    it('stores output containing NUL characters, which PostgreSQL text cannot hold', async () => {
      const store = track(await open(newSchema()));
      const record = makeExecution();
      await store.createExecution(record);
      const data = 'binary\0garbage "quoted" \\ \u0001';
      await store.appendOutput([{ executionId: record.id, timestamp: T, outputType: 'stdout', data }]);
      expect((await store.listOutput(record.id)).map((c) => c.data)).toEqual([data]);
    });

    it('keeps appends issued without waiting in the order they were issued', async () => {
      const store = track(await open(newSchema(), 4));
      const record = makeExecution();
      await store.createExecution(record);
      const chunk = (n: number) => ({
        executionId: record.id,
        timestamp: T,
        outputType: 'stdout',
        data: `${n}`,
      });
      const ids = await Promise.all(Array.from({ length: 50 }, (_, n) => store.appendOutput([chunk(n)])));
      const flat = ids.flat();
      expect([...flat].sort((a, b) => a - b)).toEqual(flat);
      const listed = await store.listOutput(record.id);
      expect(listed.map((c) => c.data)).toEqual(Array.from({ length: 50 }, (_, n) => `${n}`));
      // A batch failing (unknown execution) rejects alone; the ones merged with it still land.
      const results = await Promise.allSettled([
        store.appendOutput([chunk(50)]),
        store.appendOutput([{ ...chunk(0), executionId: makeExecution().id }]),
        store.appendOutput([chunk(51)]),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await store.listOutput(record.id)).map((c) => c.data).slice(-2)).toEqual(['50', '51']);
    });

    it('finishes operations already issued when closed, then refuses new ones', async () => {
      const schema = newSchema();
      const store = await open(schema, 1);
      const records = Array.from({ length: 20 }, () => makeExecution());
      const writes = records.map((r) => store.createExecution(r));
      await store.close();
      await Promise.all(writes);
      await expect(store.getExecution(records[0]?.id ?? '')).rejects.toThrow(/closed/);
      const again = track(await open(schema));
      expect((await again.listByStatus(['requested'])).length).toBe(20);
    });
  });
});
