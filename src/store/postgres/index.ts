/** The PostgreSQL backend: what the composition root needs, nothing more. */
export { openPostgresStore, type PostgresStoreOptions } from './open-postgres-store.ts';
export type { PostgresStore } from './postgres-store.ts';
