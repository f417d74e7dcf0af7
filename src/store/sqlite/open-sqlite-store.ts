/**
 * Opens (creating if needed) the embedded store on a SQLite file: connection settings, migrations,
 * then the prepared statements.
 */
import Database from 'better-sqlite3';
import { AUTO_CHECKPOINT_PAGES, BackgroundCheckpointer } from './background-checkpointer.ts';
import { migrate } from './migrate.ts';
import { SqliteStore } from './sqlite-store.ts';

export interface SqliteStoreOptions {
  /** A file path; `:memory:` works for throwaway stores (no WAL, not shareable). */
  path: string;
  /** How long a write waits for another connection's write lock before failing. Default 5 s. */
  busyTimeoutMs?: number;
  /**
   * Checkpoint the WAL from a worker thread this often instead of inside commits (see
   * background-checkpointer.ts). Off by default: a server turns it on; short-lived stores in tests
   * and tools do not need a thread each.
   */
  backgroundCheckpointMs?: number;
}

export function openSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const db = new Database(options.path, { timeout: options.busyTimeoutMs ?? 5000 });
  try {
    // WAL: readers never block the writer and commits are appends; NORMAL syncs at checkpoints
    // only, which in WAL mode can lose the last commits on power loss but never corrupts.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    // 16 MiB page cache: the hot end of the indexes stays in memory; the OS page cache holds the
    // rest without counting against Squall's resident memory.
    db.pragma('cache_size = -16384');
    db.pragma('temp_store = MEMORY');
    db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    // Bounds the WAL file once a checkpoint has emptied it (a burst of output can grow it a lot).
    db.pragma(`journal_size_limit = ${64 * 1024 * 1024}`);
    migrate(db);
    const checkpointer =
      options.backgroundCheckpointMs !== undefined && options.path !== ':memory:'
        ? BackgroundCheckpointer.start(db, { path: options.path, intervalMs: options.backgroundCheckpointMs })
        : undefined;
    return new SqliteStore(db, checkpointer);
  } catch (error) {
    db.close();
    throw error;
  }
}
