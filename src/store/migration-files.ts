/**
 * Numbered plain-SQL migrations (`NNN_name.sql`) as every SQL backend ships them, one folder per
 * backend. Reading and checking the folder is the same everywhere; applying is the backend's.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const FILE_NAME = /^(\d+)_([\w-]+)\.sql$/;

/** The migrations in `dir` (a folder URL ending in `/`), in version order. */
export function readMigrations(dir: URL): Migration[] {
  const migrations: Migration[] = [];
  for (const file of readdirSync(dir)) {
    const match = FILE_NAME.exec(file);
    if (!match) continue;
    const [, version, name] = match;
    migrations.push({
      version: Number(version),
      name: name ?? file,
      sql: readFileSync(new URL(file, dir), 'utf8'),
    });
  }
  migrations.sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    // A duplicate number is a packaging mistake; catching it here beats a half-built schema. Gaps
    // are allowed: features developed side by side reserve their numbers ahead of merging.
    const previous = migrations[i - 1];
    if (previous && previous.version === m.version)
      throw new Error(`Migration ${m.version}_${m.name}.sql is out of sequence`);
  });
  return migrations;
}

/** A backend's shipped migrations, read once on first use, and the newest version among them. */
export function shippedMigrations(dir: URL): { known(): readonly Migration[]; latestVersion(): number } {
  let cached: readonly Migration[] | undefined;
  const known = (): readonly Migration[] => (cached ??= readMigrations(dir));
  return { known, latestVersion: () => known().at(-1)?.version ?? 0 };
}
