/**
 * Numbered plain-SQL migrations (`migrations/NNN_name.sql`) for PostgreSQL, recorded in
 * `schema_migrations`. Several processes may start against a fresh database at once (N API nodes,
 * M workers), so one transaction takes a transaction-level advisory lock per schema, then creates
 * the schema if needed, reads the version and applies what is missing: whoever comes second waits,
 * then finds nothing left to do. PostgreSQL's DDL is transactional, so a failing migration leaves
 * nothing half-built. A database whose highest recorded migration is newer than the newest file
 * here is refused: an older Squall must not write to it.
 */
import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { shippedMigrations, type Migration } from '../migration-files.ts';
import { SchemaTooNewError } from '../schema-too-new-error.ts';
import { quotedSchema } from './connection-pool.ts';

// Resolved from this module so it works from any working directory.
const shipped = shippedMigrations(new URL('./migrations/', import.meta.url));

/** The migrations shipped with this code, in version order. */
export const knownMigrations = shipped.known;
export const latestKnownVersion = shipped.latestVersion;

/** First half of the two-int advisory lock key: "Squa", so the lock is recognisable in pg_locks. */
const LOCK_NAMESPACE = 0x53717561;

/** Second half: the schema, hashed, so that stores in different schemas never wait for each other. */
function schemaLockKey(schema: string): number {
  return createHash('sha1').update(schema).digest().readInt32BE(0);
}

const CREATE_MIGRATIONS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
)`;
const CURRENT_VERSION_SQL = 'SELECT coalesce(max(version), 0) FROM schema_migrations';
const RECORD_SQL = 'INSERT INTO schema_migrations (version, name) VALUES ($1, $2)';

async function currentVersion(client: PoolClient): Promise<number> {
  const result = await client.query<[number]>({ text: CURRENT_VERSION_SQL, rowMode: 'array' });
  return result.rows[0]?.[0] ?? 0;
}

/**
 * Brings `schema` (created if missing) up to date, or throws SchemaTooNewError. The pool's
 * connections must already have `schema` as their search_path: the migrations name nothing else.
 */
export async function migrate(
  pool: Pool,
  schema: string,
  migrations: readonly Migration[] = knownMigrations(),
): Promise<void> {
  const known = migrations.at(-1)?.version ?? 0;
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_NAMESPACE, schemaLockKey(schema)]);
    // Looked up first rather than CREATE SCHEMA IF NOT EXISTS, which needs the CREATE privilege on
    // the database even when the schema exists: a role confined to its schema can still open it.
    const exists = await client.query('SELECT FROM pg_namespace WHERE nspname = $1', [schema]);
    if (exists.rowCount === 0) await client.query(`CREATE SCHEMA ${quotedSchema(schema)}`);
    await client.query(CREATE_MIGRATIONS_TABLE_SQL);
    const current = await currentVersion(client);
    if (current > known) throw new SchemaTooNewError(current, known);
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await client.query(RECORD_SQL, [m.version, m.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    // Ends the transaction and with it the lock; a connection that cannot even roll back is
    // discarded rather than returned to the pool mid-transaction.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
