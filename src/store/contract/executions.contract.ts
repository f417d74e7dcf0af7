/** Creating and reading executions, and the small reads around them. */
import { describe, expect, it } from 'vitest';
import type { DistinctColumn } from '../../domain/execution-query.ts';
import type { ExecutionRecord, Json } from '../../domain/types.ts';
import { makeExecution } from './fixtures.ts';
import { hexId, idsOf, useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;

/** Every field set to something other than the fixture default. */
function fullRecord(parentId: string): ExecutionRecord {
  return makeExecution({
    liveactionId: hexId(0xabc),
    actionRef: 'examples.ünïcode',
    actionSnapshotId: hexId(0x5a),
    runnerSnapshotId: hexId(0x5b),
    runnerName: 'orquesta',
    status: 'succeeded',
    startTimestamp: T + 1,
    endTimestamp: T + 2_000_001,
    parentId,
    user: 'zoë',
    parameters: { z: 1, a: { nested: [1, 'two', null, true, { deep: 1.5 }] }, big: 2 ** 53 - 1, empty: '' },
    context: { user: 'zoë', parent: { execution_id: parentId }, nil: null },
    liveaction: {
      action_is_workflow: true,
      callback: { source: 'orquesta', url: 'http://x' },
      runner_info: { hostname: 'h', pid: 42 },
      notify: { 'on-complete': { routes: ['slack'] } },
    },
    log: [
      { timestamp: T + 1, status: 'requested' },
      { timestamp: T + 5, status: 'scheduled' },
      { timestamp: T + 2_000_001, status: 'succeeded' },
    ],
    delay: 250,
    resultSize: 0,
    triggerRefs: {
      rule: { name: 'r', ref: 'p.r' },
      trigger: { name: 't', type: 'core.st2.webhook' },
      trigger_type: { name: 'tt' },
      trigger_instance: { id: 'ti' },
    },
    workflowExecution: 'wf-1',
    taskExecution: 'task-1',
  });
}

const sortJson = (values: Json[]): Json[] =>
  [...values].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

export function executionsContract(open: OpenStore): void {
  describe('createExecution / getExecution', () => {
    const ctx = useStore(open);

    it('round-trips every field', async () => {
      const { store } = ctx();
      const parent = makeExecution();
      await store.createExecution(parent);
      const record = fullRecord(parent.id);
      await store.createExecution(record);
      expect(await store.getExecution(record.id)).toEqual(record);
      expect(await store.getExecution(parent.id)).toEqual(parent);
    });

    it('returns documents with their keys in the order given (the wire shows that order)', async () => {
      const { store } = ctx();
      const record = fullRecord(hexId(1));
      await store.createExecution(record);
      const got = await store.getExecution(record.id);
      expect(Object.keys(got?.parameters ?? {})).toEqual(['z', 'a', 'big', 'empty']);
      expect(Object.keys(got?.liveaction ?? {})).toEqual([
        'action_is_workflow',
        'callback',
        'runner_info',
        'notify',
      ]);
    });

    it('answers undefined for an unknown id', async () => {
      expect(await ctx().store.getExecution(hexId(404))).toBeUndefined();
    });

    it('rejects a second execution with the same id and keeps the first', async () => {
      const { store } = ctx();
      const first = makeExecution({ id: hexId(7) });
      await store.createExecution(first);
      await expect(
        store.createExecution(makeExecution({ id: hexId(7), actionRef: 'x.y' })),
      ).rejects.toThrow();
      expect(await store.getExecution(hexId(7))).toEqual(first);
    });

    it('keeps a result given at creation apart from the row, with its size', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'failed', endTimestamp: T });
      const json = '{"error":"Failed to render parameter \\"x\\"","traceback":"…"}';
      await store.createExecution(record, { json, size: Buffer.byteLength(json) });
      const got = await store.getExecution(record.id);
      expect(got).toEqual({ ...record, resultSize: Buffer.byteLength(json) });
      expect(got).not.toHaveProperty('result');
      expect(await store.getResults([record.id])).toEqual(new Map([[record.id, json]]));
    });
  });

  describe('lastExecutionId / getResults / listByStatus', () => {
    const ctx = useStore(open);

    it('lastExecutionId is the highest id, whatever the insertion order', async () => {
      const { store } = ctx();
      expect(await store.lastExecutionId()).toBeUndefined();
      for (const n of [2, 9, 4]) await store.createExecution(makeExecution({ id: hexId(n) }));
      expect(await store.lastExecutionId()).toBe(hexId(9));
    });

    it('getResults answers only for the ids that have a result', async () => {
      const { store } = ctx();
      const withResult = makeExecution();
      const without = makeExecution();
      await store.createExecution(withResult, { json: '{"a":1}', size: 7 });
      await store.createExecution(without);
      const results = await store.getResults([withResult.id, without.id, hexId(404)]);
      expect(results).toEqual(new Map([[withResult.id, '{"a":1}']]));
      expect(await store.getResults([])).toEqual(new Map());
    });

    it('listByStatus returns every execution in the given statuses', async () => {
      const { store } = ctx();
      const records = (['requested', 'scheduled', 'running', 'canceling', 'succeeded'] as const).map(
        (status) => makeExecution({ status }),
      );
      for (const r of records) await store.createExecution(r);
      const got = await store.listByStatus(['running', 'scheduled', 'canceling']);
      expect(idsOf(got).sort()).toEqual(idsOf(records.slice(1, 4)).sort());
      expect(got.find((r) => r.status === 'running')).toEqual(records[2]);
      expect(await store.listByStatus([])).toEqual([]);
    });
  });

  describe('childrenOf', () => {
    const ctx = useStore(open);

    it('lists direct children in creation order: start time, then id', async () => {
      const { store } = ctx();
      const parent = makeExecution({ id: hexId(1), startTimestamp: T });
      const other = makeExecution({ id: hexId(2), startTimestamp: T });
      const late = makeExecution({ id: hexId(3), parentId: parent.id, startTimestamp: T + 30 });
      const tieB = makeExecution({ id: hexId(5), parentId: parent.id, startTimestamp: T + 10 });
      const tieA = makeExecution({ id: hexId(4), parentId: parent.id, startTimestamp: T + 10 });
      const grandchild = makeExecution({ id: hexId(6), parentId: tieA.id, startTimestamp: T + 11 });
      for (const r of [parent, other, late, tieB, tieA, grandchild]) await store.createExecution(r);

      const children = await store.childrenOf([parent.id, other.id, tieA.id, hexId(404)]);
      expect(children).toEqual(
        new Map([
          [parent.id, [tieA.id, tieB.id, late.id]],
          [other.id, []],
          [tieA.id, [grandchild.id]],
          [hexId(404), []],
        ]),
      );
      expect(await store.childrenOf([])).toEqual(new Map());
    });
  });

  describe('distinctValues', () => {
    const ctx = useStore(open);

    it('lists each value present once, with null when some execution has none', async () => {
      const { store } = ctx();
      const rule = (name: string) => ({
        rule: { name },
        trigger: { name: `${name}-trigger` },
        trigger_type: { name: `${name}-type` },
      });
      const records = [
        makeExecution({
          actionRef: 'core.local',
          runnerName: 'local-shell-cmd',
          user: 'alice',
          triggerRefs: rule('r1'),
        }),
        makeExecution({
          actionRef: 'core.local',
          runnerName: 'local-shell-cmd',
          user: 'bob',
          triggerRefs: rule('r2'),
        }),
        makeExecution({ actionRef: 'core.http', runnerName: 'http-request', user: null, status: 'failed' }),
        makeExecution({
          actionRef: 'core.http',
          runnerName: 'http-request',
          user: 'alice',
          triggerRefs: rule('r1'),
        }),
      ];
      for (const r of records) await store.createExecution(r);

      const expected: Record<DistinctColumn, Json[]> = {
        action_ref: ['core.http', 'core.local'],
        runner_name: ['http-request', 'local-shell-cmd'],
        status: ['failed', 'requested'],
        user: ['alice', 'bob', null],
        rule_name: ['r1', 'r2', null],
        trigger_name: ['r1-trigger', 'r2-trigger', null],
        trigger_type_name: ['r1-type', 'r2-type', null],
      };
      for (const [column, values] of Object.entries(expected) as [DistinctColumn, Json[]][]) {
        expect(sortJson(await store.distinctValues(column)), column).toEqual(sortJson(values));
      }
    });

    it('is empty when there are no executions', async () => {
      expect(await ctx().store.distinctValues('status')).toEqual([]);
    });
  });
}
