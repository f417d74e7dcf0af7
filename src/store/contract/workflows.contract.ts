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
    ...overrides,
  };
}

export function workflowsContract(open: OpenStore): void {
  describe('workflows', () => {
    const ctx = useStore(open);

    it('saves, reads back and replaces a workflow by id', async () => {
      const { store } = ctx();
      expect(await store.getWorkflow('wf-1')).toBeUndefined();
      await store.saveWorkflow(record());
      expect(await store.getWorkflow('wf-1')).toEqual(record());
      const replaced = record({ executionId: 'ex-2', finished: true, state: '{"status":"succeeded"}' });
      await store.saveWorkflow(replaced);
      expect(await store.getWorkflow('wf-1')).toEqual(replaced);
    });

    it('finds the workflow an execution runs, following a re-point', async () => {
      const { store } = ctx();
      await store.saveWorkflow(record());
      await store.saveWorkflow(record({ id: 'chain-1', executionId: 'ex-9', kind: 'action-chain' }));
      expect((await store.getWorkflowByExecution('ex-1'))?.id).toBe('wf-1');
      expect((await store.getWorkflowByExecution('ex-9'))?.kind).toBe('action-chain');
      await store.saveWorkflow(record({ executionId: 'ex-3' }));
      expect(await store.getWorkflowByExecution('ex-1')).toBeUndefined();
      expect((await store.getWorkflowByExecution('ex-3'))?.id).toBe('wf-1');
    });

    it('lists unfinished workflows oldest first, and survives a reconnect', async () => {
      const { store, connectAgain } = ctx();
      await store.saveWorkflow(record({ id: 'a' }));
      await store.saveWorkflow(record({ id: 'b', finished: true }));
      await store.saveWorkflow(record({ id: 'c' }));
      // Saving again keeps the original place in line.
      await store.saveWorkflow(record({ id: 'a', state: '{}' }));
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
