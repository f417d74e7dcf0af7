/**
 * Checkpoints the WAL from a worker thread. SQLite's automatic checkpoint runs inside the commit
 * that crosses the threshold, on the committing thread: copying tens of megabytes of WAL into the
 * database file and fsyncing it there stalled Squall's event loop for a third of a second at a
 * time, and with it the reading of every running action's output pipe (the action blocks on a full
 * pipe). A PASSIVE checkpoint from a second connection copies the same pages without taking the
 * write lock, so the main connection only ever appends to the WAL.
 *
 * If the worker dies, the main connection takes automatic checkpoints back, so the WAL can never
 * grow without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

/** WAL pages after which the main connection checkpoints itself when no worker does it. */
export const AUTO_CHECKPOINT_PAGES = 16384;

export interface CheckpointerOptions {
  /** The database file (the worker opens its own connection to it). */
  path: string;
  /** Pause between checkpoints. */
  intervalMs: number;
}

// A script, not a module file: it runs the same from compiled JavaScript, tsx and vitest. It gets
// better-sqlite3's resolved path, as a worker's `require` does not resolve from our package.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { timeout: 5000 });
db.pragma('synchronous = NORMAL');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // SQLITE_BUSY and the like: the next round tries again.
  }
};
const timer = setInterval(checkpoint, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export class BackgroundCheckpointer {
  readonly #worker: Worker;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker, exited: Promise<void>) {
    this.#worker = worker;
    this.#exited = exited;
  }

  /** Turns the connection's automatic checkpoints off and starts the worker that takes them over. */
  static start(db: Database.Database, options: CheckpointerOptions): BackgroundCheckpointer {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver, path: options.path, intervalMs: options.intervalMs },
    });
    // The worker must not keep a process alive that has nothing else to do.
    worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    const exited = new Promise<void>((resolve) => {
      const fallBack = (): void => {
        if (db.open) db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
        resolve();
      };
      worker.once('error', fallBack);
      worker.once('exit', fallBack);
    });
    return new BackgroundCheckpointer(worker, exited);
  }

  /** Takes a last checkpoint, closes the worker's connection and waits for it to exit. */
  async stop(): Promise<void> {
    // Unreferenced so it cannot keep an idle process alive; while stopping, the wait must.
    this.#worker.ref();
    this.#worker.postMessage('stop');
    await this.#exited;
  }
}
