/**
 * What crosses processes besides the queue: a stream client on the API process sees the
 * executions and the output that a worker produces, and a cancel sent to the API process stops
 * the action on the worker running it (its whole process group). Skipped, saying so, when
 * PostgreSQL is not reachable.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, TEST_DATABASE_URL, unreachableReason } from '../../src/store/postgres/test-database.ts';
import { connectSse } from '../helpers/sse.ts';
import { api, run, startCluster, waitFor, type Cluster, type Doc } from './cluster.ts';

const reason = await unreachableReason();
if (reason) {
  console.warn(
    `PostgreSQL not reachable at ${displayUrl(TEST_DATABASE_URL)} (${reason}): skipping the scale-out tests`,
  );
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(reason !== undefined)('streams and cancel across processes', () => {
  let cluster: Cluster;
  let apiUrl: string;

  beforeAll(async () => {
    cluster = await startCluster();
    apiUrl = (await cluster.start('api')).url;
    await cluster.start('worker');
  }, 90_000);

  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  it('an SSE client on the API process sees a worker’s executions and output', async () => {
    const events = await connectSse(
      `${apiUrl}/stream/v1/stream?events=st2.execution__create,st2.execution__update,st2.execution.output__create`,
    );
    const created = await run(apiUrl, 'for i in 1 2 3; do echo line$i; sleep 0.3; done');
    const id = String(created['id']);
    const output = await connectSse(`${apiUrl}/stream/v1/executions/${id}/output`);
    await output.closed;
    const data = output.frames
      .filter((f) => f.event !== 'EOF')
      .map((f) => (JSON.parse(f.data) as Doc)['data']);
    expect(data.join('')).toBe('line1\nline2\nline3\n');
    expect(output.frames.at(-1)?.event).toBe('EOF');

    const mine = (frames: { event: string; data: string }[]) =>
      frames
        .map((f) => ({ event: f.event, doc: JSON.parse(f.data) as Doc }))
        .filter(({ doc }) => doc['id'] === id || doc['execution_id'] === id);
    await events.until((frames) =>
      mine(frames).some((f) => f.event === 'st2.execution__update' && f.doc['status'] === 'succeeded'),
    );
    events.close();
    const seen = mine(events.frames);
    expect(seen[0]?.event).toBe('st2.execution__create');
    const statuses = seen.filter((f) => f.event === 'st2.execution__update').map((f) => f.doc['status']);
    expect(statuses).toEqual(expect.arrayContaining(['running', 'succeeded']));
    expect(statuses.at(-1)).toBe('succeeded');
    // The worker's output, relayed, in order, before the completion.
    const streamed = seen.filter((f) => f.event === 'st2.execution.output__create').map((f) => f.doc['data']);
    expect(streamed.join('')).toBe('line1\nline2\nline3\n');
    const lastOutput = seen.findLastIndex((f) => f.event === 'st2.execution.output__create');
    const completion = seen.findIndex((f) => f.doc['status'] === 'succeeded');
    expect(lastOutput).toBeLessThan(completion);
  }, 60_000);

  it('a cancel through the API process kills the action on the worker', async () => {
    const pidFile = join(cluster.dir, 'sleeper.pid');
    const created = await run(apiUrl, `sleep 60 & echo $! > ${pidFile}; wait`);
    const id = String(created['id']);
    await waitFor(apiUrl, id, ['running']);
    let pid = 0;
    while (pid === 0) {
      try {
        pid = Number(readFileSync(pidFile, 'utf8').trim());
      } catch {
        await sleep(50);
      }
    }
    expect(alive(pid)).toBe(true);
    const res = await api(apiUrl, `/api/v1/executions/${id}`, { method: 'DELETE' });
    expect(((await res.json()) as Doc)['status']).toBe('canceling');
    const done = await waitFor(apiUrl, id);
    expect(done['status']).toBe('canceled');
    expect(done['result']).toEqual({ message: 'Action canceled by user.', user: 'stanley' });
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await sleep(50);
    expect(alive(pid)).toBe(false);
  }, 60_000);
});
