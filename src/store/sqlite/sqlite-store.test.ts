import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeExecution } from '../contract/fixtures.ts';
import { storeContract, type OpenedStore } from '../contract/store.contract.ts';
import { SchemaTooNewError } from '../schema-too-new-error.ts';
import type { Store } from '../store.ts';
import { knownMigrations, latestKnownVersion } from './migrate.ts';
import { openSqliteStore } from './open-sqlite-store.ts';

function recordNewerSchema(path: string): void {
  const db = new Database(path);
  db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
    latestKnownVersion() + 1,
    'from_the_future',
    Date.now(),
  );
  db.close();
}

/** A fresh database file per test, so the contract also exercises WAL and file locking. */
async function openTempStore(): Promise<OpenedStore & { path: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-store-'));
  const path = join(dir, 'squall.db');
  const store = openSqliteStore({ path });
  const others: Store[] = [];
  return {
    path,
    store,
    async connectAgain() {
      const other = openSqliteStore({ path });
      others.push(other);
      return other;
    },
    async pretendNewerSchema() {
      recordNewerSchema(path);
    },
    async cleanup() {
      for (const s of [store, ...others]) await s.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

storeContract('sqlite', openTempStore);

describe('SQLite store', () => {
  let opened: Awaited<ReturnType<typeof openTempStore>>;
  beforeEach(async () => {
    opened = await openTempStore();
  });
  afterEach(async () => {
    await opened.cleanup();
  });

  it('puts the file in WAL mode and records every migration once', async () => {
    await opened.store.close();
    const again = openSqliteStore({ path: opened.path }); // a second open applies nothing
    await again.close();
    const db = new Database(opened.path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    db.close();
    expect(versions).toEqual(knownMigrations().map((m) => m.version));
    expect(versions.length).toBeGreaterThan(0);
  });

  it('refuses a file from a newer version with a clear error, leaving it untouched', async () => {
    await opened.store.createExecution(makeExecution());
    await opened.store.close();
    recordNewerSchema(opened.path);
    const next = latestKnownVersion() + 1;
    expect(() => openSqliteStore({ path: opened.path })).toThrow(SchemaTooNewError);
    expect(() => openSqliteStore({ path: opened.path })).toThrow(
      `The database schema is at version ${next}, but this Squall only knows versions up to ${next - 1}`,
    );
    const db = new Database(opened.path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM executions').pluck().get()).toBe(1);
    db.close();
  });

  it('enforces that output and results belong to an existing execution', async () => {
    const missing = makeExecution().id;
    await expect(
      opened.store.appendOutput([{ executionId: missing, timestamp: 1, outputType: 'stdout', data: 'x' }]),
    ).rejects.toThrow(/FOREIGN KEY/);
  });

  it('rejects a failing write alone; writes queued with it still commit', async () => {
    const good = makeExecution();
    const duplicate = makeExecution();
    await opened.store.createExecution(duplicate);
    const results = await Promise.allSettled([
      opened.store.createExecution(duplicate),
      opened.store.createExecution(good),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled']);
    expect(await opened.store.getExecution(good.id)).toEqual(good);
  });

  it('shows a write to reads once it has settled, and commits queued writes on close', async () => {
    const record = makeExecution();
    // Reads do not force a commit (that would defeat group commit): an unsettled write may be unseen.
    const created = opened.store.createExecution(record);
    await created;
    expect(await opened.store.getExecution(record.id)).toEqual(record);
    const late = makeExecution();
    const pending = opened.store.createExecution(late);
    await opened.store.close();
    await pending;
    const again = await opened.connectAgain();
    expect(await again.getExecution(late.id)).toEqual(late);
  });

  it('works in memory too', async () => {
    const store = openSqliteStore({ path: ':memory:' });
    const record = makeExecution();
    await store.createExecution(record);
    expect(await store.getExecution(record.id)).toEqual(record);
    await store.close();
  });
});
