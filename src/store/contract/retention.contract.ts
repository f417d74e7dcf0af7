/** Retention: completed executions and output older than a cutoff go, in bounded batches. */
import { describe, expect, it } from 'vitest';
import { makeExecution } from './fixtures.ts';
import { useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;

export function retentionContract(open: OpenStore): void {
  describe('deleteExecutionsBefore / deleteOutputBefore', () => {
    const ctx = useStore(open);

    it('deletes completed executions older than the cutoff, oldest first, with results and output', async () => {
      const { store } = ctx();
      const old = [1, 2, 3].map((i) =>
        makeExecution({ status: 'succeeded', startTimestamp: T + i, endTimestamp: T + i }),
      );
      const oldRunning = makeExecution({ status: 'running', startTimestamp: T });
      const recent = makeExecution({
        status: 'failed',
        startTimestamp: T + 1_000_000,
        endTimestamp: T + 1_000_001,
      });
      for (const record of [...old, oldRunning, recent]) {
        await store.createExecution(record, { json: '{"a":1}', size: 7 });
      }
      await store.appendOutput([
        { executionId: old[0]!.id, timestamp: T + 5, outputType: 'stdout', data: 'x\n' },
      ]);

      expect(await store.deleteExecutionsBefore(T + 500_000, 2)).toBe(2);
      expect(await store.getExecution(old[0]!.id)).toBeUndefined();
      expect(await store.getExecution(old[1]!.id)).toBeUndefined();
      expect(await store.getExecution(old[2]!.id)).toBeDefined();
      expect(await store.listOutput(old[0]!.id)).toEqual([]);
      expect((await store.getResults([old[0]!.id, old[2]!.id])).has(old[0]!.id)).toBe(false);

      expect(await store.deleteExecutionsBefore(T + 500_000, 2)).toBe(1);
      expect(await store.deleteExecutionsBefore(T + 500_000, 2)).toBe(0);
      // Never what is still in flight, never what is recent.
      expect(await store.getExecution(oldRunning.id)).toBeDefined();
      expect(await store.getExecution(recent.id)).toBeDefined();
    });

    it('deletes output older than the cutoff and keeps the rest in order', async () => {
      const { store } = ctx();
      const record = makeExecution({ status: 'running', startTimestamp: T });
      await store.createExecution(record);
      await store.appendOutput([
        { executionId: record.id, timestamp: T + 1, outputType: 'stdout', data: 'old 1\n' },
        { executionId: record.id, timestamp: T + 2, outputType: 'stdout', data: 'old 2\n' },
        { executionId: record.id, timestamp: T + 10, outputType: 'stdout', data: 'new\n' },
      ]);
      expect(await store.deleteOutputBefore(T + 5, 1)).toBe(1);
      expect(await store.deleteOutputBefore(T + 5, 10)).toBe(1);
      expect(await store.deleteOutputBefore(T + 5, 10)).toBe(0);
      expect((await store.listOutput(record.id)).map((c) => c.data)).toEqual(['new\n']);
    });

    it('two processes collecting at once delete every row exactly once', async () => {
      const { store, connectAgain } = ctx();
      const other = await connectAgain();
      for (let i = 0; i < 30; i++) {
        const record = makeExecution({ status: 'succeeded', startTimestamp: T + i, endTimestamp: T + i });
        await store.createExecution(record);
        await store.appendOutput([
          { executionId: record.id, timestamp: T + i, outputType: 'stdout', data: 'a' },
          { executionId: record.id, timestamp: T + i, outputType: 'stdout', data: 'b' },
        ]);
      }
      const collect = async (s: typeof store, verb: 'deleteOutputBefore' | 'deleteExecutionsBefore') => {
        let total = 0;
        for (;;) {
          const n = await s[verb](T + 1000, 4);
          total += n;
          if (n === 0) return total;
        }
      };
      const outputs = await Promise.all([
        collect(store, 'deleteOutputBefore'),
        collect(other, 'deleteOutputBefore'),
      ]);
      expect(outputs[0] + outputs[1]).toBe(60);
      const executions = await Promise.all([
        collect(store, 'deleteExecutionsBefore'),
        collect(other, 'deleteExecutionsBefore'),
      ]);
      expect(executions[0] + executions[1]).toBe(30);
    });
  });
}
