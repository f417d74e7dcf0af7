/**
 * Group commit. A SQLite commit costs far more than the statements in it (every dirty page is
 * written to the WAL, and checkpoints fsync), so writes issued while the event loop is busy are
 * queued and run together in one transaction on the next turn (setImmediate: after the I/O
 * callbacks of this turn, so the writes of concurrent requests and executions share a commit).
 * Each write's promise settles only after the commit that made it durable (or failed).
 *
 * Order is preserved: writes run in the order they were issued, and readers call `flush()` first,
 * so a read always sees every write issued before it.
 *
 * Each job must be atomic on its own: one statement (SQLite undoes a failed statement), or a
 * function wrapped in `db.transaction`, which nests as a savepoint. A failing job then rejects
 * alone and the others still commit.
 */
import type Database from 'better-sqlite3';

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

export class GroupCommit {
  readonly #db: Database.Database;
  // IMMEDIATE takes the write lock up front: no other process's write lands between a job's
  // reads and its writes, and the commit cannot fail for a stale read snapshot.
  readonly #begin: Database.Statement<[]>;
  readonly #commit: Database.Statement<[]>;
  readonly #rollback: Database.Statement<[]>;
  #pending: Job[] = [];
  #scheduled = false;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#begin = db.prepare('BEGIN IMMEDIATE');
    this.#commit = db.prepare('COMMIT');
    this.#rollback = db.prepare('ROLLBACK');
  }

  /** Queues `work` for the next group commit; settles with its value once committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#flushScheduled);
      }
    });
  }

  readonly #flushScheduled = (): void => {
    this.#scheduled = false;
    this.flush();
  };

  /** Runs and commits every queued write now. */
  flush(): void {
    const jobs = this.#pending;
    if (jobs.length === 0) return;
    this.#pending = [];
    const outcomes: Outcome[] = [];
    try {
      this.#begin.run();
      for (const job of jobs) {
        try {
          outcomes.push({ ok: true, value: job.work() });
        } catch (error) {
          // Some errors (disk full, I/O) make SQLite roll the whole transaction back: then none of
          // the earlier jobs happened either.
          if (!this.#db.inTransaction) throw error;
          outcomes.push({ ok: false, error });
        }
      }
      this.#commit.run();
    } catch (error) {
      if (this.#db.inTransaction) this.#rollback.run();
      for (const job of jobs) job.reject(error);
      return;
    }
    jobs.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome?.ok) job.resolve(outcome.value);
      else job.reject(outcome?.error);
    });
  }
}
