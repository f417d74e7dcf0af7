/**
 * Retention: old executions (with their results and output, by cascade) and old output, deleted
 * in bounded batches, oldest first.
 */
import type Database from 'better-sqlite3';

// Completed only: an execution still in flight is never collected, however old.
const DELETE_EXECUTIONS = `DELETE FROM executions WHERE id IN (
  SELECT id FROM executions
  WHERE status IN ('succeeded', 'failed', 'timeout', 'abandoned', 'canceled') AND start_ts < ?
  ORDER BY start_ts LIMIT ?)`;

// Chunk ids grow with time, so the oldest are the first rows of the table: the scan stops early.
const DELETE_OUTPUT = `DELETE FROM execution_output WHERE id IN (
  SELECT id FROM execution_output WHERE ts < ? ORDER BY id LIMIT ?)`;

export interface Retention {
  executions(before: number, limit: number): number;
  output(before: number, limit: number): number;
}

export function prepareRetention(db: Database.Database): Retention {
  const executions = db.prepare<[number, number]>(DELETE_EXECUTIONS);
  const output = db.prepare<[number, number]>(DELETE_OUTPUT);
  return {
    executions: (before, limit) => executions.run(before, limit).changes,
    output: (before, limit) => output.run(before, limit).changes,
  };
}
