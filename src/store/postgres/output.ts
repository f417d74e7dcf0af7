/**
 * Output chunks: appended in batches, read back in append order (the bigserial id).
 *
 * Appends from one store are written one INSERT at a time, in call order: with a pool, two appends
 * in flight at once could run on two connections and take their ids in either order, and a
 * runner's output would come back shuffled. Calls made while an INSERT is in flight are coalesced
 * into the next one, so a chatty execution costs one round trip per batch, not per chunk.
 *
 * PostgreSQL text cannot hold U+0000, which process output may contain; such a chunk is stored as
 * its JSON string (flagged in `data_is_json`) and decoded on the way out.
 */
import type { Pool } from 'pg';
import type { OutputChunk } from '../../domain/types.ts';
import type { NewOutputChunk, OutputPage } from '../store.ts';
import { rowsOf, statement } from './connection-pool.ts';

// One statement for any batch size: the chunks travel as parallel arrays. ORDER BY ord makes the
// ids follow the order given.
const APPEND = statement(
  'append_output',
  `INSERT INTO execution_output (execution_id, ts, output_type, data, data_is_json)
SELECT execution_id, ts, output_type, data, data_is_json
FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::boolean[])
  WITH ORDINALITY AS c (execution_id, ts, output_type, data, data_is_json, ord)
ORDER BY ord
RETURNING id`,
);

// The action and runner refs are the execution's, joined in rather than copied into every chunk.
// $3 the id to read after (0: from the start), $4 the most to return (NULL: all).
const LIST = statement(
  'list_output',
  `SELECT o.id, o.execution_id, e.action_ref, e.runner_name, o.ts, o.output_type, o.data, o.data_is_json
FROM execution_output o JOIN executions e ON e.id = o.execution_id
WHERE o.execution_id = $1 AND ($2::text IS NULL OR o.output_type = $2::text) AND o.id > $3::bigint
ORDER BY o.id
LIMIT $4`,
);

// By id, for processes told about chunks another process stored; and everything after an id, for
// the catch-up read after a lost connection. Both walk the primary key.
const BY_IDS = statement(
  'output_by_ids',
  `SELECT o.id, o.execution_id, e.action_ref, e.runner_name, o.ts, o.output_type, o.data, o.data_is_json
FROM execution_output o JOIN executions e ON e.id = o.execution_id
WHERE o.id = ANY ($1::bigint[])
ORDER BY o.id`,
);
const AFTER = statement(
  'output_after',
  `SELECT o.id, o.execution_id, e.action_ref, e.runner_name, o.ts, o.output_type, o.data, o.data_is_json
FROM execution_output o JOIN executions e ON e.id = o.execution_id
WHERE o.id > $1::bigint
ORDER BY o.id
LIMIT $2`,
);

type OutputRow = [
  id: number,
  executionId: string,
  actionRef: string,
  runnerRef: string,
  timestamp: number,
  outputType: string,
  data: string,
  dataIsJson: boolean,
];

function toChunk(r: OutputRow): OutputChunk {
  return {
    id: r[0],
    executionId: r[1],
    actionRef: r[2],
    runnerRef: r[3],
    timestamp: r[4],
    outputType: r[5],
    data: r[7] ? (JSON.parse(r[6]) as string) : r[6],
  };
}

interface Job {
  chunks: readonly NewOutputChunk[];
  resolve: (ids: number[]) => void;
  reject: (error: unknown) => void;
}

export class OutputStore {
  readonly #pool: Pool;
  #pending: Job[] = [];
  /** Whether #drain is running; it settles every job itself and never rejects. */
  #draining = false;

  constructor(pool: Pool) {
    this.#pool = pool;
  }

  /** Resolves with the ids assigned, in the order given, once the chunks are stored. */
  append(chunks: readonly NewOutputChunk[]): Promise<number[]> {
    if (chunks.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#pending.push({ chunks, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        void this.#drain();
      }
    });
  }

  async list(executionId: string, outputType?: string, page?: OutputPage): Promise<OutputChunk[]> {
    const params = [executionId, outputType ?? null, page?.afterId ?? 0, page?.limit ?? null];
    return (await rowsOf<OutputRow>(this.#pool, LIST, params)).map(toChunk);
  }

  async byIds(ids: readonly number[]): Promise<OutputChunk[]> {
    if (ids.length === 0) return [];
    return (await rowsOf<OutputRow>(this.#pool, BY_IDS, [ids])).map(toChunk);
  }

  async after(afterId: number, limit: number): Promise<OutputChunk[]> {
    return (await rowsOf<OutputRow>(this.#pool, AFTER, [afterId, limit])).map(toChunk);
  }

  async #drain(): Promise<void> {
    while (this.#pending.length > 0) {
      const jobs = this.#pending;
      this.#pending = [];
      try {
        const ids = await this.#insert(
          jobs.length === 1 ? (jobs[0]?.chunks ?? []) : jobs.flatMap((j) => j.chunks),
        );
        let at = 0;
        for (const job of jobs) job.resolve(ids.slice(at, (at += job.chunks.length)));
      } catch (error) {
        // One bad batch (say, an unknown execution) must not fail the batches merged with it:
        // retry each alone, in order, so only the bad one rejects.
        if (jobs.length === 1) jobs[0]?.reject(error);
        else for (const job of jobs) await this.#insert(job.chunks).then(job.resolve, job.reject);
      }
    }
    this.#draining = false;
  }

  async #insert(chunks: readonly NewOutputChunk[]): Promise<number[]> {
    const columns: [string[], number[], string[], string[], boolean[]] = [[], [], [], [], []];
    for (const c of chunks) {
      const escape = c.data.includes('\0');
      columns[0].push(c.executionId);
      columns[1].push(c.timestamp);
      columns[2].push(c.outputType);
      columns[3].push(escape ? JSON.stringify(c.data) : c.data);
      columns[4].push(escape);
    }
    const rows = await rowsOf<[number]>(this.#pool, APPEND, columns);
    // Ids were drawn in insertion order, which ORDER BY ord made the order given.
    return rows.map((r) => r[0]).sort((a, b) => a - b);
  }
}
