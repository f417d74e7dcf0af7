/** The embedded SQLite backend: what the composition root needs, nothing more. */
export { openSqliteStore, type SqliteStoreOptions } from './open-sqlite-store.ts';
export type { SqliteStore } from './sqlite-store.ts';
