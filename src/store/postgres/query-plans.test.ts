/**
 * The list and queue queries must stay fast with millions of rows: each reads an index in the
 * requested order (at most an incremental sort of ties) instead of sorting every match, and point
 * writes find their row by primary key. PostgreSQL plans from statistics, so the schema is seeded
 * with enough rows (in one INSERT … SELECT) and analyzed before the plans are read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Condition, DistinctColumn, ExecutionQuery } from '../../domain/execution-query.ts';
import { distinctSql, hasNullSql } from '../distinct-values.ts';
import { EXPIRE_LEASES, RENEW_LEASES } from './leases.ts';
import { CLAIM_DUE, MARK_DELAYED, NEXT_DUE } from './execution-queue.ts';
import { TRANSITION } from './execution-writes.ts';
import { compileListQuery } from './list-query.ts';
import { openPostgresStore } from './open-postgres-store.ts';
import {
  dropSchema,
  freshSchemaName,
  runInSchema,
  TEST_DATABASE_URL,
  unreachableReason,
} from './test-database.ts';

const unreachable = await unreachableReason();
if (unreachable)
  console.warn(`PostgreSQL not reachable (${unreachable}): skipping the postgres query plan suite`);
const suite = unreachable ? describe.skip : describe;
const T = 1_700_000_000_000_000;
const ROWS = 50_000;

// Shaped like a busy installation: most runs finished, a few in the queue, one in ten a child,
// a third started by rules.
const SEED_SQL = `INSERT INTO executions (id, liveaction_id, action_ref, action_snapshot, runner_snapshot,
  runner_name, status, start_ts, parent_id, "user", parameters, context, liveaction, log, delay, result_size,
  trigger_refs, rule_name, trigger_name, run_at)
SELECT lpad(to_hex(g), 24, '0'), lpad(to_hex(g), 24, '0'), 'pack' || (g % 50) || '.action' || (g % 7), 's', 'r',
  'local-shell-cmd', (ARRAY['succeeded', 'failed', 'running', 'requested', 'scheduled', 'succeeded',
  'succeeded', 'succeeded'])[1 + g % 8], ${T} + g * 1000,
  CASE WHEN g % 10 = 0 THEN lpad(to_hex(g - 1), 24, '0') END, 'user' || (g % 5), '{}', '{"user":"u"}',
  '{"runner_info":{}}', '[]', 0, 0, '{}', CASE WHEN g % 3 = 0 THEN 'rule' || (g % 11) END,
  CASE WHEN g % 3 = 0 THEN 'trigger' || (g % 13) END, CASE WHEN g % 8 = 3 THEN ${T} + g * 1000 END
FROM generate_series(1, ${ROWS}) AS g`;

/** Every node of an EXPLAIN (FORMAT JSON) plan, depth first, as "Node Type[ using Index]". */
function nodes(plan: unknown): string[] {
  const node = plan as { 'Node Type': string; 'Index Name'?: string; Plans?: unknown[] };
  const self = node['Index Name'] ? `${node['Node Type']} using ${node['Index Name']}` : node['Node Type'];
  return [self, ...(node.Plans ?? []).flatMap(nodes)];
}

suite('PostgreSQL query plans', () => {
  const schema = freshSchemaName();

  beforeAll(async () => {
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema, poolSize: 1 });
    await store.close();
    await runInSchema(schema, SEED_SQL);
    await runInSchema(schema, 'VACUUM ANALYZE executions');
  }, 60_000);
  afterAll(() => dropSchema(schema));

  async function plan(sql: string, params: unknown[]): Promise<string[]> {
    const [[json]] = (await runInSchema(schema, `EXPLAIN (FORMAT JSON) ${sql}`, params)) as [[unknown]];
    return nodes((json as [{ Plan: unknown }])[0].Plan);
  }
  function listPlan(where: Condition[], orderBy: ExecutionQuery['orderBy'] = []): Promise<string[]> {
    const { sql, params } = compileListQuery({ where, orderBy, limit: 100, offset: 0, countTotal: true });
    return plan(sql, [...params, 100, 0]);
  }
  const eq = (column: 'status' | 'action_ref' | 'rule_name' | 'user', value: string): Condition => ({
    field: { kind: 'column', column },
    op: 'eq',
    value,
  });
  const topLevel: Condition = { field: { kind: 'column', column: 'parent_id' }, op: 'absent' };

  it('default list: walks executions_by_start, no sort at all', async () => {
    expect(await listPlan([])).toEqual(['Limit', 'Index Scan using executions_by_start']);
  });

  it('top level (parent=null, st2web history): walks the partial index, no sort', async () => {
    expect(await listPlan([topLevel])).toEqual(['Limit', 'Index Scan using executions_top_level_by_start']);
  });

  it('equality filters: their index; many matches come in start order, sorting ties only', async () => {
    for (const [where, index] of [
      [[eq('status', 'failed')], 'executions_by_status'],
      [[eq('status', 'failed'), eq('action_ref', 'pack3.action3')], 'executions_by_status_action'],
      [[eq('rule_name', 'rule3')], 'executions_by_rule'],
      [[eq('user', 'user3')], 'executions_by_user'],
    ] as const) {
      const steps = await listPlan([...where]);
      expect(
        steps.some((s) => s.endsWith(`using ${index}`)),
        `${index}: ${steps.join(', ')}`,
      ).toBe(true);
      expect(steps, index).not.toContain('Seq Scan');
    }
    // Thousands of matches: read backwards in start order, not all sorted. (A handful of matches,
    // as status+action here, may rightly be fetched by bitmap and sorted.)
    expect(await listPlan([eq('status', 'failed')])).toEqual([
      'Limit',
      'Incremental Sort',
      'Index Scan using executions_by_status',
    ]);
  });

  it('a sort on a nullable column reads its index either way, NULLs where the contract puts them', async () => {
    for (const descending of [false, true]) {
      const steps = await listPlan([], [{ column: 'user', descending }]);
      expect(steps, `descending: ${descending}`).toEqual([
        'Limit',
        'Incremental Sort',
        'Index Scan using executions_by_user',
      ]);
    }
  });

  it('the queue: claim, mark delayed and next due read only the partial queue index', async () => {
    const claim = await plan(CLAIM_DUE.text, [T + 10_000_000, 64, 'w', T + 40_000_000]);
    expect(claim).toContain('Index Scan using executions_queue');
    expect(claim).toContain('Index Scan using executions_pkey');
    expect(claim).not.toContain('Seq Scan');
    expect(await plan(MARK_DELAYED.text, [T])).toContain('Index Scan using executions_queue');
    expect(await plan(NEXT_DUE.text, [])).toContain('Index Only Scan using executions_queue');
  });

  it('leases: renewal finds its rows by primary key, expiry reads only the partial lease index', async () => {
    const renew = await plan(RENEW_LEASES.text, ['w', [hexId(1), hexId(2)], T]);
    expect(renew).toContain('Index Scan using executions_pkey');
    expect(renew).not.toContain('Seq Scan');
    const expire = await plan(EXPIRE_LEASES.text, [T, 100, '{}', 'w', 2, ['dead-owner']]);
    expect(expire).toContain('Index Scan using executions_by_lease');
    expect(expire).not.toContain('Seq Scan');
  });

  it('a transition finds its row by primary key', async () => {
    const params = [hexId(5), ['succeeded'], 'failed', T, null, null, '{}', '{}', false, null, null, '{}'];
    const steps = await plan(TRANSITION.text, params);
    expect(steps).toContain('Index Scan using executions_pkey');
    expect(steps).not.toContain('Seq Scan');
  });

  it('childrenOf and distinctValues are index seeks', async () => {
    const children = await plan(
      'SELECT parent_id, id FROM executions WHERE parent_id = ANY ($1::text[]) ORDER BY start_ts, id',
      [[hexId(9), hexId(19)]],
    );
    expect(children.some((s) => s.endsWith('using executions_by_parent'))).toBe(true);
    for (const column of ['user', 'rule_name', 'status'] as DistinctColumn[]) {
      expect(await plan(distinctSql(column), []), column).not.toContain('Seq Scan');
    }
    // No user is NULL, so only an index can answer without reading every row. (Where NULLs are
    // common, as rule_name's, a sequential scan finds one at once, and the planner rightly takes it.)
    expect(await plan(hasNullSql('user'), [])).not.toContain('Seq Scan');
  });
});

function hexId(n: number): string {
  return n.toString(16).padStart(24, '0');
}
