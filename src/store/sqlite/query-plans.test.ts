/**
 * The list and queue queries must stay fast with millions of rows: each reads an index in the
 * requested order (at most sorting ties, "LAST n TERMS") instead of sorting every match, and point
 * writes find their row by primary key. Without ANALYZE statistics SQLite plans the same whatever
 * the data, so an empty database shows the plans a large one gets.
 */
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition, DistinctColumn, ExecutionQuery } from '../../domain/execution-query.ts';
import { CLAIM_SQL, MARK_DELAYED_SQL, NEXT_DUE_SQL, SELECT_DUE_SQL } from './execution-queue.ts';
import { distinctSql, hasNullSql } from '../distinct-values.ts';
import { TRANSITION_SQL } from './execution-writes.ts';
import { compileListQuery } from './list-query.ts';
import { migrate } from './migrate.ts';

let db: Database.Database;
beforeAll(() => {
  db = new Database(':memory:');
  migrate(db);
  db.function('squall_shallow_merge', (_target: unknown, _patch: unknown) => '{}');
});
afterAll(() => db.close());

function plan(sql: string, ...params: unknown[]): string[] {
  const rows = db.prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`).all(...params);
  return rows.map((r) => r.detail);
}

function listPlan(where: Condition[], orderBy: ExecutionQuery['orderBy'] = []): string[] {
  const { sql, params } = compileListQuery({ where, orderBy, limit: 100, offset: 0, countTotal: true });
  return plan(sql, ...params, 100, 0);
}

const FULL_SORT = 'USE TEMP B-TREE FOR ORDER BY';
const eq = (column: 'status' | 'action_ref' | 'rule_name', value: string): Condition => ({
  field: { kind: 'column', column },
  op: 'eq',
  value,
});
const topLevel: Condition = { field: { kind: 'column', column: 'parent_id' }, op: 'absent' };

describe('query plans', () => {
  it('default list: walks executions_by_start, no sort at all', () => {
    expect(listPlan([])).toEqual(['SCAN executions USING INDEX executions_by_start']);
  });

  it('top level (parent=null, st2web history): walks the partial index, no sort', () => {
    expect(listPlan([topLevel])).toEqual(['SCAN executions USING INDEX executions_top_level_by_start']);
  });

  it('status and action filters: an index search in start order, sorting ties only', () => {
    for (const where of [
      [eq('status', 'failed')],
      [eq('status', 'failed'), eq('action_ref', 'core.local')],
      [eq('rule_name', 'r')],
    ]) {
      const steps = listPlan(where);
      expect(steps[0]).toMatch(/^SEARCH executions USING INDEX executions_by_\w+ \(\w+=\?( AND \w+=\?)?\)$/);
      expect(steps).not.toContain(FULL_SORT);
    }
  });

  it('status and action together use the composite index', () => {
    const steps = listPlan([eq('status', 'failed'), eq('action_ref', 'core.local')]);
    expect(steps[0]).toBe(
      'SEARCH executions USING INDEX executions_by_status_action (status=? AND action_ref=?)',
    );
  });

  it('ascending start order still reads the index', () => {
    const steps = listPlan(
      [],
      [
        { column: 'start_ts', descending: false },
        { column: 'action_ref', descending: false },
      ],
    );
    expect(steps[0]).toBe('SCAN executions USING INDEX executions_by_start');
    expect(steps).not.toContain(FULL_SORT);
  });

  it('the queue reads only the partial queue index', () => {
    expect(plan(SELECT_DUE_SQL, 1, 10)).toEqual([
      'SEARCH executions USING INDEX executions_queue (run_at<?)',
    ]);
    expect(plan(NEXT_DUE_SQL)).toEqual(['SEARCH executions USING INDEX executions_queue']);
    expect(plan(MARK_DELAYED_SQL, { now: 1 })[0]).toBe(
      'SEARCH executions USING INDEX executions_queue (run_at>?)',
    );
  });

  it('claims and transitions find rows by primary key', () => {
    const byId = 'SEARCH executions USING INDEX sqlite_autoindex_executions_1 (id=?)';
    expect(plan(CLAIM_SQL, { ids: '[]', now: 1, owner: 'w', lease: 2 })[0]).toBe(byId);
    const transition = {
      id: 'x',
      from: ',running,',
      to: 'succeeded',
      at: 1,
      end_ts: null,
      result_size: null,
      runner_info: null,
      context_patch: null,
      set_owner: 0,
      owner: null,
      run_at: null,
    };
    expect(plan(TRANSITION_SQL, transition)).toEqual([byId]);
  });
});

describe('distinct values', () => {
  const columns: DistinctColumn[] = [
    'action_ref',
    'rule_name',
    'runner_name',
    'status',
    'trigger_name',
    'trigger_type_name',
    'user',
  ];

  it('seek the column index, once per value, instead of scanning', () => {
    for (const column of columns) {
      const steps = plan(distinctSql(column));
      expect(
        steps.filter((s) => s.startsWith('SEARCH executions USING COVERING INDEX executions_by_')),
      ).toHaveLength(2);
      expect(steps.filter((s) => s.startsWith('SCAN executions'))).toEqual([]);
    }
  });

  it('seek the column index for NULL in the nullable columns', () => {
    for (const column of ['rule_name', 'trigger_name', 'trigger_type_name', 'user'] as const) {
      expect(plan(hasNullSql(column))).toContainEqual(
        expect.stringMatching(/^SEARCH executions USING COVERING INDEX executions_by_\w+ \(\w+=\?\)$/),
      );
    }
  });
});
