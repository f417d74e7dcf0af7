/**
 * Benchmarks for output, streams, large results and the backlog:
 *   - output capture throughput (MB/s from a child process into the store) against piping the
 *     same bytes to /dev/null;
 *   - SSE delivery latency with 100 subscribers;
 *   - persist time of an 8 MB result (store write, as the dispatcher does it);
 *   - peak resident memory of a fresh server while an action prints 1 GB;
 *   - drain rate of a backlog of executions queued at once.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serializeResult } from '../src/engine/executions/result.ts';
import { makeExecution } from '../src/store/contract/fixtures.ts';
import { createFifoPool, type FifoPool } from '../src/runners/process/fifo-pool.ts';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { peakRssBytes } from '../test/helpers/processes.ts';
import { request } from './http-client.ts';
import {
  percentile,
  runSeconds,
  runToEnd,
  startSquall,
  timestampMillis,
  type ExecutionDoc,
  type Squall,
} from './support.ts';

export interface CaptureFigures {
  /** What printed the output. */
  producer: string;
  /** MB/s of the action's own run (its first to its last byte) with its output going … */
  devNull: number;
  /**
   * … into `cat > /dev/null` through a FIFO, the action in a session of its own as Squall runs
   * it and cat in this one: the cheapest reader there is, */
  catReader: number;
  /**
   * … into a Node process that reads and discards it, spawned as Squall spawns actions (own
   * session, FIFO from the same pool): the floor for any capture written in Node, */
  bareReader: number;
  /** … and through Squall into the store. */
  squall: number;
  /** MB/s from `running` to the execution's completion, storing and the result included. */
  squallEndToEnd: number;
}

/** Output producers: a text pipeline writing 1 KiB lines, and one program printing them. */
export function captureProducers(megabytes: number): { name: string; command: string }[] {
  const producers = [
    {
      name: 'head | tr | fold (3 processes)',
      command: `head -c ${megabytes * 1024 * 1024} /dev/zero | tr '\\0' x | fold -w 1023`,
    },
  ];
  try {
    execFileSync('python3', ['-c', 'pass']);
    producers.push({
      name: 'python3 print() (1 process)',
      command: `python3 -c 'l = "x" * 1023
for _ in range(${megabytes * 1024}): print(l)'`,
    });
  } catch {
    // No Python here: the pipeline alone.
  }
  return producers;
}

/**
 * How much capturing output slows the action itself. The command times itself (into a file, so
 * the timing is not part of the output), which separates the action's speed from Squall's work
 * after it exits; the same command runs with its output to /dev/null, to `cat`, and into a bare
 * Node reader. Actions run in their own session (for kill-the-group), and with the kernel's
 * autogroup scheduling a session competes for CPU as one: readers in another session are measured
 * the way Squall runs.
 */
export async function outputCapture(
  squall: Squall,
  producer: { name: string; command: string },
  megabytes: number,
  rounds = 3,
): Promise<CaptureFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-capture-'));
  const timing = join(dir, 'seconds');
  const timed = (redirect: string): string =>
    `s=$(date +%s%N); { ${producer.command}; }${redirect}; e=$(date +%s%N); echo $(( (e - s) / 1000 )) > ${timing}`;
  const seconds = (): number => Number(readFileSync(timing, 'utf8')) / 1e6;
  const best = {
    producer: producer.name,
    devNull: 0,
    catReader: 0,
    bareReader: 0,
    squall: 0,
    squallEndToEnd: 0,
  };
  const fifos = createFifoPool();
  await fifos.ready();
  try {
    for (let round = 0; round < rounds; round++) {
      execFileSync('setsid', ['bash', '-c', timed(' > /dev/null')]);
      best.devNull = Math.max(best.devNull, megabytes / seconds());
      const fifo = join(dir, 'fifo');
      execFileSync('bash', [
        '-c',
        `rm -f ${fifo}; mkfifo ${fifo}; setsid bash -c "$0" > ${fifo} & cat ${fifo} > /dev/null; wait`,
        timed(''),
      ]);
      best.catReader = Math.max(best.catReader, megabytes / seconds());
      await bareNodeReader(timed(''), fifos);
      best.bareReader = Math.max(best.bareReader, megabytes / seconds());
      const doc = await runToEnd(squall, {
        action: 'core.local',
        parameters: { cmd: timed(''), timeout: 600 },
      });
      if (doc.status !== 'succeeded') throw new Error(`capture run ${doc.status}`);
      best.squall = Math.max(best.squall, megabytes / seconds());
      best.squallEndToEnd = Math.max(best.squallEndToEnd, megabytes / runSeconds(doc));
    }
  } finally {
    fifos.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return best;
}

/** Runs `command` as Squall runs an action, reading its stdout and throwing it away. */
function bareNodeReader(command: string, fifos: FifoPool): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const fifo = fifos.open();
    const child = spawn('bash', ['-c', command], {
      stdio: ['ignore', fifo?.writeFd ?? 'pipe', 'inherit'],
      detached: true,
    });
    fifo?.spawned();
    const reader = fifo?.reader ?? child.stdout;
    if (fifo) fifo.onData(() => undefined);
    else reader?.on('data', () => undefined);
    let pending = 2;
    const settle = (): void => {
      if (--pending === 0) resolve();
    };
    reader?.on('close', () => {
      fifo?.release(true);
      settle();
    });
    child.on('error', reject);
    child.on('close', settle);
  });
}

/** `subscribers` SSE clients; latency from an execution's completion to each client seeing it. */
export async function sseLatency(
  squall: Squall,
  subscribers: number,
  executions: number,
): Promise<{ p50: number; p99: number }> {
  // Latencies by execution id: a completion can reach the clients before the POST's response
  // reaches this process, so samples are kept for every id and picked out afterwards.
  const byExecution = new Map<string, number[]>();
  const clients: http.ClientRequest[] = [];
  await Promise.all(
    Array.from(
      { length: subscribers },
      () =>
        new Promise<void>((resolve) => {
          const req = http.get(`${squall.url}/stream/v1/stream?events=st2.execution__update`, (res) => {
            let buffer = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => {
              const now = performance.timeOrigin + performance.now();
              buffer += chunk;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const data = block.split('\n').find((l) => l.startsWith('data: '));
                if (!data) continue;
                const doc = JSON.parse(data.slice(6)) as ExecutionDoc;
                if (doc.status === 'succeeded' && doc.end_timestamp) {
                  const list = byExecution.get(doc.id) ?? [];
                  list.push(now - timestampMillis(doc.end_timestamp));
                  byExecution.set(doc.id, list);
                }
              }
            });
            resolve();
          });
          clients.push(req);
        }),
    ),
  );
  await new Promise((r) => setTimeout(r, 200));
  const ids: string[] = [];
  for (let i = 0; i < executions; i++) {
    const res = await request(squall.url, 'POST', '/api/v1/executions', { action: 'core.noop' });
    const { id } = JSON.parse(res.body) as { id: string };
    ids.push(id);
    const deadline = Date.now() + 5_000;
    while ((byExecution.get(id)?.length ?? 0) < subscribers && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2));
    }
  }
  for (const req of clients) req.destroy();
  const samples = ids.flatMap((id) => byExecution.get(id) ?? []).sort((a, b) => a - b);
  const expected = executions * subscribers;
  if (samples.length < expected) throw new Error(`only ${samples.length} of ${expected} deliveries arrived`);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** Store write of an 8 MB result (serialize + conditional transition), median of `rounds`. */
export async function persistLargeResult(rounds: number): Promise<{ ms: number; bytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-persist-'));
  const store = openSqliteStore({ path: join(dir, 'persist.db') });
  try {
    const items = Array.from({ length: 80_000 }, (_, i) => ({
      n: i,
      name: `item-${i}`,
      ok: i % 2 === 0,
      pad: 'p'.repeat(60),
    }));
    const result = { failed: false, succeeded: true, return_code: 0, stdout: { items }, stderr: '' };
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < rounds; i++) {
      const record = makeExecution({ status: 'running' });
      await store.createExecution(record);
      const started = performance.now();
      const serialized = serializeResult(result);
      await store.transition({
        id: record.id,
        from: ['running'],
        to: 'succeeded',
        at: Date.now() * 1000,
        endTimestamp: Date.now() * 1000,
        result: serialized,
      });
      times.push(performance.now() - started);
      bytes = serialized.size;
    }
    times.sort((a, b) => a - b);
    return { ms: percentile(times, 50), bytes };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Peak resident memory of a fresh server (as `npm start` runs it) while an action prints 1 GB. */
export async function peakRssForGigabyte(): Promise<{ peakMb: number; seconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-gb-'));
  const squall = await startSquall(dir);
  try {
    const line = 'x'.repeat(1023);
    const doc = await runToEnd(squall, {
      action: 'core.local',
      parameters: { cmd: `yes ${line} | head -c 1073741824`, timeout: 600 },
    });
    if (doc.status !== 'succeeded') throw new Error(`1 GB run ${doc.status}`);
    return { peakMb: peakRssBytes(squall.process.pid ?? 0) / (1024 * 1024), seconds: runSeconds(doc) };
  } finally {
    await squall.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Queues `count` noop executions as fast as possible, then waits for all: executions/s overall. */
export async function backlogDrain(
  squall: Squall,
  count: number,
): Promise<{ enqueueSeconds: number; perSecond: number }> {
  const before = Number(
    (await request(squall.url, 'GET', '/api/v1/executions?limit=1&include_attributes=id&status=succeeded'))
      .headers['x-total-count'],
  );
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        next++;
        const res = await request(squall.url, 'POST', '/api/v1/executions', { action: 'core.noop' });
        if (res.status !== 201) throw new Error(`POST failed: ${res.status}`);
      }
    }),
  );
  const enqueueSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const res = await request(
      squall.url,
      'GET',
      '/api/v1/executions?limit=1&include_attributes=id&status=succeeded',
    );
    if (Number(res.headers['x-total-count']) - before >= count) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { enqueueSeconds, perSecond: count / ((performance.now() - started) / 1000) };
}

function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return true;
  }
}

/** From `DELETE /executions/{id}` to the action's process being gone (a shell that ignores nothing). */
export async function cancelLatency(squall: Squall, rounds: number): Promise<{ p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'squall-cancel-'));
  const samples: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const pidFile = join(dir, `pid-${i}`);
      const res = await request(squall.url, 'POST', '/api/v1/executions', {
        action: 'core.local',
        parameters: { cmd: `echo $$ > ${pidFile}; sleep 60` },
      });
      const { id } = JSON.parse(res.body) as { id: string };
      let pid = 0;
      const deadline = Date.now() + 10_000;
      while (!pid && Date.now() < deadline) {
        try {
          pid = Number(readFileSync(pidFile, 'utf8').trim());
        } catch {
          await new Promise((r) => setTimeout(r, 5));
        }
      }
      if (!pid) throw new Error('the action never started');
      const started = performance.now();
      await request(squall.url, 'DELETE', `/api/v1/executions/${id}`);
      while (!processGone(pid)) await new Promise((r) => setTimeout(r, 1));
      samples.push(performance.now() - started);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
}
