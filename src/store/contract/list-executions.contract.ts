/**
 * listExecutions: every condition kind and operator, ordering with its tie-break, paging, totals.
 * Six executions, e1…e6, whose default order (start DESC, action ref ASC, id in the first key's
 * direction) is e5 e3 e4 e2 e1 e6.
 */
import { describe, expect, it } from 'vitest';
import type { Condition, ExecutionColumn, ExecutionQuery, SortKey } from '../../domain/execution-query.ts';
import type { ExecutionRecord, JsonObject } from '../../domain/types.ts';
import type { Store } from '../store.ts';
import { makeExecution } from './fixtures.ts';
import { hexId, idsOf, useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;
const [e1, e2, e3, e4, e5, e6] = [1, 2, 3, 4, 5, 6].map(hexId) as [
  string,
  string,
  string,
  string,
  string,
  string,
];
const snap = { local: hexId(0x51), http: hexId(0x52), wf: hexId(0x53), upper: hexId(0x54) };
const runnerSnap = { shell: hexId(0x61), http: hexId(0x62), orquesta: hexId(0x63) };

const SNAPSHOTS: Record<string, JsonObject> = {
  [snap.local]: { pack: 'core', name: 'local', parameters: { cmd: { type: 'string' } }, enabled: true },
  [snap.http]: { pack: 'core', name: 'http', parameters: { url: { type: 'string' } }, enabled: true },
  [snap.wf]: { pack: 'examples', name: 'wf', parameters: {}, enabled: false },
  [snap.upper]: { pack: 'Core', name: 'Upper', parameters: {}, enabled: true },
  [runnerSnap.shell]: { name: 'local-shell-cmd', runner_module: 'local_runner' },
  [runnerSnap.http]: { name: 'http-request', runner_module: 'http_runner' },
  [runnerSnap.orquesta]: { name: 'orquesta', runner_module: 'orquesta_runner' },
};

const liveaction = (source: string, hostname: string) => ({
  action_is_workflow: false,
  callback: { source },
  runner_info: { hostname },
});

const RECORDS: ExecutionRecord[] = [
  makeExecution({
    id: e1,
    liveactionId: hexId(0x11),
    actionRef: 'core.local',
    actionSnapshotId: snap.local,
    runnerSnapshotId: runnerSnap.shell,
    runnerName: 'local-shell-cmd',
    status: 'succeeded',
    startTimestamp: T + 100,
    endTimestamp: T + 150,
    user: 'alice',
    parameters: { cmd: 'echo 1' },
    context: {
      user: 'alice',
      flag: true,
      n: 5,
      nested: { k: 'v' },
      'a.b': 'dot',
      'we"ird': 'quote',
      'back\\slash': 'bs',
    },
    liveaction: liveaction('cb1', 'h1'),
    triggerRefs: {
      rule: { name: 'r1', ref: 'p.r1' },
      trigger: { name: 't1' },
      trigger_type: { name: 'tt1' },
      trigger_instance: { id: 'ti1' },
    },
  }),
  makeExecution({
    id: e2,
    liveactionId: hexId(0x12),
    actionRef: 'core.http',
    actionSnapshotId: snap.http,
    runnerSnapshotId: runnerSnap.http,
    runnerName: 'http-request',
    status: 'failed',
    startTimestamp: T + 200,
    endTimestamp: T + 260,
    parentId: e1,
    user: 'bob',
    parameters: { url: 'http://x' },
    context: { user: 'bob', flag: false, n: 10 },
    liveaction: liveaction('cb2', 'h2'),
  }),
  makeExecution({
    id: e3,
    liveactionId: hexId(0x13),
    actionRef: 'core.local',
    actionSnapshotId: snap.local,
    runnerSnapshotId: runnerSnap.shell,
    runnerName: 'local-shell-cmd',
    status: 'running',
    startTimestamp: T + 300,
    parentId: e1,
    user: 'alice',
    context: { user: 'alice', n: null },
    triggerRefs: {
      rule: { name: 'r2' },
      trigger: { name: 't1' },
      trigger_type: { name: 'tt1' },
      trigger_instance: { id: 'ti2' },
    },
  }),
  makeExecution({
    id: e4,
    liveactionId: hexId(0x14),
    actionRef: 'examples.wf',
    actionSnapshotId: snap.wf,
    runnerSnapshotId: runnerSnap.orquesta,
    runnerName: 'orquesta',
    status: 'succeeded',
    startTimestamp: T + 300,
    endTimestamp: T + 400,
    user: null,
    context: {},
    workflowExecution: 'wf-1',
    taskExecution: 'task-1',
  }),
  makeExecution({
    id: e5,
    liveactionId: hexId(0x15),
    actionRef: 'core.local',
    actionSnapshotId: snap.local,
    runnerSnapshotId: runnerSnap.shell,
    runnerName: 'local-shell-cmd',
    status: 'requested',
    startTimestamp: T + 300,
    user: 'alice',
    context: { user: 'alice' },
  }),
  makeExecution({
    id: e6,
    liveactionId: hexId(0x16),
    actionRef: 'Core.Upper',
    actionSnapshotId: snap.upper,
    runnerSnapshotId: runnerSnap.shell,
    runnerName: 'local-shell-cmd',
    status: 'succeeded',
    startTimestamp: T + 50,
    endTimestamp: T + 60,
    user: 'carol',
    context: { user: 'carol' },
  }),
];

const col = (column: ExecutionColumn) => ({ kind: 'column', column }) as const;
const ctxPath = (...path: string[]) => ({ kind: 'json', column: 'context', path }) as const;
const actionPath = (...path: string[]) => ({ kind: 'snapshot', snapshot: 'action', path }) as const;
const runnerPath = (...path: string[]) => ({ kind: 'snapshot', snapshot: 'runner', path }) as const;

function query(where: Condition[] = [], more: Partial<ExecutionQuery> = {}): ExecutionQuery {
  return { where, orderBy: [], limit: null, offset: 0, countTotal: false, ...more };
}

async function seed(store: Store): Promise<void> {
  for (const [id, doc] of Object.entries(SNAPSHOTS)) await store.putSnapshot(id, doc);
  // Not in id order, so that nothing passes by insertion order alone.
  for (const i of [3, 0, 5, 1, 4, 2]) {
    const record = RECORDS[i];
    if (record) await store.createExecution(record);
  }
}

/** [conditions, expected ids in default order] */
const FILTERS: [string, Condition[], string[]][] = [
  ['no condition', [], [e5, e3, e4, e2, e1, e6]],
  ['id eq', [{ field: col('id'), op: 'eq', value: e2 }], [e2]],
  ['id in (with an unknown id)', [{ field: col('id'), op: 'in', values: [e1, e4, hexId(404)] }], [e4, e1]],
  ['status eq', [{ field: col('status'), op: 'eq', value: 'succeeded' }], [e4, e1, e6]],
  ['status in', [{ field: col('status'), op: 'in', values: ['running', 'requested'] }], [e5, e3]],
  ['in an empty list', [{ field: col('status'), op: 'in', values: [] }], []],
  ['action_ref eq', [{ field: col('action_ref'), op: 'eq', value: 'core.local' }], [e5, e3, e1]],
  [
    'action_ref lt (bytewise: upper case first)',
    [{ field: col('action_ref'), op: 'lt', value: 'core' }],
    [e6],
  ],
  ['runner_name eq', [{ field: col('runner_name'), op: 'eq', value: 'orquesta' }], [e4]],
  ['user eq', [{ field: col('user'), op: 'eq', value: 'alice' }], [e5, e3, e1]],
  ['user absent', [{ field: col('user'), op: 'absent' }], [e4]],
  ['parent_id eq', [{ field: col('parent_id'), op: 'eq', value: e1 }], [e3, e2]],
  ['parent_id absent (top level)', [{ field: col('parent_id'), op: 'absent' }], [e5, e4, e1, e6]],
  ['liveaction_id eq', [{ field: col('liveaction_id'), op: 'eq', value: hexId(0x14) }], [e4]],
  ['start_ts gt', [{ field: col('start_ts'), op: 'gt', value: T + 200 }], [e5, e3, e4]],
  ['start_ts gte', [{ field: col('start_ts'), op: 'gte', value: T + 200 }], [e5, e3, e4, e2]],
  ['start_ts lt', [{ field: col('start_ts'), op: 'lt', value: T + 100 }], [e6]],
  ['start_ts lte', [{ field: col('start_ts'), op: 'lte', value: T + 100 }], [e1, e6]],
  [
    'start_ts range',
    [
      { field: col('start_ts'), op: 'gte', value: T + 100 },
      { field: col('start_ts'), op: 'lte', value: T + 200 },
    ],
    [e2, e1],
  ],
  ['end_ts absent', [{ field: col('end_ts'), op: 'absent' }], [e5, e3]],
  ['end_ts gt', [{ field: col('end_ts'), op: 'gt', value: T + 150 }], [e4, e2]],
  ['rule_name eq', [{ field: col('rule_name'), op: 'eq', value: 'r1' }], [e1]],
  ['rule_name in', [{ field: col('rule_name'), op: 'in', values: ['r1', 'r2'] }], [e3, e1]],
  ['rule_name absent', [{ field: col('rule_name'), op: 'absent' }], [e5, e4, e2, e6]],
  ['trigger_name eq', [{ field: col('trigger_name'), op: 'eq', value: 't1' }], [e3, e1]],
  ['trigger_type_name eq', [{ field: col('trigger_type_name'), op: 'eq', value: 'tt1' }], [e3, e1]],
  ['trigger_instance_id eq', [{ field: col('trigger_instance_id'), op: 'eq', value: 'ti2' }], [e3]],
  ['workflow_execution eq', [{ field: col('workflow_execution'), op: 'eq', value: 'wf-1' }], [e4]],
  ['task_execution eq', [{ field: col('task_execution'), op: 'eq', value: 'task-1' }], [e4]],
  ['json string eq', [{ field: ctxPath('user'), op: 'eq', value: 'alice' }], [e5, e3, e1]],
  ['json number eq (as text)', [{ field: ctxPath('n'), op: 'eq', value: 5 }], [e1]],
  ['json number eq a string', [{ field: ctxPath('n'), op: 'eq', value: '10' }], [e2]],
  ['json true as text', [{ field: ctxPath('flag'), op: 'eq', value: 'true' }], [e1]],
  ['json false as text', [{ field: ctxPath('flag'), op: 'eq', value: 'false' }], [e2]],
  ['json nested path', [{ field: ctxPath('nested', 'k'), op: 'eq', value: 'v' }], [e1]],
  ['json key with a dot', [{ field: ctxPath('a.b'), op: 'eq', value: 'dot' }], [e1]],
  ['json key with a quote', [{ field: ctxPath('we"ird'), op: 'eq', value: 'quote' }], [e1]],
  ['json key with a backslash', [{ field: ctxPath('back\\slash'), op: 'eq', value: 'bs' }], [e1]],
  ['json absent: missing or null', [{ field: ctxPath('n'), op: 'absent' }], [e5, e3, e4, e6]],
  ['json in', [{ field: ctxPath('user'), op: 'in', values: ['bob', 'carol'] }], [e2, e6]],
  ['json gt compares text ("5" > "10")', [{ field: ctxPath('n'), op: 'gt', value: '10' }], [e1]],
  [
    'json gte / lt / lte',
    [
      { field: ctxPath('user'), op: 'gte', value: 'b' },
      { field: ctxPath('user'), op: 'lt', value: 'c' },
    ],
    [e2],
  ],
  ['json lte', [{ field: ctxPath('user'), op: 'lte', value: 'alice' }], [e5, e3, e1]],
  [
    'parameters path',
    [{ field: { kind: 'json', column: 'parameters', path: ['cmd'] }, op: 'eq', value: 'echo 1' }],
    [e1],
  ],
  [
    'liveaction path',
    [
      {
        field: { kind: 'json', column: 'liveaction', path: ['runner_info', 'hostname'] },
        op: 'eq',
        value: 'h2',
      },
    ],
    [e2],
  ],
  [
    'trigger_refs path',
    [{ field: { kind: 'json', column: 'trigger_refs', path: ['rule', 'ref'] }, op: 'eq', value: 'p.r1' }],
    [e1],
  ],
  ['action snapshot eq', [{ field: actionPath('pack'), op: 'eq', value: 'core' }], [e5, e3, e2, e1]],
  ['action snapshot in', [{ field: actionPath('name'), op: 'in', values: ['http', 'wf'] }], [e4, e2]],
  [
    'action snapshot nested path',
    [{ field: actionPath('parameters', 'cmd', 'type'), op: 'eq', value: 'string' }],
    [e5, e3, e1],
  ],
  ['action snapshot boolean as text', [{ field: actionPath('enabled'), op: 'eq', value: 'false' }], [e4]],
  ['action snapshot absent', [{ field: actionPath('missing'), op: 'absent' }], [e5, e3, e4, e2, e1, e6]],
  ['action snapshot gt', [{ field: actionPath('pack'), op: 'gt', value: 'core' }], [e4]],
  ['runner snapshot eq', [{ field: runnerPath('name'), op: 'eq', value: 'orquesta' }], [e4]],
  ['runner snapshot lte', [{ field: runnerPath('runner_module'), op: 'lte', value: 'http_runner' }], [e2]],
  [
    'conditions are ANDed',
    [
      { field: col('status'), op: 'eq', value: 'succeeded' },
      { field: col('user'), op: 'eq', value: 'alice' },
    ],
    [e1],
  ],
  ['a value is never SQL', [{ field: col('action_ref'), op: 'eq', value: "core.local' OR '1'='1" }], []],
  ['a path is never SQL', [{ field: ctxPath(`') OR 1=1 --`), op: 'absent' }], [e5, e3, e4, e2, e1, e6]],
];

const ORDERS: [string, SortKey[], string[]][] = [
  ['default when none is given', [], [e5, e3, e4, e2, e1, e6]],
  [
    'start ascending: ties by action ref, then id ascending',
    [
      { column: 'start_ts', descending: false },
      { column: 'action_ref', descending: false },
    ],
    [e6, e1, e2, e3, e5, e4],
  ],
  ['action ref, bytewise, then id', [{ column: 'action_ref', descending: false }], [e6, e2, e1, e3, e5, e4]],
  ['end ascending: nulls first', [{ column: 'end_ts', descending: false }], [e3, e5, e6, e1, e2, e4]],
  ['end descending: nulls last', [{ column: 'end_ts', descending: true }], [e4, e2, e1, e6, e5, e3]],
  ['id descending', [{ column: 'id', descending: true }], [e6, e5, e4, e3, e2, e1]],
];

export function listExecutionsContract(open: OpenStore): void {
  describe('listExecutions', () => {
    const ctx = useStore(open);

    it.each(FILTERS)('filters: %s', async (_name, where, expected) => {
      const { store } = ctx();
      await seed(store);
      expect(idsOf((await store.listExecutions(query(where))).items)).toEqual(expected);
    });

    it.each(ORDERS)('orders: %s', async (_name, orderBy, expected) => {
      const { store } = ctx();
      await seed(store);
      expect(idsOf((await store.listExecutions(query([], { orderBy }))).items)).toEqual(expected);
    });

    it('returns full records equal to getExecution, never with a result', async () => {
      const { store } = ctx();
      await seed(store);
      await store.transition({
        id: e3,
        from: ['running'],
        to: 'succeeded',
        at: T + 999,
        result: { json: '{}', size: 2 },
      });
      const { items } = await store.listExecutions(query());
      for (const item of items) {
        expect(item).toEqual(await store.getExecution(item.id));
        expect(item).not.toHaveProperty('result');
      }
    });

    it('pages with limit and offset; null limit means all', async () => {
      const { store } = ctx();
      await seed(store);
      const page = async (limit: number | null, offset: number) =>
        idsOf((await store.listExecutions(query([], { limit, offset }))).items);
      expect(await page(2, 0)).toEqual([e5, e3]);
      expect(await page(2, 2)).toEqual([e4, e2]);
      expect(await page(2, 4)).toEqual([e1, e6]);
      expect(await page(2, 6)).toEqual([]);
      expect(await page(null, 1)).toEqual([e3, e4, e2, e1, e6]);
      const oneByOne: string[] = [];
      for (let offset = 0; offset < 6; offset++) oneByOne.push(...(await page(1, offset)));
      expect(oneByOne).toEqual([e5, e3, e4, e2, e1, e6]);
    });

    it('counts all matches when asked, ignoring the page; -1 otherwise', async () => {
      const { store } = ctx();
      await seed(store);
      const succeeded: Condition[] = [{ field: col('status'), op: 'eq', value: 'succeeded' }];
      const counted = await store.listExecutions(query(succeeded, { limit: 1, offset: 1, countTotal: true }));
      expect(counted).toEqual({ items: [await store.getExecution(e1)], total: 3 });
      expect((await store.listExecutions(query([], { limit: 2, countTotal: true }))).total).toBe(6);
      expect((await store.listExecutions(query([], { offset: 10, countTotal: true }))).total).toBe(6);
      expect((await store.listExecutions(query(succeeded, { countTotal: false }))).total).toBe(-1);
    });

    it('rejects a column outside the known set', async () => {
      const { store } = ctx();
      const bogus = 'status; DROP TABLE executions' as ExecutionColumn;
      await expect(store.listExecutions(query([{ field: col(bogus), op: 'absent' }]))).rejects.toThrow();
      await expect(
        store.listExecutions(query([], { orderBy: [{ column: bogus, descending: false }] })),
      ).rejects.toThrow();
      const json = { kind: 'json', column: 'result', path: ['a'] } as unknown as Condition['field'];
      await expect(store.listExecutions(query([{ field: json, op: 'absent' }]))).rejects.toThrow();
    });
  });
}
