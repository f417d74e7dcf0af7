/** Persisted workflow states: saved whole, replaced by id, found by execution, listed while unfinished. */
import { describe, expect, it } from 'vitest';
import type { WorkflowRecord } from '../store.ts';
import { makeExecution } from './fixtures.ts';
import { useStore, type OpenStore } from './harness.contract.ts';

function record(overrides: Partial<WorkflowRecord> = {}): WorkflowRecord {
  return {
    id: 'wf-1',
    executionId: 'ex-1',
    kind: 'orquesta',
    finished: false,
    state: JSON.stringify({ status: 'running', tasks: { ünïcode: [1, 2] } }),
    version: 0,
    ...overrides,
  };
}

export function workflowsContract(open: OpenStore): void {
  describe('workflows', () => {
    const ctx = useStore(open);

    it('saves, reads back and replaces a workflow by id, one version after the other', async () => {
      const { store } = ctx();
      expect(await store.getWorkflow('wf-1')).toBeUndefined();
      expect(await store.saveWorkflow(record())).toBe(true);
      expect(await store.getWorkflow('wf-1')).toEqual(record({ version: 1 }));
      const replaced = record({
        executionId: 'ex-2',
        finished: true,
        state: '{"status":"succeeded"}',
        version: 1,
      });
      expect(await store.saveWorkflow(replaced)).toBe(true);
      expect(await store.getWorkflow('wf-1')).toEqual({ ...replaced, version: 2 });
    });

    it('refuses a save based on a version someone else has saved over, changing nothing', async () => {
      const { store, connectAgain } = ctx();
      const other = await connectAgain();
      expect(await store.saveWorkflow(record())).toBe(true);
      // Two processes read version 1 and step the workflow; the second to save loses.
      const first = (await store.getWorkflow('wf-1'))!;
      const second = (await other.getWorkflow('wf-1'))!;
      expect(await store.saveWorkflow({ ...first, state: '{"by":"first"}' })).toBe(true);
      expect(await other.saveWorkflow({ ...second, state: '{"by":"second"}' })).toBe(false);
      expect(await other.getWorkflow('wf-1')).toMatchObject({ state: '{"by":"first"}', version: 2 });
      // Creating one that exists is refused the same way.
      expect(await other.saveWorkflow(record({ state: '{"by":"newcomer"}' }))).toBe(false);
      expect((await store.getWorkflow('wf-1'))?.state).toBe('{"by":"first"}');
    });

    it('finds the workflow an execution runs, following a re-point', async () => {
      const { store } = ctx();
      await store.saveWorkflow(record());
      await store.saveWorkflow(record({ id: 'chain-1', executionId: 'ex-9', kind: 'action-chain' }));
      expect((await store.getWorkflowByExecution('ex-1'))?.id).toBe('wf-1');
      expect((await store.getWorkflowByExecution('ex-9'))?.kind).toBe('action-chain');
      await store.saveWorkflow(record({ executionId: 'ex-3', version: 1 }));
      expect(await store.getWorkflowByExecution('ex-1')).toBeUndefined();
      expect((await store.getWorkflowByExecution('ex-3'))?.id).toBe('wf-1');
    });

    it('lists unfinished workflows oldest first, and survives a reconnect', async () => {
      const { store, connectAgain } = ctx();
      await store.saveWorkflow(record({ id: 'a' }));
      await store.saveWorkflow(record({ id: 'b', finished: true }));
      await store.saveWorkflow(record({ id: 'c' }));
      // Saving again keeps the original place in line.
      await store.saveWorkflow(record({ id: 'a', state: '{}', version: 1 }));
      expect((await store.listUnfinishedWorkflows()).map((w) => w.id)).toEqual(['a', 'c']);
      const again = await connectAgain();
      expect((await again.listUnfinishedWorkflows()).map((w) => w.id)).toEqual(['a', 'c']);
      expect((await again.getWorkflow('a'))?.state).toBe('{}');
    });

    it('goes with its execution when retention deletes it', async () => {
      const { store } = ctx();
      const T = 1_700_000_000_000_000;
      const old = makeExecution({ status: 'succeeded', startTimestamp: T, endTimestamp: T });
      const kept = makeExecution({
        status: 'succeeded',
        startTimestamp: T + 1_000_000,
        endTimestamp: T + 1_000_000,
      });
      await store.createExecution(old);
      await store.createExecution(kept);
      await store.saveWorkflow(record({ id: 'old', executionId: old.id, finished: true }));
      await store.saveWorkflow(record({ id: 'kept', executionId: kept.id, finished: true }));
      expect(await store.deleteExecutionsBefore(T + 500_000, 10)).toBe(1);
      expect(await store.getWorkflow('old')).toBeUndefined();
      expect((await store.getWorkflow('kept'))?.executionId).toBe(kept.id);
    });
  });
}
