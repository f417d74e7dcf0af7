/** Output chunks: kept in append order, per execution, optionally by type. */
import { describe, expect, it } from 'vitest';
import type { NewOutputChunk } from '../store.ts';
import { makeExecution } from './fixtures.ts';
import { useStore, type OpenStore } from './harness.contract.ts';

const T = 1_700_000_000_000_000;

export function outputContract(open: OpenStore): void {
  describe('appendOutput / listOutput', () => {
    const ctx = useStore(open);

    it('returns chunks in append order, across batches, with the execution refs filled in', async () => {
      const { store } = ctx();
      const shell = makeExecution({ actionRef: 'core.local', runnerName: 'local-shell-cmd' });
      const other = makeExecution({ actionRef: 'core.http', runnerName: 'http-request' });
      await store.createExecution(shell);
      await store.createExecution(other);
      const chunk = (executionId: string, outputType: string, data: string, ts: number): NewOutputChunk => ({
        executionId,
        outputType,
        data,
        timestamp: ts,
      });
      // Timestamps deliberately out of order: append order wins.
      const firstIds = await store.appendOutput([
        chunk(shell.id, 'stdout', 'line 1\n', T + 5),
        chunk(other.id, 'stdout', 'elsewhere\n', T),
        chunk(shell.id, 'stderr', 'oops ünïcode\n', T + 1),
      ]);
      const secondIds = await store.appendOutput([chunk(shell.id, 'stdout', 'line 2', T + 2)]);
      expect(await store.appendOutput([])).toEqual([]);
      // Ids come back in append order and increase with it.
      const assigned = [...firstIds, ...secondIds];
      expect(assigned).toHaveLength(4);
      expect([...assigned].sort((a, b) => a - b)).toEqual(assigned);
      expect(new Set(assigned).size).toBe(4);
      expect((await store.listOutput(shell.id)).map((c) => c.id)).toEqual([
        assigned[0],
        assigned[2],
        assigned[3],
      ]);

      const all = await store.listOutput(shell.id);
      expect(all.map(({ id: _id, ...rest }) => rest)).toEqual([
        {
          executionId: shell.id,
          actionRef: 'core.local',
          runnerRef: 'local-shell-cmd',
          timestamp: T + 5,
          outputType: 'stdout',
          data: 'line 1\n',
        },
        {
          executionId: shell.id,
          actionRef: 'core.local',
          runnerRef: 'local-shell-cmd',
          timestamp: T + 1,
          outputType: 'stderr',
          data: 'oops ünïcode\n',
        },
        {
          executionId: shell.id,
          actionRef: 'core.local',
          runnerRef: 'local-shell-cmd',
          timestamp: T + 2,
          outputType: 'stdout',
          data: 'line 2',
        },
      ]);
      const ids = all.map((c) => c.id);
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(3);

      expect((await store.listOutput(shell.id, 'stdout')).map((c) => c.data)).toEqual(['line 1\n', 'line 2']);
      expect((await store.listOutput(shell.id, 'stderr')).map((c) => c.data)).toEqual(['oops ünïcode\n']);
      expect(await store.listOutput(shell.id, 'output')).toEqual([]);
      expect((await store.listOutput(other.id)).map((c) => c.data)).toEqual(['elsewhere\n']);
      expect(await store.listOutput(makeExecution().id)).toEqual([]);
      // Paged: after an id, at most a limit, still in append order.
      const [first, second, third] = (await store.listOutput(shell.id)).map((c) => c.id);
      const page = await store.listOutput(shell.id, undefined, { afterId: first ?? 0, limit: 1 });
      expect(page.map((c) => c.id)).toEqual([second]);
      const rest = await store.listOutput(shell.id, 'stdout', { afterId: first ?? 0, limit: 10 });
      expect(rest.map((c) => c.id)).toEqual([third]);
    });
  });
}
