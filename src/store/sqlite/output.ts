/** Output chunks: appended in batches, read back in append order (the AUTOINCREMENT id). */
import type Database from 'better-sqlite3';
import type { OutputChunk } from '../../domain/types.ts';
import type { NewOutputChunk, OutputPage } from '../store.ts';

const APPEND_SQL = 'INSERT INTO execution_output (execution_id, ts, output_type, data) VALUES (?, ?, ?, ?)';

// The action and runner refs are the execution's, joined in rather than copied into every chunk.
const LIST_SQL = `SELECT o.id, o.execution_id AS executionId, e.action_ref AS actionRef, e.runner_name AS runnerRef,
  o.ts AS timestamp, o.output_type AS outputType, o.data
FROM execution_output o JOIN executions e ON e.id = o.execution_id
WHERE o.execution_id = :id AND (:type IS NULL OR o.output_type = :type) AND o.id > :after
ORDER BY o.id
LIMIT :limit`;

const COLUMNS = `o.id, o.execution_id AS executionId, e.action_ref AS actionRef, e.runner_name AS runnerRef,
  o.ts AS timestamp, o.output_type AS outputType, o.data`;
const BY_IDS_SQL = `SELECT ${COLUMNS} FROM execution_output o JOIN executions e ON e.id = o.execution_id
WHERE o.id IN (SELECT value FROM json_each(?)) ORDER BY o.id`;
const AFTER_SQL = `SELECT ${COLUMNS} FROM execution_output o JOIN executions e ON e.id = o.execution_id
WHERE o.id > ? ORDER BY o.id LIMIT ?`;

export interface OutputStore {
  append(chunks: readonly NewOutputChunk[]): number[];
  list(executionId: string, outputType?: string, page?: OutputPage): OutputChunk[];
  byIds(ids: readonly number[]): OutputChunk[];
  after(afterId: number, limit: number): OutputChunk[];
}

export function prepareOutput(db: Database.Database): OutputStore {
  const insert = db.prepare<[string, number, string, string]>(APPEND_SQL);
  const list = db.prepare<{ id: string; type: string | null; after: number; limit: number }, OutputChunk>(
    LIST_SQL,
  );
  const byIds = db.prepare<[string], OutputChunk>(BY_IDS_SQL);
  const after = db.prepare<[number, number], OutputChunk>(AFTER_SQL);
  // A transaction (a savepoint inside the store's group commit): a batch is stored whole or not at all.
  const append = db.transaction((chunks: readonly NewOutputChunk[]) =>
    chunks.map((c) => Number(insert.run(c.executionId, c.timestamp, c.outputType, c.data).lastInsertRowid)),
  );
  return {
    byIds: (ids) => (ids.length === 0 ? [] : byIds.all(JSON.stringify(ids))),
    after: (afterId, limit) => after.all(afterId, limit),
    append: (chunks) => (chunks.length > 0 ? append(chunks) : []),
    list: (executionId, outputType, page) =>
      list.all({
        id: executionId,
        type: outputType ?? null,
        after: page?.afterId ?? 0,
        limit: page?.limit ?? -1,
      }),
  };
}
