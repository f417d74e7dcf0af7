/**
 * Opens the scale-out store on PostgreSQL: a connection pool confined to one schema, migrations
 * (serialized between processes), then the store.
 */
import { createPool, quotedSchema } from './connection-pool.ts';
import { migrate } from './migrate.ts';
import { PostgresStore } from './postgres-store.ts';

export interface PostgresStoreOptions {
  /** A libpq-style URL, e.g. `postgres://squall@db.internal:5432/squall`. */
  url: string;
  /** Where every table lives; created if missing. Default `public`. */
  schema?: string;
  /** Connections this process keeps at most. Default 10. */
  poolSize?: number;
}

export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const schema = options.schema ?? 'public';
  quotedSchema(schema); // a bad name fails here, before any connection is made
  const pool = createPool({ url: options.url, schema, poolSize: options.poolSize ?? 10 });
  try {
    await migrate(pool, schema);
    return new PostgresStore(pool, { url: options.url, schema });
  } catch (error) {
    await pool.end();
    throw error;
  }
}
