/**
 * Retention: old executions (with their results and output, by cascade) and old output, deleted
 * in bounded batches, oldest first. SKIP LOCKED lets several processes collect at once without
 * waiting on each other or deleting a row twice.
 */
import type { Pool } from 'pg';
import { statement, valueOf } from './connection-pool.ts';

const DELETE_EXECUTIONS = statement(
  'delete_executions_before',
  `WITH gone AS (
  DELETE FROM executions WHERE id IN (
    SELECT id FROM executions
    WHERE status IN ('succeeded', 'failed', 'timeout', 'abandoned', 'canceled') AND start_ts < $1::bigint
    ORDER BY start_ts LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING 1)
SELECT count(*)::int FROM gone`,
);

const DELETE_OUTPUT = statement(
  'delete_output_before',
  `WITH gone AS (
  DELETE FROM execution_output WHERE id IN (
    SELECT id FROM execution_output WHERE ts < $1::bigint ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED)
  RETURNING 1)
SELECT count(*)::int FROM gone`,
);

export interface Retention {
  executions(before: number, limit: number): Promise<number>;
  output(before: number, limit: number): Promise<number>;
}

export function createRetention(pool: Pool): Retention {
  return {
    executions: async (before, limit) =>
      Number(await valueOf<number>(pool, DELETE_EXECUTIONS, [before, limit])),
    output: async (before, limit) => Number(await valueOf<number>(pool, DELETE_OUTPUT, [before, limit])),
  };
}
