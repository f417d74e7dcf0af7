/**
 * Numbered plain-SQL migrations (`migrations/NNN_name.sql`), applied in order, each in its own
 * transaction, and recorded in `schema_migrations`. A database whose highest recorded migration is
 * newer than the newest file here is refused: an older Squall must not write to it.
 */
import type Database from 'better-sqlite3';
import { shippedMigrations, type Migration } from '../migration-files.ts';
import { SchemaTooNewError } from '../schema-too-new-error.ts';

export type { Migration } from '../migration-files.ts';

// Resolved from this module so it works from any working directory.
const shipped = shippedMigrations(new URL('./migrations/', import.meta.url));

/** The migrations shipped with this code, in version order. */
export const knownMigrations = shipped.known;
export const latestKnownVersion = shipped.latestVersion;

function currentVersion(db: Database.Database): number {
  const row = db.prepare<[], { v: number | null }>('SELECT max(version) AS v FROM schema_migrations').get();
  return row?.v ?? 0;
}

/** Brings the database up to date, or throws SchemaTooNewError. */
export function migrate(db: Database.Database, migrations: readonly Migration[] = knownMigrations()): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at INTEGER NOT NULL -- milliseconds since the epoch
  ) STRICT`);
  const known = migrations.at(-1)?.version ?? 0;
  const record = db.prepare<[number, string, number]>(
    'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)',
  );
  // IMMEDIATE takes the write lock before reading the version, so two processes opening a fresh
  // file at once cannot both apply the same migration.
  const apply = db.transaction((m: Migration) => {
    const current = currentVersion(db);
    if (current > known) throw new SchemaTooNewError(current, known);
    if (current >= m.version) return;
    db.exec(m.sql);
    record.run(m.version, m.name, Date.now());
  });
  const current = currentVersion(db);
  if (current > known) throw new SchemaTooNewError(current, known);
  for (const m of migrations) if (m.version > current) apply.immediate(m);
}
