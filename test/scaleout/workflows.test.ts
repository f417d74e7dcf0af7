/**
 * Workflows on a shared database: one API and two workers. Tasks run on either worker and each
 * worker steps the workflow when a task of its own ends, so the workflow's saved state must never
 * be overwritten by a process that read it before another one's step; and a workflow outliving the
 * lease timeout is not a dead worker's run. Skipped, saying so, when PostgreSQL is not reachable.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { writeScratchPack } from '../workflows/scratch-pack.ts';
import { api, linesOf, startCluster, waitFor, type Cluster, type Doc } from './cluster.ts';

const reason = await unreachableReason();
if (reason) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping the scale-out tests`,
  );
}

const WORKFLOW = `version: 1.0
input:
  - log
  - items
tasks:
  fan_out:
    with:
      items: <% ctx(items) %>
      concurrency: 4
    action: core.local
    input:
      cmd: echo "item <% item() %> $PPID" >> <% ctx(log) %>; sleep 0.<% item() %>
    next:
      - when: <% succeeded() %>
        do: slow
  slow:
    action: core.local
    input:
      cmd: sleep 3; echo slow >> <% ctx(log) %>
    next:
      - when: <% succeeded() %>
        do: last
  last:
    action: core.local
    input:
      cmd: echo last >> <% ctx(log) %>
output:
  - count: <% len(ctx(items)) %>
`;

describe.skipIf(reason !== undefined)('workflows across an API and two workers', () => {
  let cluster: Cluster;
  let apiUrl: string;
  let packs: string;

  beforeAll(async () => {
    packs = writeScratchPack('spread', {
      fanout: {
        meta: `---
name: fanout
runner_type: orquesta
entry_point: workflows/fanout.yaml
parameters:
  log: { type: string, required: true }
  items: { type: array, required: true }
`,
        entryPoint: ['workflows/fanout.yaml', WORKFLOW],
      },
    });
    // A lease far shorter than the workflow: the workflow itself holds none.
    cluster = await startCluster({ leaseTimeoutSeconds: 2 });
    const withPacks = ['--packs-path', packs];
    apiUrl = (await cluster.start('api', withPacks)).url;
    await Promise.all([cluster.start('worker', withPacks), cluster.start('worker', withPacks)]);
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
    rmSync(packs, { recursive: true, force: true });
  }, 30_000);

  it('runs every task exactly once and completes, however the workers share the steps', async () => {
    const runs = await Promise.all(
      [0, 1, 2].map(async (n) => {
        const log = `${cluster.dir}/workflow-${n}.log`;
        const items = Array.from({ length: 12 }, (_, i) => i % 10);
        const res = await api(apiUrl, '/api/v1/executions', {
          method: 'POST',
          json: { action: 'spread.fanout', parameters: { log, items } },
        });
        expect(res.status).toBe(201);
        return { log, id: ((await res.json()) as Doc)['id'] as string };
      }),
    );
    for (const { log, id } of runs) {
      const done = await waitFor(apiUrl, id, undefined, 90_000);
      expect(done['status']).toBe('succeeded');
      expect(done['result']).toEqual({ output: { count: 12 } });
      const lines = linesOf(log);
      expect(lines.filter((l) => l.startsWith('item ')).length).toBe(12);
      expect(lines.filter((l) => l === 'slow').length).toBe(1);
      expect(lines.filter((l) => l === 'last').length).toBe(1);
      // Both workers took part (their pids differ), so both stepped the workflow.
      const children = (await (await api(apiUrl, `/api/v1/executions/${id}/children`)).json()) as Doc[];
      expect(children.length).toBe(14);
      expect(children.every((c) => c['status'] === 'succeeded')).toBe(true);
    }
    const workers = new Set(
      runs.flatMap(({ log }) =>
        linesOf(log)
          .filter((l) => l.startsWith('item '))
          .map((l) => l.split(' ')[2]),
      ),
    );
    expect(workers.size).toBeGreaterThan(1);
  }, 120_000);
});
